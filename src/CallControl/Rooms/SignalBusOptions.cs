namespace CallControl.Rooms;

/// <summary>
/// Configuration section <c>Signaling</c>: the cross-instance signal bus (PostgreSQL LISTEN/NOTIFY) that lets every
/// instance see who is connected to signaling anywhere and push room events to sockets held by another instance.
/// </summary>
public sealed class SignalBusOptions
{
    public const string SectionName = "Signaling";

    /// <summary>How often this instance tells its peers it is alive.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A peer not heard for this long is taken for dead: its users go offline here (their calls' callee-offline path
    /// runs). At least twice <see cref="HeartbeatInterval"/>, so one late heartbeat is not a death.
    /// </summary>
    public TimeSpan PeerTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>The longest wait between attempts to get the listening connection back.</summary>
    public TimeSpan ReconnectCap { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the state snapshot sent to a newly connected socket may take to read (live events wait for it).</summary>
    public TimeSpan StateQueryTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long an action handed to the instance steering the call may take to be confirmed; unconfirmed, the request
    /// that carried it is answered 503 (the client retries) instead of claiming an action nobody took.
    /// </summary>
    public TimeSpan ForwardTimeout { get; set; } = TimeSpan.FromSeconds(2);

    internal bool IsValid =>
        HeartbeatInterval > TimeSpan.Zero &&
        ForwardTimeout > TimeSpan.Zero &&
        PeerTimeout >= 2 * HeartbeatInterval &&
        ReconnectCap > TimeSpan.Zero &&
        StateQueryTimeout > TimeSpan.Zero;
}
