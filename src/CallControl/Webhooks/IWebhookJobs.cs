namespace CallControl.Webhooks;

/// <summary>Runs <see cref="WebhookDelivery.RunAsync"/> for an event, now or later (Hangfire jobs in the service).</summary>
public interface IWebhookJobs
{
    void Enqueue(Guid eventId);

    void Schedule(Guid eventId, TimeSpan delay);
}
