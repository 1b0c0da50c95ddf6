using Hangfire;

namespace CallControl.Webhooks;

/// <summary>Delivery attempts as Hangfire jobs (they take the event id only, and are idempotent: see <see cref="WebhookDelivery"/>).</summary>
public sealed class HangfireWebhookJobs(IBackgroundJobClient client) : IWebhookJobs
{
    public void Enqueue(Guid eventId) =>
        client.Enqueue<WebhookDeliveryJob>(job => job.RunAsync(eventId, CancellationToken.None));
}

/// <summary>
/// One delivery attempt of one event. A receiver's failure is not an exception here (the attempt is stored and the
/// retry made due by <see cref="WebhookDelivery"/>); an exception means our side failed (the database), and
/// Hangfire's retry runs the job again, which the claim makes safe.
/// </summary>
public sealed class WebhookDeliveryJob(WebhookDelivery delivery)
{
    [JobDisplayName("Webhook {0}")]
    public Task RunAsync(Guid eventId, CancellationToken cancellationToken) => delivery.RunAsync(eventId, cancellationToken);
}
