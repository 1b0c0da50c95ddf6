using Microsoft.Extensions.Logging;

namespace CallControl.Recording;

/// <summary>The recording archive's log messages (event ids 4100-4199; the service's recording control uses 4000s
/// below 4100). State changes are logged, not every step.</summary>
internal static partial class Log
{
    [LoggerMessage(4100, LogLevel.Information, "Recording {RecordingId}: archived to {Location} ({Bytes} bytes, {DurationMs} ms, attempt {Attempt})")]
    public static partial void Archived(ILogger logger, Guid recordingId, string location, long bytes, long durationMs, int attempt);

    [LoggerMessage(4101, LogLevel.Debug, "Recording {RecordingId}: already {State}, nothing to archive")]
    public static partial void NothingToDo(ILogger logger, Guid recordingId, string state);

    [LoggerMessage(4102, LogLevel.Warning, "Recording {RecordingId}: not archived yet, still {State}")]
    public static partial void NotFinished(ILogger logger, Guid recordingId, string state);

    [LoggerMessage(4103, LogLevel.Warning, "Recording {RecordingId}: unknown recording, nothing to archive")]
    public static partial void UnknownRecording(ILogger logger, Guid recordingId);

    [LoggerMessage(4104, LogLevel.Error, "Recording {RecordingId}: not a valid recording, marked failed: {Reason}")]
    public static partial void InvalidRecording(ILogger logger, Guid recordingId, string reason);

    [LoggerMessage(4105, LogLevel.Warning, "Recording {RecordingId}: archive attempt {Attempt} of {MaxAttempts} failed")]
    public static partial void AttemptFailed(ILogger logger, Guid recordingId, int attempt, int maxAttempts, Exception exception);

    [LoggerMessage(4106, LogLevel.Error, "Recording {RecordingId}: archive failed after {Attempts} attempts, marked failed: {Reason}")]
    public static partial void GaveUp(ILogger logger, Guid recordingId, int attempts, string reason);

    [LoggerMessage(4107, LogLevel.Information, "Recording {RecordingId}: archived by another run meanwhile; this run's copy is the same object")]
    public static partial void ArchivedByOtherRun(ILogger logger, Guid recordingId);

    [LoggerMessage(4108, LogLevel.Error, "Recording status sink failed for recording {RecordingId}")]
    public static partial void SinkFailed(ILogger logger, Guid recordingId, Exception exception);

    [LoggerMessage(4109, LogLevel.Warning, "Recording {RecordingId}: source {Path} could not be deleted after archiving")]
    public static partial void SourceNotDeleted(ILogger logger, Guid recordingId, string path, Exception exception);

    [LoggerMessage(4110, LogLevel.Information, "Retention: purged {Count} recordings archived before their retention ended")]
    public static partial void Purged(ILogger logger, int count);

    [LoggerMessage(4111, LogLevel.Warning, "Retention: recording {RecordingId} is in store '{Store}', not the configured '{Configured}'; left alone")]
    public static partial void PurgeOtherStore(ILogger logger, Guid recordingId, string store, string configured);

    [LoggerMessage(4112, LogLevel.Error, "Retention: purging recording {RecordingId} failed; the next run tries again")]
    public static partial void PurgeFailed(ILogger logger, Guid recordingId, Exception exception);
}
