namespace CallControl.Webhooks;

/// <summary>
/// Runs <see cref="WebhookDelivery.RunAsync"/> for an event (a Hangfire job in the service). Only "now": a retry's
/// wait lives in the database (<c>next_attempt_at</c>), and <see cref="WebhookDispatcher"/> enqueues it when due.
/// </summary>
public interface IWebhookJobs
{
    void Enqueue(Guid eventId);
}
