using CallControl.Calls;
using static CallControl.Calls.CallParty;
using static CallControl.Calls.CallStatus;
using static CallControl.Calls.HangupCauses;
using static CallControl.Tests.Calls.CallFixture;

namespace CallControl.Tests.Calls;

/// <summary>
/// Calls that go to the carrier: fallback for each reason, and direct phone calls. Event order and the causes,
/// sip_term_status values and dispositions follow the fallback-*, caller-cancel and commands captures.
/// </summary>
internal static class PstnCallScenarios
{
    private static ScenarioStep S(CallInput input, params CallCommand[] expect) => new(input, expect);

    private static ScenarioStep Created(CallCreated created, params CallCommand[] expect) => new(created, expect);

    private static readonly CallCommand[] AlertedRinging =
        [Rec(null, Ringing, CallReasons.Created, 0), Timer(0), Alert(), Tell(Caller, PartyNotice.Ringing, Ringing)];

    private static readonly CallCommand[] OfflineToPhone =
        [Rec(null, Ringing, CallReasons.Created, 0), Timer(0), Rec(Ringing, FallbackDialing, CallReasons.CalleeOffline, 0),
         Tell(Caller, PartyNotice.FallbackDialing, FallbackDialing)];

    public static IEnumerable<CallScenario> All()
    {
        // fallback-answer capture: carrier 180, answer; then the call is killed (send_bye on both legs).
        yield return new CallScenario(
            "callee_offline_fallback_answered_then_network_ends_it",
            [
                Created(AppCall(online: false), OfflineToPhone),
                S(new CallerLegParked(T(1), A), NoTimer(), Dial(FallbackReason.Offline)),
                S(new LegProgress(T(1.2), P), Tell(Caller, PartyNotice.Ringing, FallbackDialing)),
                S(new LegProgress(T(1.2), A)),
                S(new LegProgressMedia(T(2), A)),
                S(new LegAnswered(T(2.1), P),
                    Rec(FallbackDialing, Answered, CallReasons.PstnAnswered, 2.1), AnsweredAt(AnsweredVia.Pstn, 2.1),
                    Tell(Caller, PartyNotice.Answered, Answered)),
                S(new LegAnswered(T(2.1), A)),
                S(HungUp(17, P, NormalClearing, disposition: "send_bye"),
                    Rec(Answered, Completed, CallReasons.NetworkHungUp, 17), Kill(A, NormalClearing),
                    Final(Completed, 17, NormalClearing, Network, disposition: "send_bye", via: AnsweredVia.Pstn, reason: FallbackReason.Offline),
                    Tell(Caller, PartyNotice.Ended, Completed)),
                S(new PstnAttemptEnded(T(17), Success)),
                S(HungUp(17, A, NormalClearing, disposition: "send_bye")),
            ],
            Completed,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, FallbackDialing, CallReasons.CalleeOffline, 0),
             H(FallbackDialing, Answered, CallReasons.PstnAnswered, 2.1), H(Answered, Completed, CallReasons.NetworkHungUp, 17)]);

        yield return new CallScenario(
            "callee_busy_with_busy_fallback_on_goes_to_phone_answered_and_caller_hangs_up",
            [
                S(AppCall(overrides: new FallbackPolicyOverrides(OnBusy: true)), AlertedRinging),
                S(new CallerLegParked(T(1), A)),
                S(new CalleeBusy(T(4)),
                    Rec(Ringing, FallbackDialing, CallReasons.CalleeBusy, 4), Tell(Caller, PartyNotice.FallbackDialing, FallbackDialing),
                    Tell(Callee, PartyNotice.FallbackDialing, FallbackDialing), NoTimer(), Dial(FallbackReason.Busy)),
                S(new CalleeBusy(T(4.5))),
                S(new LegAnswered(T(6), P),
                    Rec(FallbackDialing, Answered, CallReasons.PstnAnswered, 6), AnsweredAt(AnsweredVia.Pstn, 6),
                    Tell(Caller, PartyNotice.Answered, Answered)),
                S(HungUp(30, A, NormalClearing, disposition: "recv_bye"),
                    Rec(Answered, Completed, CallReasons.CallerHungUp, 30), Kill(P, NormalClearing),
                    Final(Completed, 30, NormalClearing, Caller, disposition: "recv_bye", via: AnsweredVia.Pstn, reason: FallbackReason.Busy),
                    Tell(Caller, PartyNotice.Ended, Completed), Tell(Callee, PartyNotice.Ended, Completed)),
            ],
            Completed,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, FallbackDialing, CallReasons.CalleeBusy, 4),
             H(FallbackDialing, Answered, CallReasons.PstnAnswered, 6), H(Answered, Completed, CallReasons.CallerHungUp, 30)]);

        // fallback-noanswer capture: 180, then the originate timeout; the bridge app completes with NO_ANSWER
        // before the carrier leg's CHANNEL_HANGUP_COMPLETE (send_cancel) and the caller's (send_refuse).
        yield return new CallScenario(
            "ring_timeout_falls_back_and_carrier_no_answer_ends_no_answer",
            [
                S(AppCall(), AlertedRinging),
                S(new CallerLegParked(T(1), A)),
                S(RingTimeout(30),
                    Rec(Ringing, FallbackDialing, CallReasons.RingTimeout, 30), Tell(Caller, PartyNotice.FallbackDialing, FallbackDialing),
                    Tell(Callee, PartyNotice.FallbackDialing, FallbackDialing), Dial(FallbackReason.NoAnswer)),
                S(new LegProgress(T(30.2), P), Tell(Caller, PartyNotice.Ringing, FallbackDialing)),
                S(new LegProgress(T(30.2), A)),
                S(new CalleeLegParked(T(31), B), Kill(B, LoseRace)),
                S(new CalleeBusy(T(32))),
                S(new PstnAttemptEnded(T(75), HangupCauses.NoAnswer),
                    Rec(FallbackDialing, CallStatus.NoAnswer, CallReasons.CarrierNoAnswer, 75), Kill(A, HangupCauses.NoAnswer),
                    Final(CallStatus.NoAnswer, 75, HangupCauses.NoAnswer, Network, reason: FallbackReason.NoAnswer),
                    Tell(Caller, PartyNotice.Ended, CallStatus.NoAnswer), Tell(Callee, PartyNotice.Canceled, CallStatus.NoAnswer)),
                S(HungUp(75, P, HangupCauses.NoAnswer, disposition: "send_cancel")),
                S(HungUp(75, A, HangupCauses.NoAnswer, disposition: "send_refuse")),
            ],
            CallStatus.NoAnswer,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, FallbackDialing, CallReasons.RingTimeout, 30),
             H(FallbackDialing, CallStatus.NoAnswer, CallReasons.CarrierNoAnswer, 75)]);

        // fallback-busy capture: the carrier leg hangs up USER_BUSY / 486 / recv_refuse first.
        yield return new CallScenario(
            "carrier_486_ends_busy_with_sip_code",
            [
                Created(AppCall(online: false), OfflineToPhone),
                S(new CallerLegParked(T(1), A), NoTimer(), Dial(FallbackReason.Offline)),
                S(HungUp(1.3, P, UserBusy, "486", "recv_refuse"),
                    Rec(FallbackDialing, Busy, CallReasons.CarrierBusy, 1.3), Kill(A, UserBusy),
                    Final(Busy, 1.3, UserBusy, Callee, 486, "recv_refuse", reason: FallbackReason.Offline),
                    Tell(Caller, PartyNotice.Busy, Busy)),
                S(new PstnAttemptEnded(T(1.3), UserBusy)),
                S(HungUp(1.3, A, UserBusy, disposition: "send_refuse")),
            ],
            Busy,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, FallbackDialing, CallReasons.CalleeOffline, 0),
             H(FallbackDialing, Busy, CallReasons.CarrierBusy, 1.3)]);

        // fallback-early-media capture: 183 with SDP; FreeSWITCH bridges the caller before the carrier answers.
        yield return new CallScenario(
            "carrier_183_early_media_then_answer",
            [
                Created(AppCall(online: false, record: true), OfflineToPhone),
                S(new CallerLegParked(T(1), A), NoTimer(), Dial(FallbackReason.Offline)),
                S(new LegProgressMedia(T(1.1), P), Tell(Caller, PartyNotice.Ringing, FallbackDialing)),
                S(new LegProgressMedia(T(1.1), A)),
                S(new LegProgress(T(1.2), P)),
                S(new LegAnswered(T(3.6), P),
                    Rec(FallbackDialing, Answered, CallReasons.PstnAnswered, 3.6), AnsweredAt(AnsweredVia.Pstn, 3.6),
                    Tell(Caller, PartyNotice.Answered, Answered), RecordFromBridge()),
                S(new LegAnswered(T(3.6), A)),
                S(HungUp(18, P, NormalClearing, disposition: "recv_bye"),
                    Rec(Answered, Completed, CallReasons.CalleeHungUp, 18), Kill(A, NormalClearing),
                    Final(Completed, 18, NormalClearing, Callee, disposition: "recv_bye", via: AnsweredVia.Pstn, reason: FallbackReason.Offline),
                    Tell(Caller, PartyNotice.Ended, Completed)),
            ],
            Completed,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, FallbackDialing, CallReasons.CalleeOffline, 0),
             H(FallbackDialing, Answered, CallReasons.PstnAnswered, 3.6), H(Answered, Completed, CallReasons.CalleeHungUp, 18)]);

        // caller-cancel capture: the caller's CANCEL (487, recv_cancel) while the carrier rings.
        yield return new CallScenario(
            "caller_hangs_up_while_phone_rings_ends_canceled",
            [
                S(AppCall(), AlertedRinging),
                S(new CallerLegParked(T(1), A)),
                S(new CalleeWentOffline(T(3)),
                    Rec(Ringing, FallbackDialing, CallReasons.CalleeOffline, 3), Tell(Caller, PartyNotice.FallbackDialing, FallbackDialing),
                    Tell(Callee, PartyNotice.FallbackDialing, FallbackDialing), NoTimer(), Dial(FallbackReason.Offline)),
                S(new LegProgress(T(3.2), P), Tell(Caller, PartyNotice.Ringing, FallbackDialing)),
                S(HungUp(8, A, OriginatorCancel, "487", "recv_cancel"),
                    Rec(FallbackDialing, Canceled, CallReasons.CallerHungUp, 8), Kill(P, OriginatorCancel),
                    Final(Canceled, 8, OriginatorCancel, Caller, 487, "recv_cancel", reason: FallbackReason.Offline),
                    Tell(Caller, PartyNotice.Canceled, Canceled), Tell(Callee, PartyNotice.Canceled, Canceled)),
                S(new PstnAttemptEnded(T(8), OriginatorCancel)),
                S(HungUp(8, P, OriginatorCancel, disposition: "send_cancel")),
            ],
            Canceled,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, FallbackDialing, CallReasons.CalleeOffline, 3),
             H(FallbackDialing, Canceled, CallReasons.CallerHungUp, 8)]);

        // uuid_bridge -ERR: an app-side failure goes to the phone; the app leg is hung up; a late app leg loses.
        yield return new CallScenario(
            "bridge_failure_falls_back_and_carrier_603_ends_refused",
            [
                S(AppCall(), AlertedRinging),
                S(new CallerLegParked(T(1), A)),
                S(new CalleeLegParked(T(5), B), Answer(B), Answer(A), Bridge()),
                S(new BridgeReplied(T(5.1), false, "-ERR Invalid uuid"),
                    Rec(Ringing, FallbackDialing, CallReasons.AppFailure, 5.1), Kill(B, NormalTemporaryFailure),
                    Tell(Caller, PartyNotice.FallbackDialing, FallbackDialing), Tell(Callee, PartyNotice.FallbackDialing, FallbackDialing),
                    NoTimer(), Dial(FallbackReason.AppFailure)),
                S(HungUp(5.2, B, NormalTemporaryFailure, disposition: "send_bye")),
                S(new CalleeLegParked(T(6), Stray), Kill(Stray, CallRejected)),
                S(HungUp(9, P, CallRejected, "603", "recv_refuse"),
                    Rec(FallbackDialing, Refused, CallReasons.CarrierRefused, 9), Kill(A, CallRejected),
                    Final(Refused, 9, CallRejected, Callee, 603, "recv_refuse", reason: FallbackReason.AppFailure),
                    Tell(Caller, PartyNotice.Refused, Refused), Tell(Callee, PartyNotice.Refused, Refused)),
            ],
            Refused,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, FallbackDialing, CallReasons.AppFailure, 5.1),
             H(FallbackDialing, Refused, CallReasons.CarrierRefused, 9)]);

        // The callee joined but its leg never parked: the timeout is an app-side failure, not "no answer".
        yield return new CallScenario(
            "joined_callee_without_leg_at_timeout_is_app_failure_and_caller_leg_hangup_by_bridge_app_maps_cause",
            [
                S(AppCall(), AlertedRinging),
                S(new CalleeJoined(T(2)), Tell(Caller, PartyNotice.Joined, Ringing)),
                S(new CalleeJoined(T(2.5))),
                S(new CallerLegParked(T(3), A)),
                S(RingTimeout(30),
                    Rec(Ringing, FallbackDialing, CallReasons.AppFailure, 30), Tell(Caller, PartyNotice.FallbackDialing, FallbackDialing),
                    Tell(Callee, PartyNotice.FallbackDialing, FallbackDialing), Dial(FallbackReason.AppFailure)),
                S(HungUp(31, A, UnallocatedNumber, disposition: "send_refuse"),
                    Rec(FallbackDialing, Failed, CallReasons.CarrierFailed, 31), Kill(P, NormalClearing),
                    Final(Failed, 31, UnallocatedNumber, Network, reason: FallbackReason.AppFailure),
                    Tell(Caller, PartyNotice.Ended, Failed), Tell(Callee, PartyNotice.Canceled, Failed)),
            ],
            Failed,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, FallbackDialing, CallReasons.AppFailure, 30),
             H(FallbackDialing, Failed, CallReasons.CarrierFailed, 31)]);
    }
}
