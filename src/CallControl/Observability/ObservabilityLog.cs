namespace CallControl.Observability;

/// <summary>Observability's log messages (6000s).</summary>
internal static partial class ObservabilityLog
{
    [LoggerMessage(6000, LogLevel.Warning, "Metrics sampling: the database did not answer ({Reason}); the queried figures are left out until it does")]
    public static partial void SamplingFailed(ILogger logger, string reason);

    [LoggerMessage(6001, LogLevel.Information, "Metrics sampling: the database answers again")]
    public static partial void SamplingRecovered(ILogger logger);
}
