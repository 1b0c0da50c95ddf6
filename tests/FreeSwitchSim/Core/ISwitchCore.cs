namespace FreeSwitchSim.Core;

/// <summary>
/// The seam between the simulator's Event Socket layer (Esl/) and its switch model (Switch/): channels,
/// dialplan, gateways, verto clients, applications and API commands. The ESL layer never touches a channel
/// directly; the switch never touches a socket directly.
/// </summary>
public interface ISwitchCore
{
    /// <summary>FreeSWITCH-Hostname of this node (e.g. "vm").</summary>
    string Hostname { get; }

    /// <summary>Core-UUID of this run; changes on restart.</summary>
    string CoreUuid { get; }

    /// <summary>The clock every timer and timestamp uses (a fake one in tests).</summary>
    TimeProvider Clock { get; }

    /// <summary>Fired for every event the switch emits, in emission order (Event-Sequence order).</summary>
    event Action<SimEvent>? EventFired;

    /// <summary>Builds an event carrying the core headers (Core-UUID, FreeSWITCH-Hostname, ..., Event-Sequence)
    /// stamped now; the caller appends its own headers. Used for BACKGROUND_JOB, CUSTOM sendevent and the like.</summary>
    SimEvent NewEvent(string name, string? subclass, string callingFile, string callingFunction, int callingLine);

    /// <summary>Fires an event built with <see cref="NewEvent"/>.</summary>
    void Fire(SimEvent e);

    /// <summary>Runs an API command as <c>api</c> does and returns the exact response body
    /// (e.g. "+OK\n", "-ERR nosuchcommand Command not found!\n").</summary>
    Task<string> ExecuteApiAsync(string command, string? args, CancellationToken cancellationToken);

    /// <summary><c>sendmsg</c>: the parsed headers (call-command, execute-app-name, ...) and optional body for
    /// the channel <paramref name="uuid"/>. Returns the command/reply Reply-Text ("+OK", "-ERR invalid session id [x]").</summary>
    string SendMessage(string uuid, IReadOnlyList<KeyValuePair<string, string>> headers, string? body);

    /// <summary>The CHANNEL_DATA header set of a live channel (for outbound <c>connect</c> and <c>myevents</c>), or null.</summary>
    SimEvent? ChannelData(string uuid);

    /// <summary>Whether a channel with this UUID exists.</summary>
    bool ChannelExists(string uuid);
}

/// <summary>
/// Implemented by the ESL layer: the switch's <c>socket</c> application asks it to connect out to an outbound
/// listener and speak the outbound protocol for the channel. Completes when the socket session ends.
/// </summary>
public interface IOutboundSocketDialer
{
    Task RunOutboundAsync(string uuid, string host, int port, bool async, bool full, CancellationToken cancellationToken);
}
