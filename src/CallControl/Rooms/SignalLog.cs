using Microsoft.Extensions.Logging;

namespace CallControl.Rooms;

/// <summary>The signal bus's messages (3100-3149): connection transitions, peers, refused payloads.</summary>
internal static partial class SignalLog
{
    [LoggerMessage(3100, LogLevel.Information, "Signal bus: listening on {Channel} as {Instance}")]
    public static partial void Listening(ILogger logger, string channel, string instance);

    [LoggerMessage(3101, LogLevel.Warning, "Signal bus: the listening connection is lost; retrying (sockets on this instance still get their events)")]
    public static partial void ListenLost(ILogger logger, Exception exception);

    [LoggerMessage(3102, LogLevel.Information, "Signal bus: listening again after {Downtime}; asking peers to re-announce")]
    public static partial void ListenRecovered(ILogger logger, TimeSpan downtime);

    [LoggerMessage(3103, LogLevel.Warning, "Signal bus: publishing failed, {Count} messages dropped (logged once until it works again)")]
    public static partial void PublishFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(3104, LogLevel.Information, "Signal bus: publishing works again")]
    public static partial void PublishRecovered(ILogger logger);

    [LoggerMessage(3105, LogLevel.Warning, "Signal bus: ignored a payload from backend {Pid}: {Reason}")]
    public static partial void PayloadIgnored(ILogger logger, int pid, string reason);

    [LoggerMessage(3106, LogLevel.Information, "Signal bus: peer {Instance} is alive")]
    public static partial void PeerJoined(ILogger logger, string instance);

    [LoggerMessage(3107, LogLevel.Warning, "Signal bus: peer {Instance} not heard for {Timeout}; its users are offline unless connected elsewhere")]
    public static partial void PeerExpired(ILogger logger, string instance, TimeSpan timeout);

    [LoggerMessage(3108, LogLevel.Information, "Signal bus: peer {Instance} said goodbye")]
    public static partial void PeerLeft(ILogger logger, string instance);

    [LoggerMessage(3109, LogLevel.Warning, "Signal bus: a {Kind} message is {Bytes} bytes, over the payload limit; not published")]
    public static partial void Oversize(ILogger logger, SignalKind kind, int bytes);

    [LoggerMessage(3110, LogLevel.Error, "Signal bus: the {Loop} loop failed; it goes on")]
    public static partial void LoopFailed(ILogger logger, string loop, Exception exception);

    [LoggerMessage(3111, LogLevel.Warning, "Signal bus: the calls in progress of {User} could not be read for a new socket")]
    public static partial void StateFailed(ILogger logger, string user, Exception exception);

    [LoggerMessage(3112, LogLevel.Warning, "Signal bus: the publish queue is full; messages are dropped (logged once until it drains)")]
    public static partial void QueueFull(ILogger logger);

    [LoggerMessage(3113, LogLevel.Warning, "Signal bus: another process announces this instance's id {Instance}; give every instance its own Cluster:InstanceId")]
    public static partial void DuplicateInstance(ILogger logger, string instance);

    [LoggerMessage(3114, LogLevel.Warning, "Signal bus: no instance confirmed taking {Action} on room {RoomId} within {Timeout}; the request is answered 503")]
    public static partial void ForwardUnconfirmed(ILogger logger, string roomId, string action, TimeSpan timeout);

    [LoggerMessage(3115, LogLevel.Information, "Signal bus: events since {Since:o} may have been missed; {Events} state events re-sent to the sockets of {Users} users here")]
    public static partial void Resynced(ILogger logger, DateTime since, int events, int users);

    [LoggerMessage(3116, LogLevel.Warning, "Signal bus: the sockets here could not be brought back in step after a gap since {Since:o}")]
    public static partial void ResyncFailed(ILogger logger, DateTime since, Exception exception);
}
