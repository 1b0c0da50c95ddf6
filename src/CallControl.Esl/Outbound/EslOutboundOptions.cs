using System.Net;
using CallControl.Esl.Connection;
using CallControl.Esl.Protocol;

namespace CallControl.Esl.Outbound;

/// <summary>Settings of the listener FreeSWITCH's <c>socket</c> application connects to
/// (<c>socket 127.0.0.1:8084 async full</c>).</summary>
public sealed class EslOutboundOptions
{
    /// <summary>Where to listen (loopback or a private network; port 0 picks a free port).</summary>
    public IPEndPoint Endpoint { get; set; } = new(IPAddress.Loopback, 8084);

    /// <summary>Time allowed for the <c>connect</c> reply (CHANNEL_DATA) once FreeSWITCH has connected.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time a command may wait for its reply; a timeout ends the session (replies are positional).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Frame size limits.</summary>
    public EslFrameLimits FrameLimits { get; set; } = EslFrameLimits.Default;

    /// <summary>Capacity of each session's event queue.</summary>
    public int EventQueueCapacity { get; set; } = 1_000;

    /// <summary>What a full event queue does.</summary>
    public EslOverflowPolicy OverflowPolicy { get; set; } = EslOverflowPolicy.Wait;

    internal EslConnectionOptions ToConnectionOptions(string remote) => new()
    {
        Name = $"outbound {remote}",
        CommandTimeout = CommandTimeout,
        ConnectTimeout = ConnectTimeout,
        FrameLimits = FrameLimits,
        EventQueueCapacity = EventQueueCapacity,
        OverflowPolicy = OverflowPolicy,
        LivenessTimeout = null,
    };
}
