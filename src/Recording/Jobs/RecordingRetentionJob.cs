using CallControl.Recording.Archive;
using CallControl.Recording.Data;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Recording.Jobs;

/// <summary>
/// Purges archived recordings whose retention has ended: the room's <c>recording_retention_days</c>, else the
/// global <see cref="RecordingOptions.RetentionDays"/>, counted from <c>archived_at</c>. Each is deleted from the
/// store, then marked 'purged' (guarded by state 'archived'); nothing else is touched. A failure leaves that
/// recording archived for the next run.
/// </summary>
public sealed class RecordingRetentionJob(
    RecordingRepository recordings,
    IArchiveStore store,
    IOptions<RecordingOptions> options,
    TimeProvider time,
    ILogger<RecordingRetentionJob> logger)
{
    private const int BatchSize = 500;

    [AutomaticRetry(Attempts = 0, LogEvents = false)] // recurring: the next run is the retry
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [JobDisplayName("Purge recordings past retention")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var globalDays = Math.Max(1, options.Value.RetentionDays);
        var purged = 0;
        var skipped = new HashSet<Guid>();
        while (true)
        {
            var now = time.GetUtcNow();
            var due = await recordings.DueForPurgeAsync(now, globalDays, BatchSize + skipped.Count, cancellationToken).ConfigureAwait(false);
            var batch = due.Where(r => !skipped.Contains(r.Id)).ToList();
            if (batch.Count == 0)
            {
                break;
            }
            foreach (var row in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await PurgeAsync(row, now, cancellationToken).ConfigureAwait(false))
                {
                    purged++;
                }
                else
                {
                    skipped.Add(row.Id);
                }
            }
        }
        Log.Purged(logger, purged);
    }

    private async Task<bool> PurgeAsync(RecordingRow row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!string.Equals(row.ArchiveStore, store.Kind, StringComparison.Ordinal) || row.ArchiveLocation is null)
        {
            Log.PurgeOtherStore(logger, row.Id, row.ArchiveStore ?? "?", store.Kind);
            return false;
        }
        try
        {
            await store.DeleteAsync(row.ArchiveLocation, cancellationToken).ConfigureAwait(false);
            return await recordings.MarkPurgedAsync(row.Id, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.PurgeFailed(logger, row.Id, ex);
            return false;
        }
    }
}
