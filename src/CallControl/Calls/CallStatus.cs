namespace CallControl.Calls;

/// <summary>
/// The status of a room call as stored in <c>calls.status</c>. A call is created <see cref="Ringing"/>, may move to
/// <see cref="FallbackDialing"/> and <see cref="Answered"/>, and ends in exactly one final status.
/// </summary>
public enum CallStatus
{
    Ringing,
    FallbackDialing,
    Answered,
    Completed,
    Busy,
    Refused,
    NoAnswer,
    Offline,
    Canceled,
    Failed,
}

/// <summary>Wire names (the strings the schema's CHECK constraint and the JSON contract use).</summary>
public static class CallStatusNames
{
    public static string ToWire(this CallStatus status) => status switch
    {
        CallStatus.Ringing => "ringing",
        CallStatus.FallbackDialing => "fallback-dialing",
        CallStatus.Answered => "answered",
        CallStatus.Completed => "completed",
        CallStatus.Busy => "busy",
        CallStatus.Refused => "refused",
        CallStatus.NoAnswer => "no_answer",
        CallStatus.Offline => "offline",
        CallStatus.Canceled => "canceled",
        CallStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown call status"),
    };

    public static bool IsFinal(this CallStatus status) =>
        status is not (CallStatus.Ringing or CallStatus.FallbackDialing or CallStatus.Answered);
}
