using FreeSwitchSim.Core;

namespace FreeSwitchSim.Switch;

/// <summary>Which endpoint a leg belongs to: decides its name, its variables and its hangup disposition variable.</summary>
internal enum LegKind
{
    SipInbound,
    VertoInbound,
    VertoOutbound,
    Gateway,
}

/// <summary>One call leg (switch_channel_t + its session): states, times, profile, variables and running apps.</summary>
internal sealed class Channel
{
    private static readonly Dictionary<string, int> StateNumbers = new(StringComparer.Ordinal)
    {
        ["CS_NEW"] = 0, ["CS_INIT"] = 1, ["CS_ROUTING"] = 2, ["CS_SOFT_EXECUTE"] = 3, ["CS_EXECUTE"] = 4,
        ["CS_EXCHANGE_MEDIA"] = 5, ["CS_PARK"] = 6, ["CS_CONSUME_MEDIA"] = 7, ["CS_HIBERNATE"] = 8, ["CS_RESET"] = 9,
        ["CS_HANGUP"] = 10, ["CS_REPORTING"] = 11, ["CS_DESTROY"] = 12, ["CS_NONE"] = 13,
    };

    public Channel(string uuid, string name, LegKind kind, string direction)
    {
        Uuid = uuid;
        Name = name;
        Kind = kind;
        Direction = direction;
        CallUuid = uuid;
    }

    public string Uuid { get; }
    public string Name { get; set; }
    public LegKind Kind { get; }
    public string Direction { get; set; }
    public bool IsSip => Kind is LegKind.SipInbound or LegKind.Gateway;
    public bool IsVerto => Kind is LegKind.VertoInbound or LegKind.VertoOutbound;

    /// <summary>Channel-State: the state the state machine is running.</summary>
    public string RunningState { get; set; } = "CS_NEW";

    /// <summary>Channel-State-Number: the state requested (channel->state), ahead of the running one at times.</summary>
    public int StateNumber { get; set; }

    public string CallState { get; set; } = "DOWN";
    public string AnswerState { get; set; } = "ringing";
    public bool HitDialplan { get; set; }
    public string? PresenceId { get; set; }
    public string CallUuid { get; set; }
    public string? HangupCause { get; set; }
    public bool HasCodec { get; set; }
    public string CodecName { get; set; } = "PCMU";
    public int CodecRate { get; set; } = 8000;
    public int CodecBitRate { get; set; } = 64000;

    public CallerProfile Profile { get; } = new();

    /// <summary>False until the endpoint attached the caller profile (the first CS_NEW / CHANNEL_OUTGOING lack it).</summary>
    public bool ProfileAttached { get; set; } = true;

    /// <summary>The Other-Leg-* profile as FreeSWITCH copied it (not always the other leg's live profile).</summary>
    public CallerProfile? OtherLegProfile { get; set; }
    public VarList Vars { get; } = new();

    /// <summary>The leg named in Other-Leg-* headers and how it relates (originator / originatee).</summary>
    public Channel? OtherLeg { get; set; }
    public string? OtherType { get; set; }

    /// <summary>The leg this one is bridged to now.</summary>
    public Channel? BridgedTo { get; set; }

    public long CreatedUs { get; set; }
    public long AnsweredUs { get; set; }
    public long ProgressUs { get; set; }
    public long ProgressMediaUs { get; set; }
    public long HangupUs { get; set; }
    public long BridgedUs { get; set; }

    public bool Answered => AnsweredUs != 0;
    public bool PreAnswered => ProgressMediaUs != 0;
    public bool RingSent => ProgressUs != 0;

    /// <summary>Set once hangup started; the channel no longer runs apps.</summary>
    public bool HangingUp { get; set; }
    public bool Destroyed { get; set; }
    /// <summary>In CS_REPORTING with its CDR POST out: the teardown goes on once it is delivered or spooled.</summary>
    public bool ReportingCdr { get; set; }

    /// <summary>Applications running now, innermost last (park stays under apps that sendmsg runs inside it).</summary>
    public List<RunningApp> Running { get; } = new();

    /// <summary>The rest of the dialplan extension's applications.</summary>
    public Queue<AppCall> DialplanApps { get; } = new();

    /// <summary>sendmsg execute requests waiting for the channel to pick them up.</summary>
    public Queue<AppCall> Pending { get; } = new();

    public List<ReceivedDigit> DigitsReceived { get; } = new();

    public string? VertoUser { get; set; }
    public CallOptions? ClientOptions { get; set; }

    /// <summary>Timers owned by this leg (ring, answer, sleep...), disposed when it is destroyed.</summary>
    public List<ITimer> Timers { get; } = new();

    public RecordingState? Recording { get; set; }

    /// <summary>Run right after this leg's CHANNEL_HANGUP: bridge partners, originate waiters, conferences.</summary>
    public List<Action<Channel>> HangupHooks { get; } = new();

    /// <summary>Run once the leg is destroyed (an originate learns the final failure here).</summary>
    public List<Action<Channel>> DestroyHooks { get; } = new();

    /// <summary>Called when the far end answers / sends early media / rings (originate watches these).</summary>
    public List<Action> Answering { get; } = new();
    public List<Action> EarlyMedia { get; } = new();
    public List<Action> Ringing { get; } = new();

    /// <summary>switch_channel_flip_cid ran (an API originate was answered): caller and callee swapped.</summary>
    public bool Flipped { get; set; }

    public string InitialCallerIdName { get; set; } = "";
    public string InitialCallerIdNumber { get; set; } = "";
    public string InitialDestination { get; set; } = "";

    /// <summary>Applications run, for mod_json_cdr's app_log (name, data, stamp in microseconds).</summary>
    public List<(string Name, string Data, long Stamp)> AppLog { get; } = new();

    /// <summary>The dialplan extension's applications as written (mod_json_cdr's callflow extension).</summary>
    public List<AppCall> ExtensionApps { get; } = new();

    /// <summary>True on the A side of a uuid_bridge: it holds the bridge and gets CHANNEL_UNBRIDGE.</summary>
    public bool UuidBridgeHolder { get; set; }

    /// <summary>True while the leg's bridge came from uuid_bridge (not the bridge app).</summary>
    public bool UuidBridged { get; set; }

    public bool Parked => Running.Exists(a => a.ParkLoop);

    public static int NumberOf(string state) => StateNumbers[state];

    public ChannelSnapshot Snapshot() => new(
        Uuid,
        Name,
        RunningState,
        CallState,
        AnswerState,
        Direction,
        BridgedTo?.Uuid ?? OtherLeg?.Uuid,
        Vars.ToDictionary(),
        DigitsReceived.ToArray());
}

/// <summary>An application invocation: from the dialplan or from sendmsg (with its event-uuid).</summary>
internal sealed record AppCall(string Name, string? Data, string? ApplicationUuid, bool FromDialplan, int Loops = 1);

/// <summary>An application that is executing and will fire CHANNEL_EXECUTE_COMPLETE when it ends.</summary>
internal sealed class RunningApp
{
    public RunningApp(AppCall call)
    {
        Call = call;
    }

    public AppCall Call { get; }
    public string Name => Call.Name;

    /// <summary>Application-Response of the completion event (FreeSWITCH writes "_none_" when there is none).</summary>
    public string Response { get; set; } = "_none_";

    /// <summary>park, and the async socket app (which parks): sendmsg apps run inside it; CHANNEL_UNPARK ends it.</summary>
    public bool ParkLoop { get; set; }

    /// <summary>Runs when the application ends, before the next one starts.</summary>
    public Action? OnComplete { get; set; }
}

/// <summary>A running uuid_record / record_session on a leg.</summary>
internal sealed class RecordingState
{
    public required string Path { get; init; }
    public required long StartedUs { get; init; }
    public required bool Stereo { get; init; }
    public required int Rate { get; init; }
    public int? LimitSeconds { get; init; }

    /// <summary>When the current pause began (uuid_record pause), or null while recording.</summary>
    public long? PausedSinceUs { get; set; }

    /// <summary>Paused time before the current pause.</summary>
    public long PausedUs { get; set; }

    /// <summary>uuid_record mask: audio replaced by silence, the timeline kept.</summary>
    public bool Masked { get; set; }
}
