using CallControl.Data;

namespace CallControl.Webhooks;

/// <summary>The event types an application receives.</summary>
public static class WebhookEventTypes
{
    public const string CallRinging = "call.ringing";
    public const string CallFallbackDialing = "call.fallback-dialing";
    public const string CallAnswered = "call.answered";
    /// <summary>Every final status (completed, busy, refused, canceled, no_answer, offline, failed): <c>data.status</c> says which.</summary>
    public const string CallCompleted = "call.completed";
    public const string RecordingArchived = "recording.archived";
    public const string RecordingFailed = "recording.failed";

    /// <summary>The event a call reaching <paramref name="status"/> produces, or null for none.</summary>
    public static string? ForCallStatus(string status) => status switch
    {
        CallStatuses.Ringing => CallRinging,
        CallStatuses.FallbackDialing => CallFallbackDialing,
        CallStatuses.Answered => CallAnswered,
        _ when CallStatuses.IsFinal(status) => CallCompleted,
        _ => null,
    };
}
