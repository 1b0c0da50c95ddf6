namespace CallControl.Data;

/// <summary>The <c>calls.status</c> values (the table's CHECK constraint lists the same).</summary>
public static class CallStatuses
{
    public const string Ringing = "ringing";
    public const string FallbackDialing = "fallback-dialing";
    public const string Answered = "answered";
    public const string Completed = "completed";
    public const string Busy = "busy";
    public const string Refused = "refused";
    public const string NoAnswer = "no_answer";
    public const string Offline = "offline";
    public const string Canceled = "canceled";
    public const string Failed = "failed";

    /// <summary>Statuses a call ends in; no PSTN leg of a call in one of these is live.</summary>
    public static readonly IReadOnlyList<string> Final = [Completed, Busy, Refused, NoAnswer, Offline, Canceled, Failed];

    public static bool IsFinal(string status) => Final.Contains(status);
}
