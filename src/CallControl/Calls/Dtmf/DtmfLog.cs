namespace CallControl.Calls.Dtmf;

internal static partial class DtmfLog
{
    [LoggerMessage(2401, LogLevel.Information, "Call {CallId}: {Count} DTMF digit(s) sent to the {Role} leg {CallUuid}")]
    public static partial void Sent(ILogger logger, Guid callId, int count, string role, string callUuid);

    [LoggerMessage(2402, LogLevel.Warning, "Call {CallId}: uuid_send_dtmf on {CallUuid} refused: {Reply}")]
    public static partial void SendRefused(ILogger logger, Guid callId, string callUuid, string reply);

    [LoggerMessage(2403, LogLevel.Warning, "Call {CallId}: DTMF on leg {CallUuid} not recorded")]
    public static partial void NotRecorded(ILogger logger, Exception exception, Guid callId, string callUuid);
}
