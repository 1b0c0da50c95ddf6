using System.Globalization;
using FreeSwitchSim.Core;
using Microsoft.Extensions.Logging;

namespace FreeSwitchSim.Switch;

/// <summary>
/// The core's state machine for legs: creation, states, call states, apps, bridges and hangups. Every method runs
/// under the switch lock (<see cref="EventBus.Sync"/>), so events for one channel are fired in order.
/// </summary>
internal sealed partial class CallEngine
{
    private static readonly string[] CallStateNames = ["DOWN", "DIALING", "RINGING", "EARLY", "ACTIVE", "HELD", "RING_WAIT", "HANGUP", "UNHELD"];

    public CallEngine(SimSwitchOptions options, TimeProvider clock, EventBus bus, ILogger logger)
    {
        Options = options;
        Clock = clock;
        Bus = bus;
        Events = new ChannelEvents(bus);
        Logger = logger;
    }

    public SimSwitchOptions Options { get; }
    public TimeProvider Clock { get; }
    public EventBus Bus { get; }
    public ChannelEvents Events { get; }
    public ILogger Logger { get; }
    public object Sync => Bus.Sync;

    public Dictionary<string, Channel> Channels { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Dialplan rules by destination (room-, sock-, conf- ...).</summary>
    public Dialplan Dialplan { get; set; } = new();

    /// <summary>The carrier gateways' number rules.</summary>
    public Gateways Gateways { get; set; } = null!;

    /// <summary>Runs the <c>socket</c> app: the ESL layer's outbound dialer.</summary>
    public IOutboundSocketDialer? OutboundDialer { get; set; }

    /// <summary>
    /// A leg's reporting state (mod_json_cdr hooks here): called before CHANNEL_HANGUP_COMPLETE with the leg's final
    /// variables; the task completes when its CDR is delivered or spooled, and the teardown goes on after it.
    /// </summary>
    public Func<Channel, Task?>? Reporting { get; set; }

    /// <summary>mod_verto: logged-in browser clients.</summary>
    public Verto? Verto { get; set; }

    /// <summary>The conference module (mod_conference).</summary>
    public Conferences Conferences { get; set; } = null!;

    public int SessionCounter { get; set; }
    public long SessionsSinceStartup { get; set; }
    public long PeakSessions { get; set; }

    public long NowUs() => Bus.NowUs();

    public Channel? Find(string uuid) => Channels.TryGetValue(uuid, out var c) && !c.Destroyed ? c : null;

    public Channel NewChannel(string uuid, string name, LegKind kind, string direction)
    {
        var c = new Channel(uuid, name, kind, direction) { CreatedUs = NowUs() };
        Channels[uuid] = c;
        SessionCounter++;
        SessionsSinceStartup++;
        PeakSessions = Math.Max(PeakSessions, Channels.Count);
        return c;
    }

    /// <summary>The state machine runs a new state: CHANNEL_STATE (no variables).</summary>
    public void SetRunning(Channel c, string state)
    {
        c.RunningState = state;
        c.StateNumber = Channel.NumberOf(state);
        Events.Fire(c, "CHANNEL_STATE", CallSites.State, vars: false);
    }

    public void SetCallState(Channel c, string state)
    {
        var old = c.CallState;
        if (old == state)
        {
            return;
        }
        c.CallState = state;
        var number = Array.IndexOf(CallStateNames, state).ToString(CultureInfo.InvariantCulture);
        Events.Fire(c, "CHANNEL_CALLSTATE", CallSites.CallState, vars: false, lead: e => e
            .Add("Original-Channel-Call-State", old)
            .Add("Channel-Call-State-Number", number));
    }

    /// <summary>mod_verto sends presence for its legs (PRESENCE_IN, no variables).</summary>
    public void Presence(Channel c, string status, string callInfoState)
    {
        if (!c.IsVerto)
        {
            return;
        }
        Events.Fire(c, "PRESENCE_IN", CallSites.PresenceIn, vars: false, trail: e => e
            .Add("proto", "verto")
            .Add("login", c.PresenceId ?? "")
            .Add("from", c.PresenceId ?? "")
            .Add("rpid", "unknown")
            .Add("status", status)
            .Add("event_type", "presence")
            .Add("alt_event_type", "dialog")
            .Add("presence-call-info-state", callInfoState)
            .Add("presence-call-direction", c.Direction)
            .Add("event_count", "1")
            .Add("Presence-Calling-File", "mod_verto.c")
            .Add("Presence-Calling-Function", "verto_set_media_options")
            .Add("Presence-Calling-Line", "1"));
    }

    public ITimer After(Channel? owner, TimeSpan delay, Action action)
    {
        ITimer? timer = null;
        timer = Clock.CreateTimer(_ =>
        {
            lock (Sync)
            {
                timer?.Dispose();
                if (owner is { Destroyed: true })
                {
                    return;
                }
                try
                {
                    action();
                }
                catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or KeyNotFoundException)
                {
                    Log.TimerFailed(Logger, ex);
                }
            }
        }, null, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
        owner?.Timers.Add(timer);
        return timer;
    }

    public static string Q850(string cause) => cause switch
    {
        "UNALLOCATED_NUMBER" => "1",
        "NO_ROUTE_DESTINATION" => "3",
        "NORMAL_CLEARING" => "16",
        "USER_BUSY" => "17",
        "NO_USER_RESPONSE" => "18",
        "NO_ANSWER" => "19",
        "SUBSCRIBER_ABSENT" => "20",
        "EXCHANGE_ROUTING_ERROR" => "25",
        "INVALID_NUMBER_FORMAT" => "28",
        "NORMAL_UNSPECIFIED" => "31",
        "NETWORK_OUT_OF_ORDER" => "38",
        "REQUESTED_CHAN_UNAVAIL" => "44",
        "INCOMPATIBLE_DESTINATION" => "88",
        "RECOVERY_ON_TIMER_EXPIRE" => "102",
        "CALL_REJECTED" => "21",
        "DESTINATION_OUT_OF_ORDER" => "27",
        "NORMAL_TEMPORARY_FAILURE" => "41",
        "CHAN_NOT_IMPLEMENTED" => "66",
        "ORIGINATOR_CANCEL" => "487",
        "MANAGER_REQUEST" => "503",
        "SYSTEM_SHUTDOWN" => "503",
        "MEDIA_TIMEOUT" => "604",
        "USER_NOT_REGISTERED" => "606",
        "INVALID_GATEWAY" => "608",
        _ => "0",
    };

    /// <summary>Valid hangup cause names (switch_channel_str2cause); anything else becomes NORMAL_CLEARING.</summary>
    public static string NormalizeCause(string? cause)
    {
        if (string.IsNullOrWhiteSpace(cause))
        {
            return "NORMAL_CLEARING";
        }
        var upper = cause.Trim().ToUpperInvariant();
        return Q850(upper) != "0" || upper is "NONE" or "LOSE_RACE" or "ATTENDED_TRANSFER" or "CRASH" ? upper : "NORMAL_CLEARING";
    }
}
