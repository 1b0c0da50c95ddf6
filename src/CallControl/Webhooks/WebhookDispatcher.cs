using Microsoft.Extensions.Options;

namespace CallControl.Webhooks;

/// <summary>
/// Enqueues the delivery job of each event that is due: a retry whose backoff ran out, or an event whose job was
/// lost. It polls the database every <see cref="WebhookOptions.PollInterval"/>, on every service instance; the
/// dispatch marks rows with SKIP LOCKED, so instances share the work, and a duplicate job would only find the event
/// claimed or settled. (The wait lives in the database rather than in Hangfire's delayed jobs, so a retry is neither
/// lost nor late when the process restarts.)
/// </summary>
public sealed class WebhookDispatcher(
    WebhookEventStore store, IWebhookJobs jobs, IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private const int Batch = 500;

    /// <summary>One pass: enqueues what is due now; how many.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return 0;
        }

        var due = await store.DispatchDueAsync(settings.LostJobAfter, Batch, cancellationToken).ConfigureAwait(false);
        foreach (var id in due)
        {
            jobs.Enqueue(id);
        }

        return due.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch means more may be due: go again at once.
                if (await DispatchOnceAsync(stoppingToken).ConfigureAwait(false) == Batch)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop outlives a database outage; it logs and tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                WebhooksLog.DispatchFailed(logger, interval, ex);
            }

            try
            {
                await Task.Delay(interval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
