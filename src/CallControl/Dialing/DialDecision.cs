namespace CallControl.Dialing;

/// <summary>Why the dialing policy refused a number (the <c>reason</c> in Problem Details and in logs).</summary>
public static class DialRefusalReasons
{
    /// <summary>PSTN dialing is switched off. Also the <c>fallback_reason</c>/failure reason a refused call records.</summary>
    public const string Policy = "policy";
    public const string InvalidNumber = "invalid_number";
    public const string BlockedPrefix = "blocked_prefix";
    public const string NotAllowedPrefix = "not_allowed_prefix";
    public const string ConcurrencyLimit = "concurrency_limit";
    public const string DailyLimit = "daily_limit";
}

/// <summary>
/// The dialing policy's answer: either the validated number, or a refusal with its reason. A refused call ends
/// as <c>failed</c> with reason <see cref="DialRefusalReasons.Policy"/> and nothing is originated.
/// </summary>
public sealed record DialDecision
{
    private DialDecision(E164Number? number, string? reason, string detail)
    {
        Number = number;
        Reason = reason;
        Detail = detail;
    }

    /// <summary>The number to dial; set exactly when <see cref="Allowed"/>.</summary>
    public E164Number? Number { get; }

    /// <summary>One of <see cref="DialRefusalReasons"/>, or null when allowed.</summary>
    public string? Reason { get; }

    /// <summary>A sentence for Problem Details' <c>detail</c>; never echoes the rejected input.</summary>
    public string Detail { get; }

    public bool Allowed => Number is not null;

    public static DialDecision Allow(E164Number number) => new(number ?? throw new ArgumentNullException(nameof(number)), null, "allowed");

    public static DialDecision Refuse(string reason, string detail) => new(null, reason, detail);
}

/// <summary>A user's carrier calls: live now, and dialed since the start of the limit window.</summary>
public readonly record struct PstnUsage(int Live, int InWindow);
