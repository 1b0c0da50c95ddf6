namespace CallControl.Calls;

// What the machine wants done. The shell carries each out with one ESL command, one signaling push or one store
// write, in list order. Leg UUIDs are values the machine got from inputs; numbers only from CallCreated.

/// <summary>Something the shell must do for a call.</summary>
public abstract record CallCommand(Guid CallId);

/// <summary>Push an invite to the callee over the signaling WebSocket.</summary>
public sealed record AlertCallee(Guid CallId, string RoomId, string CalleeUserId, string CallerUserId, CallMedia Media)
    : CallCommand(CallId);

/// <summary>Push a room event to one party (the callee only when it is an app user). <see cref="Status"/> is the call's status after this step.</summary>
public sealed record NotifyParty(Guid CallId, string RoomId, CallParty Party, PartyNotice Notice, CallStatus Status)
    : CallCommand(CallId);

/// <summary><c>uuid_answer &lt;leg&gt;</c>. FreeSWITCH refuses to uuid_bridge two legs neither of which is answered.</summary>
public sealed record AnswerLeg(Guid CallId, string LegUuid) : CallCommand(CallId);

/// <summary><c>uuid_bridge &lt;caller&gt; &lt;callee&gt;</c>; its reply comes back as <see cref="BridgeReplied"/>.</summary>
public sealed record BridgeLegs(Guid CallId, string CallerLegUuid, string CalleeLegUuid) : CallCommand(CallId);

/// <summary>
/// Bridge the caller's leg to the carrier: <c>sendmsg &lt;caller&gt; execute bridge
/// {origination_uuid=&lt;pstn&gt;,ignore_early_media=false,originate_timeout=&lt;s&gt;,hangup_after_bridge=true,...}sofia/gateway/...</c>,
/// the dial string built by <c>Dialing</c> from <see cref="Number"/>. ignore_early_media=false lets the carrier's
/// 180/183 reach the caller before the answer. Without continue_on_fail FreeSWITCH itself hangs the caller's leg up
/// with the originate cause when the attempt fails. <see cref="Reason"/> is null for a direct phone call.
/// </summary>
public sealed record DialPstn(
    Guid CallId, string RoomId, string CallerLegUuid, string PstnLegUuid, string Number, TimeSpan OriginateTimeout,
    FallbackReason? Reason) : CallCommand(CallId);

/// <summary><c>uuid_kill &lt;leg&gt; &lt;cause&gt;</c>. A leg that is already gone answers -ERR; that is harmless.</summary>
public sealed record HangupLeg(Guid CallId, string LegUuid, string Cause) : CallCommand(CallId);

/// <summary>Arm the ring timer; persist <see cref="Deadline"/> (<c>calls.ring_deadline</c>) so another instance can resume it.</summary>
public sealed record StartRingTimer(Guid CallId, DateTimeOffset Deadline) : CallCommand(CallId);

/// <summary>Disarm the ring timer and clear the persisted deadline.</summary>
public sealed record CancelRingTimer(Guid CallId) : CallCommand(CallId);

/// <summary>Append to the call's state history (<c>call_state_history</c>) and set <c>calls.status</c>.</summary>
public sealed record RecordTransition(Guid CallId, CallStatus? From, CallStatus To, string Reason, DateTimeOffset At)
    : CallCommand(CallId);

/// <summary>The call was answered: set <c>answered_via</c> and <c>answered_at</c>.</summary>
public sealed record SetAnswered(Guid CallId, AnsweredVia Via, DateTimeOffset At) : CallCommand(CallId);

/// <summary>
/// The call ended: its final fields. <see cref="HangupCause"/>, <see cref="SipCode"/> and <see cref="HangupDisposition"/>
/// are those of the leg whose end decided the outcome (the carrier's for carrier outcomes; the cause this service
/// chose, with no SIP code, when it decided itself).
/// </summary>
public sealed record SetFinalFields(
    Guid CallId,
    CallStatus Status,
    DateTimeOffset EndedAt,
    string HangupCause,
    int? SipCode,
    string? HangupDisposition,
    CallParty HungUpBy,
    AnsweredVia? AnsweredVia,
    FallbackReason? FallbackReason) : CallCommand(CallId);

/// <summary>Start recording the bridged call on the caller's leg (<c>uuid_record &lt;leg&gt; start &lt;path&gt;</c>).</summary>
public sealed record StartRecording(Guid CallId, string LegUuid) : CallCommand(CallId);
