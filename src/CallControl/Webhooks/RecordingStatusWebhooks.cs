using CallControl.Recording;

namespace CallControl.Webhooks;

/// <summary>Recording outcomes to webhook events: <c>recording.archived</c> (with the location) and <c>recording.failed</c> (with the reason).</summary>
public sealed class RecordingStatusWebhooks(
    WebhookPublisher publisher, WebhookEventStore store, TimeProvider clock, ILogger<RecordingStatusWebhooks> logger) : IRecordingStatusSink
{
    public async Task ArchivedAsync(Guid recordingId, Guid callId, string location, CancellationToken cancellationToken)
    {
        if (await RoomOfAsync(recordingId, callId, cancellationToken).ConfigureAwait(false) is { } roomId)
        {
            await publisher.PublishAsync(
                WebhookPayloads.RecordingArchived(Guid.NewGuid(), clock.GetUtcNow(), callId, roomId, recordingId, location),
                cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task FailedAsync(Guid recordingId, Guid callId, string reason, CancellationToken cancellationToken)
    {
        if (await RoomOfAsync(recordingId, callId, cancellationToken).ConfigureAwait(false) is { } roomId)
        {
            await publisher.PublishAsync(
                WebhookPayloads.RecordingFailed(Guid.NewGuid(), clock.GetUtcNow(), callId, roomId, recordingId, reason),
                cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string?> RoomOfAsync(Guid recordingId, Guid callId, CancellationToken cancellationToken)
    {
        try
        {
            var roomId = await store.RoomOfCallAsync(callId, cancellationToken).ConfigureAwait(false);
            if (roomId is null)
            {
                WebhooksLog.RecordingOfUnknownCall(logger, recordingId, callId);
            }

            return roomId;
        }
#pragma warning disable CA1031 // The archive job must not fail for a webhook problem (the sink's contract).
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            WebhooksLog.PublishFailed(logger, recordingId, callId, "recording", ex);
            return null;
        }
    }
}
