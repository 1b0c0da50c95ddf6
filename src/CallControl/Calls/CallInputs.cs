namespace CallControl.Calls;

// Everything that can happen to a call, as plain values. Time comes in with each input (the machine reads no clock).
// Leg UUIDs are FreeSWITCH's Unique-ID values. Which ESL event each input comes from is noted on it; the shell maps
// events to inputs by the call id / room id channel variables and the leg UUIDs the state knows.

/// <summary>Something that happened to a call, at <see cref="At"/>.</summary>
public abstract record CallInput(DateTimeOffset At);

/// <summary>
/// The room call is created (<c>POST /api/rooms</c>). Either <see cref="CalleeUserId"/> is set (a room call to an app
/// user, who may have <see cref="CalleeNumber"/> on file) or only <see cref="CalleeNumber"/> is (a direct phone call).
/// <see cref="CalleeNumber"/> must already have passed the dialing policy; the machine dials only this number.
/// <see cref="PstnLegUuid"/> is chosen by the shell up front (it becomes <c>origination_uuid</c>) so that the carrier
/// leg's events can be told apart before FreeSWITCH reports anything.
/// </summary>
public sealed record CallCreated(
    DateTimeOffset At,
    Guid CallId,
    string RoomId,
    string CallerUserId,
    string? CalleeUserId,
    string? CalleeNumber,
    bool CalleeOnline,
    bool CalleeFallbackAllowed,
    CallMedia Media,
    bool Record,
    FallbackPolicy Policy,
    FallbackPolicyOverrides? RoomOverrides,
    TimeSpan RingTimeout,
    TimeSpan PstnRingTimeout,
    string PstnLegUuid) : CallInput(At);

/// <summary>The caller's leg parked in <c>room-&lt;id&gt;</c> (CHANNEL_PARK).</summary>
public sealed record CallerLegParked(DateTimeOffset At, string LegUuid) : CallInput(At);

/// <summary>The callee's app leg parked in the same room (CHANNEL_PARK).</summary>
public sealed record CalleeLegParked(DateTimeOffset At, string LegUuid) : CallInput(At);

/// <summary>The callee accepted in the app (<c>POST /api/rooms/{id}/join</c>); its leg parks after this.</summary>
public sealed record CalleeJoined(DateTimeOffset At) : CallInput(At);

/// <summary>The callee pressed busy (<c>POST /api/rooms/{id}/busy</c>).</summary>
public sealed record CalleeBusy(DateTimeOffset At) : CallInput(At);

/// <summary>The callee refused (<c>POST /api/rooms/{id}/refuse</c>).</summary>
public sealed record CalleeRefused(DateTimeOffset At) : CallInput(At);

/// <summary>The caller canceled (<c>DELETE /api/rooms/{id}</c>).</summary>
public sealed record CallerCanceled(DateTimeOffset At) : CallInput(At);

/// <summary>
/// The callee's signaling dropped (WebSocket closed, verto logout: CUSTOM verto::client_disconnect) while it was
/// being alerted.
/// </summary>
public sealed record CalleeWentOffline(DateTimeOffset At) : CallInput(At);

/// <summary>
/// The ring timer fired. <see cref="Deadline"/> is the deadline of the <see cref="StartRingTimer"/> command that set
/// it: a timer whose deadline is no longer the call's (canceled, or superseded) is stale and ignored.
/// </summary>
public sealed record RingTimeoutFired(DateTimeOffset At, DateTimeOffset Deadline) : CallInput(At);

/// <summary>A leg is ringing: CHANNEL_PROGRESS (SIP 180 without SDP).</summary>
public sealed record LegProgress(DateTimeOffset At, string LegUuid) : CallInput(At);

/// <summary>A leg has early media: CHANNEL_PROGRESS_MEDIA (SIP 183 with SDP, or 180 with SDP).</summary>
public sealed record LegProgressMedia(DateTimeOffset At, string LegUuid) : CallInput(At);

/// <summary>A leg answered: CHANNEL_ANSWER.</summary>
public sealed record LegAnswered(DateTimeOffset At, string LegUuid) : CallInput(At);

/// <summary>
/// A leg hung up: CHANNEL_HANGUP or CHANNEL_HANGUP_COMPLETE (feeding both is safe: the second is a duplicate).
/// <see cref="HangupCause"/> is <c>Hangup-Cause</c>; <see cref="SipTermStatus"/> is <c>variable_sip_term_status</c>
/// (the SIP final response received, set on carrier legs, unset otherwise); <see cref="Disposition"/> is
/// <c>variable_sip_hangup_disposition</c> or <c>variable_verto_hangup_disposition</c> (recv_bye, send_bye,
/// recv_cancel, send_cancel, recv_refuse, send_refuse).
/// </summary>
public sealed record LegHungUp(
    DateTimeOffset At, string LegUuid, string HangupCause, string? SipTermStatus, string? Disposition) : CallInput(At);

/// <summary>
/// The reply to the <see cref="BridgeLegs"/> command's <c>uuid_bridge</c>: <c>+OK &lt;uuid&gt;</c> or
/// <c>-ERR ...</c> (e.g. <c>-ERR Invalid uuid</c> when a leg is gone or neither is answered).
/// </summary>
public sealed record BridgeReplied(DateTimeOffset At, bool Ok, string Reply) : CallInput(At);

/// <summary>
/// How the carrier attempt of a <see cref="DialPstn"/> ended, when FreeSWITCH says so apart from the legs' own
/// hangups: the CHANNEL_EXECUTE_COMPLETE of the caller's <c>execute bridge</c> (<c>variable_originate_disposition</c>:
/// SUCCESS, USER_BUSY, NO_ANSWER, ORIGINATOR_CANCEL, ...), or a BACKGROUND_JOB <c>-ERR CAUSE</c> (pass CAUSE).
/// FreeSWITCH completes the bridge app only when the bridge ends, so SUCCESS arrives after the call was answered.
/// </summary>
public sealed record PstnAttemptEnded(DateTimeOffset At, string Disposition) : CallInput(At);
