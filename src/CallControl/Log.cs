using Microsoft.Extensions.Logging;

namespace CallControl;

/// <summary>
/// The service's log messages, one <see cref="LoggerMessageAttribute"/> method each, with stable event ids by area:
/// ESL and switch nodes 1000s (the ESL client itself uses 1000-1099, so the node pool starts at 1100), calls 2000s,
/// rooms 3000s, recording 4000s, CDRs 5000s. Transitions are logged, not every attempt.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1100, LogLevel.Information, "Node {Node}: connecting to FreeSWITCH at {Host}:{Port}")]
    public static partial void NodeStarting(ILogger logger, string node, string host, int port);

    [LoggerMessage(1101, LogLevel.Information, "Node {Node}: connected (reconnect {IsReconnect}, down for {Downtime})")]
    public static partial void NodeConnected(ILogger logger, string node, bool isReconnect, TimeSpan? downtime);

    [LoggerMessage(1102, LogLevel.Warning, "Node {Node}: disconnected ({Kind}): {Reason}")]
    public static partial void NodeDisconnected(ILogger logger, string node, string kind, string reason);

    [LoggerMessage(1103, LogLevel.Error, "Node {Node}: event handler {Handler} failed on {EventName} for channel {CallUuid}")]
    public static partial void HandlerFailed(ILogger logger, string node, string handler, string? eventName, string? callUuid, Exception exception);

    [LoggerMessage(1104, LogLevel.Error, "Node {Node}: connection listener {Listener} failed")]
    public static partial void ListenerFailed(ILogger logger, string node, string listener, Exception exception);

    [LoggerMessage(1105, LogLevel.Error, "Node {Node}: subscribing to events failed")]
    public static partial void SubscribeFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(5000, LogLevel.Information, "CDR leg {CallUuid} stored from {Source} (node {Node})")]
    public static partial void CdrStored(ILogger logger, Guid callUuid, string source, string? node);

    [LoggerMessage(5001, LogLevel.Warning, "CDR POST refused: {Reason}")]
    public static partial void CdrRejected(ILogger logger, string reason);

    [LoggerMessage(5002, LogLevel.Error, "CDR leg {CallUuid} from {Source} could not be stored")]
    public static partial void CdrStoreFailed(ILogger logger, Guid callUuid, string source, Exception exception);

    [LoggerMessage(5003, LogLevel.Warning, "CDR event from node {Node} skipped: {Reason}")]
    public static partial void CdrEventSkipped(ILogger logger, string node, string reason);
}
