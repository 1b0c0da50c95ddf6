namespace CallControl.Recording;

/// <summary>
/// Told when a recording reaches a final archive state, so the service can tell applications (status webhooks).
/// The archive jobs call it after the state is committed in PostgreSQL; an implementation must not throw for a
/// delivery problem of its own (it queues and retries elsewhere). Without a registration, nobody is told.
/// </summary>
public interface IRecordingStatusSink
{
    /// <summary>The recording <paramref name="recordingId"/> of call <paramref name="callId"/> is archived at
    /// <paramref name="location"/> (the archive store's URI for it).</summary>
    Task ArchivedAsync(Guid recordingId, Guid callId, string location, CancellationToken cancellationToken);

    /// <summary>The recording could not be archived after the last retry, for <paramref name="reason"/>.</summary>
    Task FailedAsync(Guid recordingId, Guid callId, string reason, CancellationToken cancellationToken);
}
