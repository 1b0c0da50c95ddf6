namespace CallControl.Cdr.Query;

/// <summary>One call as the admin API lists it.</summary>
public sealed record CallRow
{
    public Guid Id { get; init; }
    public required string RoomId { get; init; }
    public required string Caller { get; init; }
    public string? Callee { get; init; }
    public string? CalleeNumber { get; init; }
    public required string Media { get; init; }
    public required string Status { get; init; }
    public string? AnsweredVia { get; init; }
    public string? FallbackReason { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? RingingAt { get; init; }
    public DateTime? AnsweredAt { get; init; }
    public DateTime? EndedAt { get; init; }
    public int? Duration { get; init; }
    public int? Billsec { get; init; }
    public string? HangupCause { get; init; }
    public int? SipCode { get; init; }
    public string? HangupDisposition { get; init; }
    public string? HungUpBy { get; init; }
    public string? FreeswitchNode { get; init; }
    public string? RecordingId { get; init; }
    public DateTime? PstnDialedAt { get; init; }
    public IReadOnlyList<LegRow>? Legs { get; set; }
}

/// <summary>One leg (CDR) of a call.</summary>
public sealed record LegRow
{
    public Guid LegUuid { get; init; }
    public Guid? CallId { get; init; }
    public string? Role { get; init; }
    public string? ChannelName { get; init; }
    public string? Direction { get; init; }
    public DateTime? StartAt { get; init; }
    public DateTime? ProgressAt { get; init; }
    public DateTime? ProgressMediaAt { get; init; }
    public DateTime? AnswerAt { get; init; }
    public DateTime? EndAt { get; init; }
    public int? Duration { get; init; }
    public int? Billsec { get; init; }
    public string? HangupCause { get; init; }
    public string? SipTermStatus { get; init; }
    public string? ReadCodec { get; init; }
    public string? WriteCodec { get; init; }
    public string? Source { get; init; }
    public string? FreeswitchNode { get; init; }
}

/// <summary>One state change of a call.</summary>
public sealed record StateRow
{
    public long Id { get; init; }
    public string? FromStatus { get; init; }
    public required string ToStatus { get; init; }
    public string? Reason { get; init; }
    public DateTime At { get; init; }
}

/// <summary>A page of calls; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record CallPage(IReadOnlyList<CallRow> Items, string? NextCursor);

/// <summary>A call's detail: its legs, its state history, its DTMF log (<c>call_dtmf</c>, digits masked as stored)
/// and its recording: <see cref="RecordingId"/> (the call's <c>recording_id</c>), <see cref="Recordings"/> (every row of
/// <c>recordings</c> for the call, oldest first) and <see cref="Recording"/> (the newest of them, or null).</summary>
public sealed record CallDetail(
    CallRow Call, IReadOnlyList<LegRow> Legs, IReadOnlyList<StateRow> History, IReadOnlyList<DtmfRow> Dtmf, string? RecordingId,
    IReadOnlyList<RecordingRow> Recordings)
{
    public RecordingRow? Recording => Recordings.Count > 0 ? Recordings[^1] : null;
}

/// <summary>One DTMF digit on a call's leg: pressed by a party or sent by the service.</summary>
public sealed record DtmfRow
{
    public Guid LegUuid { get; init; }
    public string Role { get; init; } = "";
    public string Digit { get; init; } = "";
    public int DurationMs { get; init; }
    public string Source { get; init; } = "";
    public DateTime At { get; init; }
}

/// <summary>
/// One stats bucket (an hour or a day, cut in UTC). ASR = answered / calls. ACD = average billsec of answered calls.
/// PDD = average seconds from the call's creation (the originate) to <c>ringing_at</c>, over calls that rang.
/// Setup time = seconds from creation to <c>answered_at</c>, over answered calls; its p50/p95 are nearest-rank
/// percentiles read from a histogram (<see cref="SetupHistogram"/>) and reported as the upper edge of the bin
/// holding them, so exact to the bin width: 0.1 s below 10 s, 0.5 s below 60 s, 5 s below 600 s (600 means
/// "600 s or more"). Counts, ASR, ACD and PDD are exact. Averages and percentiles are null when no call qualifies.
/// </summary>
public sealed record StatsBucket
{
    public DateTime BucketStart { get; init; }
    public long Calls { get; init; }
    public long Answered { get; init; }
    public long Completed { get; init; }
    public long Busy { get; init; }
    public long Refused { get; init; }
    public long Canceled { get; init; }
    public long NoAnswer { get; init; }
    public long Failed { get; init; }
    public long Offline { get; init; }
    public long FallbackAttempts { get; init; }
    public long FallbackSuccesses { get; init; }
    public double? Asr { get; init; }
    public double? Acd { get; init; }
    public double? Pdd { get; init; }
    public double? SetupP50 { get; init; }
    public double? SetupP95 { get; init; }
}
