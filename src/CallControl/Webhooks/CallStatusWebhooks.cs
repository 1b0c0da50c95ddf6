using CallControl.Data;

namespace CallControl.Webhooks;

/// <summary>
/// Call status changes to webhook events: <c>call.ringing</c> (the call's creation), <c>call.fallback-dialing</c>,
/// <c>call.answered</c>, <c>call.completed</c> (every final status). Invoked by the call store after the commit, under
/// the call's gate, so one call's events are recorded in the order its statuses changed.
/// </summary>
public sealed class CallStatusWebhooks(WebhookPublisher publisher) : ICallStatusObserver
{
    public Task OnCommittedAsync(CallStatusChange change, CancellationToken cancellationToken) =>
        WebhookPayloads.ForCall(Guid.NewGuid(), change) is { } envelope
            ? publisher.PublishAsync(envelope, cancellationToken)
            : Task.CompletedTask;
}
