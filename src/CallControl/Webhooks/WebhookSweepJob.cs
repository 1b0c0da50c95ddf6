using Microsoft.Extensions.Options;

namespace CallControl.Webhooks;

/// <summary>
/// Recurring: re-enqueues events that are due with nobody working on them (a crash between recording an event and
/// enqueuing its job, or between settling one and enqueuing the next of its call). Enqueuing twice is harmless: the
/// claim lets one attempt through.
/// </summary>
public sealed class WebhookSweepJob(WebhookEventStore store, IWebhookJobs jobs, IOptions<WebhookOptions> options, ILogger<WebhookSweepJob> logger)
{
    public const string RecurringId = "webhooks-sweep";

    private const int Batch = 500;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var stranded = await store.StrandedAsync(options.Value.SweepAfter, Batch, cancellationToken).ConfigureAwait(false);
        foreach (var id in stranded)
        {
            jobs.Enqueue(id);
        }

        if (stranded.Count > 0)
        {
            WebhooksLog.Swept(logger, stranded.Count);
        }
    }
}
