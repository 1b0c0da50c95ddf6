namespace CallControl.Calls.Recording;

/// <summary>Recording control's log messages (event ids 4000-4099).</summary>
internal static partial class RecordingLog
{
    [LoggerMessage(4000, LogLevel.Information, "Call {CallId}: recording {RecordingId} started on leg {CallUuid} to {NodePath}")]
    public static partial void Started(ILogger logger, Guid callId, Guid recordingId, string callUuid, string nodePath);

    [LoggerMessage(4001, LogLevel.Warning, "Call {CallId}: uuid_record {Verb} refused: {Reply}")]
    public static partial void Refused(ILogger logger, Guid callId, string verb, string reply);

    [LoggerMessage(4002, LogLevel.Information, "Call {CallId}: recording {RecordingId} {Verb}")]
    public static partial void Controlled(ILogger logger, Guid callId, Guid recordingId, string verb);

    [LoggerMessage(4003, LogLevel.Information, "Recording {RecordingId} stopped on node {Node} ({DurationMs} ms)")]
    public static partial void Stopped(ILogger logger, Guid recordingId, string node, long? durationMs);

    [LoggerMessage(4004, LogLevel.Information, "Recording {RecordingId}: archive job {JobId} enqueued")]
    public static partial void ArchiveEnqueued(ILogger logger, Guid recordingId, string jobId);

    [LoggerMessage(4005, LogLevel.Error, "Recording {RecordingId}: the archive job could not be enqueued")]
    public static partial void ArchiveEnqueueFailed(ILogger logger, Guid recordingId, Exception exception);

    [LoggerMessage(4006, LogLevel.Warning, "Call {CallId}: recording skipped: {Reason}")]
    public static partial void Skipped(ILogger logger, Guid callId, string reason);

    [LoggerMessage(4007, LogLevel.Warning, "Archive sweep: released {Released} stale claim(s), enqueued {Enqueued} archive(s) the trigger had missed")]
    public static partial void Swept(ILogger logger, int released, int enqueued);

    [LoggerMessage(4008, LogLevel.Warning, "Archive sweep failed; trying again in {Interval}")]
    public static partial void SweepFailed(ILogger logger, TimeSpan interval, Exception exception);
}
