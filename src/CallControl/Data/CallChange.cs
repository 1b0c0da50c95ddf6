namespace CallControl.Data;

/// <summary>
/// One status transition of a call and the facts learned with it. Null fields leave the stored value as it is
/// (a transition adds facts, it never erases one).
/// </summary>
public sealed record CallChange
{
    public required string ToStatus { get; init; }
    /// <summary>Why: an event name, a hangup cause, <c>policy</c>, <c>ring_timeout</c>...</summary>
    public string? Reason { get; init; }
    public required DateTime At { get; init; }
    public string? AnsweredVia { get; init; }
    public string? FallbackReason { get; init; }
    public DateTime? RingingAt { get; init; }
    public DateTime? AnsweredAt { get; init; }
    public DateTime? EndedAt { get; init; }
    public int? Duration { get; init; }
    public int? Billsec { get; init; }
    public string? HangupCause { get; init; }
    public int? SipCode { get; init; }
    public string? HangupDisposition { get; init; }
    public string? HungUpBy { get; init; }
    public string? RecordingId { get; init; }
    public DateTime? RingDeadline { get; init; }
    /// <summary>Set when this transition originates a carrier leg (direct or fallback); the PSTN limits count it.</summary>
    public DateTime? PstnDialedAt { get; init; }
}

/// <summary>What a transition did; <paramref name="EndedRecordings"/> are the recordings a final status stamped with
/// the call's end.</summary>
public sealed record TransitionResult(TransitionOutcome Outcome, IReadOnlyList<Guid> EndedRecordings);

/// <summary>The outcome of <see cref="CallStore.TransitionAsync"/>.</summary>
public enum TransitionOutcome
{
    /// <summary>Applied; the call's version is now one higher.</summary>
    Applied,
    /// <summary>The call changed since it was read (its version moved on); reread and decide again.</summary>
    VersionConflict,
    /// <summary>No such call.</summary>
    NotFound,
}

/// <summary>A call with its state history, oldest transition first.</summary>
public sealed record CallWithHistory(CallRecord Call, IReadOnlyList<CallStateChange> History);
