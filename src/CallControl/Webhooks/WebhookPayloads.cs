using System.Text.Json;
using CallControl.Data;

namespace CallControl.Webhooks;

/// <summary>
/// The JSON an application receives (camelCase): <c>{ id, type, occurredAt, callId, roomId, data }</c>. <c>id</c> is
/// unique per event and the same on every retry of it (receivers dedupe by it). Data fields are always present, null
/// when unknown, so receivers see one shape per type.
/// </summary>
public static class WebhookPayloads
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize(WebhookEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return JsonSerializer.Serialize(envelope, Json);
    }

    /// <summary>The envelope for a committed call status change, or null when the status produces no event.</summary>
    public static WebhookEnvelope? ForCall(Guid eventId, CallStatusChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (WebhookEventTypes.ForCallStatus(change.To) is not { } type)
        {
            return null;
        }

        var facts = change.Facts;
        object data = type == WebhookEventTypes.CallCompleted
            ? new CallCompletedData(
                change.To, change.From, facts.Reason, facts.HangupCause, facts.SipCode, facts.HungUpBy, facts.AnsweredVia,
                facts.FallbackReason, facts.Duration, facts.Billsec, Utc(facts.EndedAt))
            : new CallStatusData(change.To, change.From, facts.Reason, facts.AnsweredVia, facts.FallbackReason);
        return new WebhookEnvelope(eventId, type, Utc(facts.At), change.CallId, change.RoomId, data);
    }

    public static WebhookEnvelope RecordingArchived(Guid eventId, DateTimeOffset at, Guid callId, string roomId, Guid recordingId, string location) =>
        new(eventId, WebhookEventTypes.RecordingArchived, at, callId, roomId, new RecordingArchivedData(recordingId, location));

    public static WebhookEnvelope RecordingFailed(Guid eventId, DateTimeOffset at, Guid callId, string roomId, Guid recordingId, string reason) =>
        new(eventId, WebhookEventTypes.RecordingFailed, at, callId, roomId, new RecordingFailedData(recordingId, reason));

    // timestamptz comes back as UTC; a DateTime of unspecified kind from a caller is UTC by the stores' convention.
    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? at) => at is { } value ? Utc(value) : null;
}

/// <summary>One event as sent. <see cref="Data"/> is one of the data records below, by <see cref="Type"/>.</summary>
public sealed record WebhookEnvelope(Guid Id, string Type, DateTimeOffset OccurredAt, Guid CallId, string RoomId, object Data);

/// <summary><c>call.ringing</c>, <c>call.fallback-dialing</c>, <c>call.answered</c>.</summary>
public sealed record CallStatusData(string Status, string? PreviousStatus, string? Reason, string? AnsweredVia, string? FallbackReason);

/// <summary><c>call.completed</c>: the final status, the hangup cause (null when no leg was hung up, e.g. a policy refusal).</summary>
public sealed record CallCompletedData(
    string Status, string? PreviousStatus, string? Reason, string? HangupCause, int? SipCode, string? HungUpBy,
    string? AnsweredVia, string? FallbackReason, int? Duration, int? Billsec, DateTimeOffset? EndedAt);

/// <summary><c>recording.archived</c>: where the archive store keeps it.</summary>
public sealed record RecordingArchivedData(Guid RecordingId, string Location);

/// <summary><c>recording.failed</c>: why the last archive attempt failed.</summary>
public sealed record RecordingFailedData(Guid RecordingId, string Reason);
