namespace CallControl.Webhooks;

/// <summary>Status webhook log messages (6000s). Transitions are logged (first failure, gave up), not every attempt.</summary>
internal static partial class WebhooksLog
{
    [LoggerMessage(6001, LogLevel.Warning, "Webhook {EventId} ({Type}) of call {CallId}: first attempt failed ({Error}); retrying with backoff")]
    public static partial void FirstAttemptFailed(ILogger logger, Guid eventId, Guid callId, string type, string? error);

    [LoggerMessage(6002, LogLevel.Error, "Webhook {EventId} ({Type}) of call {CallId}: failed after {Attempts} attempts ({Error})")]
    public static partial void GaveUp(ILogger logger, Guid eventId, Guid callId, string type, int attempts, string? error);

    [LoggerMessage(6003, LogLevel.Error, "Webhook {EventId} ({Type}) of call {CallId} could not be recorded")]
    public static partial void PublishFailed(ILogger logger, Guid eventId, Guid callId, string type, Exception exception);

    [LoggerMessage(6004, LogLevel.Warning, "Recording {RecordingId}: call {CallId} not found, no webhook")]
    public static partial void RecordingOfUnknownCall(ILogger logger, Guid recordingId, Guid callId);

    [LoggerMessage(6005, LogLevel.Error, "Webhook dispatcher failed; trying again in {Delay}")]
    public static partial void DispatchFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(6006, LogLevel.Warning, "Webhooks are off: Webhooks:Secret is not set, so no status events are recorded")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(6007, LogLevel.Warning, "Webhook jobs: {Capacity} are waiting to be enqueued; new ones are left to the dispatcher's sweep (logged once until there is room)")]
    public static partial void EnqueueQueueFull(ILogger logger, int capacity);

    [LoggerMessage(6008, LogLevel.Warning, "Webhook {EventId}: its delivery job could not be enqueued; the dispatcher's sweep enqueues it again")]
    public static partial void EnqueueFailed(ILogger logger, Guid eventId, Exception exception);
}
