namespace FreeSwitchSim.Tests.Fidelity;

/// <summary>
/// One side of a session (the capture, or what the simulator sent) read the same way: replies in order, the
/// modelled events, channels numbered by role (order of first appearance of their Unique-ID).
/// </summary>
internal sealed class SessionView
{
    public SessionView(IEnumerable<WireFrame> frames)
    {
        var list = frames.ToList();
        Replies = list.Where(f => f.IsReply).Select(f => f.ReplyString).ToList();
        Events = list.Where(f => f.Event is not null && Modelled(f.Event)).Select(f => f.Event!).ToList();
        Notices = list.Where(f => f.Kind == CallControl.Esl.Protocol.EslFrameKind.DisconnectNotice).Select(f => f.Body).ToList();
        foreach (var e in Events)
        {
            if (e.UniqueId is { } id && !Roles.ContainsKey(id))
            {
                Roles[id] = Roles.Count;
            }
        }
    }

    public List<string> Replies { get; }

    public List<WireEvent> Events { get; }

    public List<string> Notices { get; }

    /// <summary>Channel UUID to role number (0 = the first channel that showed up).</summary>
    public Dictionary<string, int> Roles { get; } = new(StringComparer.Ordinal);

    public List<WireEvent> EventsOf(int role) =>
        Events.Where(e => e.UniqueId is { } id && Roles[id] == role).ToList();

    /// <summary>Events without a channel, except those whose timing depends on when the switch started rather than
    /// on the session (HEARTBEAT and its RE_SCHEDULE come every 20 s from the core's start).</summary>
    public List<WireEvent> Unowned() =>
        Events.Where(e => e.UniqueId is null && !IsHeartbeatTask(e)).ToList();

    public static bool IsHeartbeatTask(WireEvent e) =>
        e.Name == "HEARTBEAT" || (e.Name == "RE_SCHEDULE" && e.Get("Task-Desc") == "heartbeat");

    /// <summary>
    /// False for what FIDELITY.md ("Events not modelled") says the simulator does not produce: RTCP reports, SRTP
    /// notices, shutdown events, the check_ip task's RE_SCHEDULE, conference play-file / floor-change, and the
    /// stock default context's `global` extension steps of verto legs (set open=true, log, sleep).
    /// </summary>
    public static bool Modelled(WireEvent e) => e.Name switch
    {
        "RECV_RTCP_MESSAGE" or "CALL_SECURE" or "MODULE_UNLOAD" or "SHUTDOWN" or "UNPUBLISH" => false,
        "RE_SCHEDULE" => e.Get("Task-Desc") == "heartbeat",
        "CHANNEL_EXECUTE" or "CHANNEL_EXECUTE_COMPLETE" => !IsGlobalExtensionStep(e),
        "CUSTOM" when e.Subclass == "conference::maintenance" => e.Get("Action") is not ("play-file" or "play-file-done" or "floor-change"),
        _ => true,
    };

    private static bool IsGlobalExtensionStep(WireEvent e) =>
        e.Get("Application") is "log" or "sleep" || (e.Get("Application") == "set" && e.Get("Application-Data") == "open=true");
}
