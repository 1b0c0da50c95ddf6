using CallControl.Recording.Jobs;
using Hangfire;

namespace CallControl.Calls.Recording;

/// <summary>
/// Enqueues <c>ArchiveRecordingJob</c> for a recording once it is both stopped and its call is over, exactly once:
/// the claim is one guarded UPDATE (<see cref="RecordingStore.ClaimForArchiveAsync"/>), so the RECORD_STOP and the
/// call's end, whichever comes last, enqueue, and a repeat of either does not.
/// </summary>
public sealed class RecordingArchiveTrigger(RecordingStore store, IBackgroundJobClient jobs, ILogger<RecordingArchiveTrigger> logger)
{
    /// <summary>Enqueues the archive of <paramref name="recordingId"/> if it is due and nobody has; its job id or null.</summary>
    public async Task<string?> TryEnqueueAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        if (!await store.ClaimForArchiveAsync(recordingId, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        string jobId;
        try
        {
            jobId = RecordingJobs.EnqueueArchive(jobs, recordingId);
        }
        catch (Exception ex)
        {
            // Release the claim so the next trigger (or an operator) can enqueue it again.
            RecordingLog.ArchiveEnqueueFailed(logger, recordingId, ex);
            await store.SetArchiveJobAsync(recordingId, null, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await store.SetArchiveJobAsync(recordingId, jobId, CancellationToken.None).ConfigureAwait(false);
        RecordingLog.ArchiveEnqueued(logger, recordingId, jobId);
        return jobId;
    }
}
