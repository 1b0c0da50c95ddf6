using Microsoft.Extensions.Logging;

namespace CallControl.Esl;

/// <summary>The ESL client's log messages (event ids 1000-1099). Transitions are logged, not every attempt.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "ESL {Node}: connected and authenticated")]
    public static partial void Connected(ILogger logger, string node);

    [LoggerMessage(1001, LogLevel.Warning, "ESL {Node}: connection lost ({Kind}): {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string node, string kind, string reason);

    [LoggerMessage(1002, LogLevel.Warning, "ESL {Node}: still down after {Downtime} ({Attempts} attempts); last error: {Reason}")]
    public static partial void StillDown(ILogger logger, string node, TimeSpan downtime, int attempts, string reason);

    [LoggerMessage(1003, LogLevel.Information, "ESL {Node}: recovered after {Downtime} ({Attempts} attempts)")]
    public static partial void Recovered(ILogger logger, string node, TimeSpan downtime, int attempts);

    [LoggerMessage(1004, LogLevel.Error, "ESL {Node}: {Reason}; not retrying for {Backoff}")]
    public static partial void AuthenticationRefused(ILogger logger, string node, string reason, TimeSpan backoff);

    [LoggerMessage(1005, LogLevel.Warning, "ESL {Node}: the event consumer fell behind ({Capacity} events queued); policy {Policy}")]
    public static partial void ConsumerBehind(ILogger logger, string node, int capacity, string policy);

    [LoggerMessage(1006, LogLevel.Information, "ESL {Node}: the event consumer caught up; {Shed} events shed meanwhile")]
    public static partial void ConsumerCaughtUp(ILogger logger, string node, long shed);

    [LoggerMessage(1007, LogLevel.Warning, "ESL {Node}: command '{Command}' got no reply within {Timeout}; the reply queue is out of step, closing the connection")]
    public static partial void CommandTimedOut(ILogger logger, string node, string command, TimeSpan timeout);

    [LoggerMessage(1008, LogLevel.Warning, "ESL {Node}: nothing received for {Silence}; closing the connection as dead")]
    public static partial void LivenessExpired(ILogger logger, string node, TimeSpan silence);

    [LoggerMessage(1009, LogLevel.Information, "ESL {Node}: FreeSWITCH sent a disconnect notice ({Disposition})")]
    public static partial void DisconnectNotice(ILogger logger, string node, string disposition);

    [LoggerMessage(1010, LogLevel.Warning, "ESL {Node}: could not decode a {Kind} frame: {Reason}")]
    public static partial void DecodeFailed(ILogger logger, string node, string kind, string reason);

    [LoggerMessage(1011, LogLevel.Error, "ESL {Node}: re-applying subscriptions failed: {Reason}")]
    public static partial void ResubscribeFailed(ILogger logger, string node, string reason);

    [LoggerMessage(1012, LogLevel.Error, "ESL {Node}: a connection listener threw")]
    public static partial void ListenerFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(1020, LogLevel.Information, "ESL outbound: listening on {Endpoint}")]
    public static partial void OutboundListening(ILogger logger, string endpoint);

    [LoggerMessage(1021, LogLevel.Warning, "ESL outbound: session from {Remote} failed before the handler ran: {Reason}")]
    public static partial void OutboundHandshakeFailed(ILogger logger, string remote, string reason);

    [LoggerMessage(1022, LogLevel.Error, "ESL outbound: the handler for channel {CallUuid} threw")]
    public static partial void OutboundHandlerFailed(ILogger logger, string callUuid, Exception exception);

    [LoggerMessage(1023, LogLevel.Error, "ESL outbound: accept failed")]
    public static partial void OutboundAcceptFailed(ILogger logger, Exception exception);
}
