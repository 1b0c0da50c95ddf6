using System.Text.Json;
using CallControl.Switch;

namespace CallControl.Calls.Router;

/// <summary>
/// Reconcile without I/O. <see cref="Rebuild"/> makes the machine's state of a call this instance did not hold (another
/// owner ran it) from its row and the node's channels; <see cref="MissedInputs"/> turns what the node shows now into
/// the inputs the events would have brought while nobody listened (a leg gone: its hangup, with the cause from its
/// stored CDR when there is one; a carrier leg answered; a party's leg parked). The machine then decides as usual.
/// </summary>
public static class CallRecovery
{
    private static readonly JsonSerializerOptions OverrideJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The state of a call in progress, as far as the row and the legs tell. App legs of a call still ringing are
    /// left out on purpose: <see cref="MissedInputs"/> parks them again, so the machine itself bridges them.
    /// </summary>
    public static CallState Rebuild(
        ResumableCall row, IReadOnlyCollection<LiveLeg> tagged, IReadOnlyList<EndedLeg> ended, FallbackPolicy defaults,
        TimeSpan ringTimeout, TimeSpan pstnRingTimeout)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(defaults);
        string? Leg(string role) =>
            tagged.FirstOrDefault(l => l.Role == role)?.Uuid ?? ended.FirstOrDefault(e => e.Role == role)?.LegUuid.ToString("D");
        var pstn = Leg("pstn");
        var overrides = row.FallbackPolicyOverride is { } json ? JsonSerializer.Deserialize<FallbackPolicyOverrides>(json, OverrideJson) : null;
        var setup = new CallSetup(
            row.Id, row.RoomId, row.Caller, row.Callee, row.CalleeNumber, row.CalleeNumber is not null,
            row.Media == "video" ? CallMedia.Video : CallMedia.Audio, row.Record, defaults.With(overrides),
            ringTimeout, pstnRingTimeout, pstn ?? Guid.NewGuid().ToString("D"));
        var status = Parse<CallStatus>(row.Status, s => s.ToWire()) ?? CallStatus.Ringing;
        var state = CallState.Empty with
        {
            Setup = setup,
            Status = status,
            FallbackReason = row.FallbackReason is { } reason ? Parse<FallbackReason>(reason, r => r.ToWire()) : null,
            // Whoever rang the callee's app must also tell it how the call ends.
            CalleeAlerted = setup.CalleeUserId is not null,
        };
        var deadline = row.RingDeadline is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)) : (DateTimeOffset?)null;

        if (status == CallStatus.Answered)
        {
            var via = row.AnsweredVia is { } v ? Parse<AnsweredVia>(v, a => a.ToWire()) : null;
            return state with
            {
                Phase = CallPhase.Talking,
                AnsweredVia = via,
                AnsweredAt = row.AnsweredAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null,
                CallerLegUuid = Leg("caller"),
                CalleeLegUuid = via == AnsweredVia.App ? Leg("callee") : null,
                PstnDialed = via == AnsweredVia.Pstn,
            };
        }

        if (pstn is not null)
        {
            // The carrier was dialed: its leg (live or ended) decides the rest.
            return state with { Phase = CallPhase.DialingPstn, PstnDialed = true, CallerLegUuid = Leg("caller") };
        }

        if (status == CallStatus.FallbackDialing || setup.IsDirect)
        {
            return state with { Phase = CallPhase.AwaitingCallerLeg, RingDeadline = deadline };
        }

        return state with { Phase = CallPhase.AwaitingCallee, RingDeadline = deadline };
    }

    /// <summary>
    /// The inputs the call missed, from the node's channels now (<paramref name="live"/>) and the stored CDRs of its
    /// ended legs. After a node restart a call whose known legs are all gone failed (<see cref="LegsLost"/>).
    /// </summary>
    public static IReadOnlyList<CallInput> MissedInputs(
        CallState state, IReadOnlyDictionary<string, LiveLeg> live, IReadOnlyList<EndedLeg> ended, bool nodeRestarted,
        DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(live);
        if (state.Setup is not { } setup || state.IsFinal)
        {
            return [];
        }

        var inputs = new List<CallInput>();
        var callId = setup.CallId.ToString("D");
        LiveLeg? Tagged(string role) => live.Values.FirstOrDefault(l =>
            string.Equals(l.CallId, callId, StringComparison.OrdinalIgnoreCase) && l.Role == role);

        // Legs the previous owner adopted (tagged with our call id) that this state has not seen park.
        if (state.CallerLegUuid is null && Tagged("caller") is { } caller)
        {
            inputs.Add(new CallerLegParked(at, caller.Uuid));
        }

        if (state.CalleeLegUuid is null && !setup.IsDirect && Tagged("callee") is { } callee)
        {
            inputs.Add(new CalleeLegParked(at, callee.Uuid));
        }

        var known = new List<string>();
        if (state.CallerLegUuid is { } c && !state.CallerLegEnded)
        {
            known.Add(c);
        }

        if (state.CalleeLegUuid is { } e && !state.CalleeLegEnded)
        {
            known.Add(e);
        }

        if (state.PstnDialed && !state.PstnLegEnded)
        {
            known.Add(setup.PstnLegUuid);
        }

        var gone = known.Where(l => !live.ContainsKey(l)).ToList();
        if (nodeRestarted && gone.Count > 0 && gone.Count == known.Count)
        {
            inputs.Add(new LegsLost(at, CallReasons.NodeRestarted));
            return inputs;
        }

        if (state.PstnDialed && !state.PstnLegEnded && live.TryGetValue(setup.PstnLegUuid, out var pstn) && pstn.Answered)
        {
            inputs.Add(new LegAnswered(at, setup.PstnLegUuid));
        }

        // Hangups in the order the legs ended (stored CDRs first, by their end time), so the machine sees who went first.
        foreach (var leg in gone.OrderBy(l => EndOf(l, ended) ?? DateTime.MaxValue))
        {
            var cdr = ended.FirstOrDefault(x => string.Equals(x.LegUuid.ToString("D"), leg, StringComparison.OrdinalIgnoreCase));
            inputs.Add(new LegHungUp(at, leg, cdr?.HangupCause ?? HangupCauses.NormalClearing, cdr?.SipTermStatus, cdr?.Disposition));
        }

        return inputs;
    }

    private static DateTime? EndOf(string leg, IReadOnlyList<EndedLeg> ended) =>
        ended.FirstOrDefault(x => string.Equals(x.LegUuid.ToString("D"), leg, StringComparison.OrdinalIgnoreCase))?.EndAt;

    /// <summary>
    /// The hangups an ended call still owes: legs of it that are up on the node although PostgreSQL has the call over
    /// (its owner recorded the end, then lost the node or died before its hangups ran). Each gets the cause the machine
    /// gives it when it ends a call: the caller leg the call's recorded cause, the other parties NORMAL_CLEARING
    /// (ORIGINATOR_CANCEL for a canceled call), and a leg that only parked in the room, untagged, the cause of a late
    /// leg (the recorded cause, or CALL_REJECTED). Legs of calls not in <paramref name="ended"/> are left alone.
    /// </summary>
    public static IReadOnlyList<(string Uuid, Guid CallId, string Cause)> LeftoverHangups(IEnumerable<LiveLeg> legs, IReadOnlyCollection<EndedCall> ended)
    {
        ArgumentNullException.ThrowIfNull(legs);
        ArgumentNullException.ThrowIfNull(ended);
        var hangups = new List<(string, Guid, string)>();
        foreach (var leg in legs)
        {
            var call = Guid.TryParse(leg.CallId, out var id)
                ? ended.FirstOrDefault(c => c.Id == id)
                : ended.FirstOrDefault(c => leg.DialplanRoomId is not null && string.Equals(c.RoomId, leg.DialplanRoomId, StringComparison.Ordinal));
            if (call is null)
            {
                continue;
            }

            var canceled = call.Status == CallStatus.Canceled.ToWire();
            var cause = (leg.CallId, leg.Role) switch
            {
                (null, _) => canceled ? HangupCauses.OriginatorCancel : call.HangupCause ?? HangupCauses.CallRejected,
                (_, "caller") => call.HangupCause ?? HangupCauses.NormalClearing,
                _ => canceled ? HangupCauses.OriginatorCancel : HangupCauses.NormalClearing,
            };
            hangups.Add((leg.Uuid, call.Id, cause));
        }

        return hangups;
    }

    private static T? Parse<T>(string wire, Func<T, string> toWire)
        where T : struct, Enum =>
        Enum.GetValues<T>().Where(v => toWire(v) == wire).Select(v => (T?)v).FirstOrDefault();
}
