namespace CallControl.Data;

/// <summary>The data layer's log messages (2900s: call storage).</summary>
internal static partial class DataLog
{
    [LoggerMessage(2901, LogLevel.Error, "Call {CallId}: status observer {Observer} failed on the change to {Status}")]
    public static partial void ObserverFailed(ILogger logger, Guid callId, string status, string observer, Exception exception);
}
