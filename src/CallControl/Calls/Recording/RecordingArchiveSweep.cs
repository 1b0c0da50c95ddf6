namespace CallControl.Calls.Recording;

/// <summary>
/// The safety net under <see cref="RecordingArchiveTrigger"/>: every <c>Recording:ArchiveSweepInterval</c> (default
/// 30 s) it releases archive claims older than <c>Recording:ArchiveClaimTimeout</c> (default 2 min: a process that
/// died between claiming and enqueuing) and enqueues every recording that is stopped, whose call is over and that
/// nobody enqueued (an enqueue that failed, Hangfire's storage away for a moment). Every instance runs it; the
/// trigger's guarded claim lets exactly one of them enqueue each recording.
/// </summary>
public sealed class RecordingArchiveSweep(
    RecordingStore store, RecordingArchiveTrigger trigger, IConfiguration configuration, ILogger<RecordingArchiveSweep> logger) : BackgroundService
{
    private const int Batch = 200;

    public TimeSpan Interval { get; } = Setting(configuration, "Recording:ArchiveSweepInterval", TimeSpan.FromSeconds(30));

    public TimeSpan ClaimTimeout { get; } = Setting(configuration, "Recording:ArchiveClaimTimeout", TimeSpan.FromMinutes(2));

    /// <summary>One pass: how many claims it released and how many archives it enqueued.</summary>
    public async Task<(int Released, int Enqueued)> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var released = await store.ReleaseStaleClaimsAsync(ClaimTimeout, cancellationToken).ConfigureAwait(false);
        var enqueued = 0;
        foreach (var id in await store.ArchiveDueAsync(Batch, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (await trigger.TryEnqueueAsync(id, cancellationToken).ConfigureAwait(false) is not null)
                {
                    enqueued++;
                }
            }
#pragma warning disable CA1031 // One recording's failure (logged by the trigger, claim released) must not stop the others.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
            }
        }

        if (released + enqueued > 0)
        {
            RecordingLog.Swept(logger, released, enqueued);
        }

        return (released, enqueued);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, stoppingToken).ConfigureAwait(false);
                await SweepOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The sweep outlives a database outage; it logs and tries again next time.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                RecordingLog.SweepFailed(logger, Interval, ex);
            }
        }
    }

    private static TimeSpan Setting(IConfiguration configuration, string key, TimeSpan fallback)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
            ? value
            : throw new InvalidOperationException($"{key} must be a positive time span (hh:mm:ss), not '{text}'");
    }
}
