namespace CallControl.Calls;

/// <summary>Where a live call is, finer than its <see cref="CallStatus"/>: what the machine waits for next.</summary>
public enum CallPhase
{
    /// <summary>No <see cref="CallCreated"/> yet.</summary>
    None,

    /// <summary>Ringing in the app: waiting for the callee to join and both legs to park.</summary>
    AwaitingCallee,

    /// <summary>Both legs parked: answer and uuid_bridge sent, waiting for the reply.</summary>
    Bridging,

    /// <summary>Going to the carrier (fallback or a direct call), but the caller's leg has not parked yet.</summary>
    AwaitingCallerLeg,

    /// <summary>The caller's leg is bridging to the carrier; waiting for the carrier leg's answer or failure.</summary>
    DialingPstn,

    /// <summary>Answered: the two parties talk.</summary>
    Talking,

    /// <summary>A final status was reached; only late events remain.</summary>
    Ended,
}

/// <summary>The facts a call is created with; they do not change afterwards.</summary>
public sealed record CallSetup(
    Guid CallId,
    string RoomId,
    string CallerUserId,
    string? CalleeUserId,
    string? CalleeNumber,
    bool CalleeFallbackAllowed,
    CallMedia Media,
    bool Record,
    FallbackPolicy Policy,
    TimeSpan RingTimeout,
    TimeSpan PstnRingTimeout,
    string PstnLegUuid)
{
    /// <summary>A direct phone call: no app user to ring, the carrier is dialed at once.</summary>
    public bool IsDirect => CalleeUserId is null;

    /// <summary>Fallback for this reason is allowed by the (room-overridden) policy, and the callee has a number on file and allows it.</summary>
    public bool CanFallBack(FallbackReason reason) =>
        !IsDirect && CalleeNumber is not null && CalleeFallbackAllowed && Policy.Allows(reason);
}

/// <summary>One entry of a call's state history.</summary>
public sealed record CallHistoryEntry(CallStatus? From, CallStatus To, string Reason, DateTimeOffset At);

/// <summary>
/// A call's state: a plain immutable value, serialisable, persisted between inputs. Start from <see cref="Empty"/>.
/// </summary>
public sealed record CallState
{
    public static CallState Empty { get; } = new();

    public CallSetup? Setup { get; init; }

    public CallStatus? Status { get; init; }

    public CallPhase Phase { get; init; } = CallPhase.None;

    public string? CallerLegUuid { get; init; }

    public string? CalleeLegUuid { get; init; }

    /// <summary>The carrier leg was dialed (its UUID is <see cref="CallSetup.PstnLegUuid"/>).</summary>
    public bool PstnDialed { get; init; }

    public bool CallerLegEnded { get; init; }

    public bool CalleeLegEnded { get; init; }

    public bool PstnLegEnded { get; init; }

    /// <summary>The callee was sent an invite over signaling (so it must hear how the call ends).</summary>
    public bool CalleeAlerted { get; init; }

    public bool CalleeJoined { get; init; }

    /// <summary>The caller was told the carrier leg is ringing (sent once, at the first 180/183).</summary>
    public bool PstnRingingNotified { get; init; }

    /// <summary>The armed ring timer's deadline; null when none is armed.</summary>
    public DateTimeOffset? RingDeadline { get; init; }

    public FallbackReason? FallbackReason { get; init; }

    public AnsweredVia? AnsweredVia { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The cause this call's legs are hung up with when they turn up after the end.</summary>
    public string? FinalCause { get; init; }

    public IReadOnlyList<CallHistoryEntry> History { get; init; } = [];

    /// <summary>Legs that parked in this room but were not adopted (and were hung up), so a repeated park is recognised.</summary>
    public IReadOnlyList<string> StrayLegUuids { get; init; } = [];

    public bool IsFinal => Status is { } status && status.IsFinal();
}

/// <summary>The outcome of one input: the new state and what to do, in order.</summary>
public sealed record CallTransition(CallState State, IReadOnlyList<CallCommand> Commands)
{
    public static CallTransition Ignore(CallState state) => new(state, []);
}
