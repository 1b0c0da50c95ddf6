using Microsoft.Extensions.Options;

namespace CallControl.Webhooks;

/// <summary>
/// Records an event (when webhooks are on and the room or the deployment has a receiver) and enqueues its delivery
/// job. The row comes first: a job lost between the two is found by the sweep. Never throws for a webhook problem;
/// the status change it reports is already committed.
/// </summary>
public sealed class WebhookPublisher(
    WebhookEventStore store, IWebhookJobs jobs, IOptions<WebhookOptions> options, ILogger<WebhookPublisher> logger)
{
    public async Task PublishAsync(WebhookEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        try
        {
            var draft = new WebhookEventDraft(
                envelope.Id, envelope.Type, envelope.CallId, envelope.RoomId, envelope.OccurredAt, WebhookPayloads.Serialize(envelope));
            if (await store.InsertAsync(draft, settings.Url, cancellationToken).ConfigureAwait(false))
            {
                // Enqueued even if an earlier event of the call is pending: the job then waits for it (no attempt).
                jobs.Enqueue(envelope.Id);
            }
        }
#pragma warning disable CA1031 // The change is committed; a webhook failure is logged, never thrown into the call's path.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            WebhooksLog.PublishFailed(logger, envelope.Id, envelope.CallId, envelope.Type, ex);
        }
    }
}
