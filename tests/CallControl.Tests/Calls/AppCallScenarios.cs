using CallControl.Calls;
using static CallControl.Calls.CallParty;
using static CallControl.Calls.CallStatus;
using static CallControl.Calls.HangupCauses;
using static CallControl.Tests.Calls.CallFixture;

namespace CallControl.Tests.Calls;

/// <summary>Room calls answered, refused or ended while the callee is reached in the app.</summary>
internal static class AppCallScenarios
{
    private static ScenarioStep S(CallInput input, params CallCommand[] expect) => new(input, expect);

    public static IEnumerable<CallScenario> All()
    {
        yield return new CallScenario(
            "app_to_app_answered_recorded_and_completed_by_callee",
            [
                S(AppCall(record: true), Rec(null, Ringing, CallReasons.Created, 0), Timer(0), Alert(), Tell(Caller, PartyNotice.Ringing, Ringing)),
                S(new CallerLegParked(T(1), A)),
                S(new CalleeJoined(T(5)), Tell(Caller, PartyNotice.Joined, Ringing)),
                S(new CalleeLegParked(T(6), B), Answer(B), Answer(A), Bridge()),
                S(new LegAnswered(T(6.1), B)),
                S(new LegAnswered(T(6.2), A)),
                S(new BridgeReplied(T(6.3), true, "+OK " + B),
                    Rec(Ringing, Answered, CallReasons.Bridged, 6.3), NoTimer(), AnsweredAt(AnsweredVia.App, 6.3),
                    Tell(Caller, PartyNotice.Answered, Answered), Tell(Callee, PartyNotice.Answered, Answered), RecordFromBridge()),
                S(HungUp(20, B, NormalClearing, disposition: "recv_bye"),
                    Rec(Answered, Completed, CallReasons.CalleeHungUp, 20), Kill(A, NormalClearing),
                    Final(Completed, 20, NormalClearing, CallParty.Callee, disposition: "recv_bye", via: AnsweredVia.App),
                    Tell(Caller, PartyNotice.Ended, Completed), Tell(Callee, PartyNotice.Ended, Completed)),
                S(HungUp(20.1, A, NormalClearing, disposition: "send_bye")),
            ],
            Completed,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, Answered, CallReasons.Bridged, 6.3), H(Answered, Completed, CallReasons.CalleeHungUp, 20)]);

        yield return new CallScenario(
            "app_call_callee_leg_parks_before_caller_leg_then_caller_hangs_up",
            [
                S(AppCall(), Rec(null, Ringing, CallReasons.Created, 0), Timer(0), Alert(), Tell(Caller, PartyNotice.Ringing, Ringing)),
                S(new CalleeLegParked(T(2), B)),
                S(new CallerLegParked(T(3), A), Answer(B), Answer(A), Bridge()),
                S(new BridgeReplied(T(3.5), true, "+OK " + B),
                    Rec(Ringing, Answered, CallReasons.Bridged, 3.5), NoTimer(), AnsweredAt(AnsweredVia.App, 3.5),
                    Tell(Caller, PartyNotice.Answered, Answered), Tell(Callee, PartyNotice.Answered, Answered)),
                S(HungUp(9, A, NormalClearing, disposition: "recv_bye"),
                    Rec(Answered, Completed, CallReasons.CallerHungUp, 9), Kill(B, NormalClearing),
                    Final(Completed, 9, NormalClearing, CallParty.Caller, disposition: "recv_bye", via: AnsweredVia.App),
                    Tell(Caller, PartyNotice.Ended, Completed), Tell(Callee, PartyNotice.Ended, Completed)),
            ],
            Completed,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, Answered, CallReasons.Bridged, 3.5), H(Answered, Completed, CallReasons.CallerHungUp, 9)]);

        yield return new CallScenario(
            "callee_busy_without_busy_fallback_ends_busy",
            [
                S(AppCall(), Rec(null, Ringing, CallReasons.Created, 0), Timer(0), Alert(), Tell(Caller, PartyNotice.Ringing, Ringing)),
                S(new CallerLegParked(T(1), A)),
                S(new CalleeBusy(T(4)),
                    Rec(Ringing, Busy, CallReasons.CalleeBusy, 4), NoTimer(), Kill(A, UserBusy),
                    Final(Busy, 4, UserBusy, CallParty.Callee), Tell(Caller, PartyNotice.Busy, Busy), Tell(Callee, PartyNotice.Busy, Busy)),
                S(HungUp(4.1, A, UserBusy, disposition: "send_refuse")),
            ],
            Busy,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, Busy, CallReasons.CalleeBusy, 4)]);

        yield return new CallScenario(
            "callee_refuses_with_fallback_disabled_ends_refused",
            [
                S(AppCall(), Rec(null, Ringing, CallReasons.Created, 0), Timer(0), Alert(), Tell(Caller, PartyNotice.Ringing, Ringing)),
                S(new CallerLegParked(T(1), A)),
                S(new CalleeRefused(T(3)),
                    Rec(Ringing, Refused, CallReasons.CalleeRefused, 3), NoTimer(), Kill(A, CallRejected),
                    Final(Refused, 3, CallRejected, CallParty.Callee), Tell(Caller, PartyNotice.Refused, Refused), Tell(Callee, PartyNotice.Refused, Refused)),
            ],
            Refused,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, Refused, CallReasons.CalleeRefused, 3)]);

        yield return new CallScenario(
            "callee_refuses_with_room_refused_fallback_but_callee_disallows_fallback_ends_refused",
            [
                S(AppCall(fallbackAllowed: false, overrides: new FallbackPolicyOverrides(OnRefused: true)),
                    Rec(null, Ringing, CallReasons.Created, 0), Timer(0), Alert(), Tell(Caller, PartyNotice.Ringing, Ringing)),
                S(new CallerLegParked(T(1), A)),
                S(new CalleeRefused(T(3)),
                    Rec(Ringing, Refused, CallReasons.CalleeRefused, 3), NoTimer(), Kill(A, CallRejected),
                    Final(Refused, 3, CallRejected, CallParty.Callee), Tell(Caller, PartyNotice.Refused, Refused), Tell(Callee, PartyNotice.Refused, Refused)),
            ],
            Refused,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, Refused, CallReasons.CalleeRefused, 3)]);

        yield return new CallScenario(
            "caller_cancels_while_callee_rings_ends_canceled_and_stale_timer_is_ignored",
            [
                S(AppCall(), Rec(null, Ringing, CallReasons.Created, 0), Timer(0), Alert(), Tell(Caller, PartyNotice.Ringing, Ringing)),
                S(new CallerLegParked(T(1), A)),
                S(new CallerCanceled(T(5)),
                    Rec(Ringing, Canceled, CallReasons.CallerCanceled, 5), NoTimer(), Kill(A, OriginatorCancel),
                    Final(Canceled, 5, OriginatorCancel, CallParty.Caller), Tell(Caller, PartyNotice.Canceled, Canceled), Tell(Callee, PartyNotice.Canceled, Canceled)),
                S(HungUp(5.1, A, OriginatorCancel, disposition: "send_bye")),
                S(RingTimeout(30)),
                S(new CalleeLegParked(T(31), B), Kill(B, OriginatorCancel)),
            ],
            Canceled,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, Canceled, CallReasons.CallerCanceled, 5)]);

        yield return new CallScenario(
            "caller_leg_hangs_up_while_callee_leg_parked_ends_canceled_and_hangs_up_callee_leg",
            [
                S(AppCall(), Rec(null, Ringing, CallReasons.Created, 0), Timer(0), Alert(), Tell(Caller, PartyNotice.Ringing, Ringing)),
                S(new CalleeLegParked(T(2), B)),
                S(HungUp(2.5, Stray, NormalClearing)),
                S(new CallerLegParked(T(3), A), Answer(B), Answer(A), Bridge()),
                S(HungUp(4, A, NormalClearing, disposition: "recv_bye"),
                    Rec(Ringing, Canceled, CallReasons.CallerHungUp, 4), NoTimer(), Kill(B, OriginatorCancel),
                    Final(Canceled, 4, NormalClearing, CallParty.Caller, disposition: "recv_bye"),
                    Tell(Caller, PartyNotice.Canceled, Canceled), Tell(Callee, PartyNotice.Canceled, Canceled)),
                S(new BridgeReplied(T(4.1), false, "-ERR Invalid uuid")),
            ],
            Canceled,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, Canceled, CallReasons.CallerHungUp, 4)]);

        yield return new CallScenario(
            "callee_offline_without_number_on_file_ends_offline_and_late_caller_leg_is_hung_up",
            [
                S(AppCall(online: false, number: null),
                    Rec(null, Ringing, CallReasons.Created, 0), Timer(0), Rec(Ringing, Offline, CallReasons.CalleeOffline, 0), NoTimer(),
                    Final(Offline, 0, SubscriberAbsent, Network), Tell(Caller, PartyNotice.Ended, Offline)),
                S(new CallerLegParked(T(1), A), Kill(A, SubscriberAbsent)),
                S(new CallerLegParked(T(1), A)),
                S(HungUp(1.1, A, SubscriberAbsent, disposition: "send_bye")),
            ],
            Offline,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, Offline, CallReasons.CalleeOffline, 0)]);

        yield return new CallScenario(
            "ring_timeout_with_no_answer_fallback_disabled_ends_no_answer",
            [
                S(AppCall(overrides: new FallbackPolicyOverrides(OnNoAnswer: false)),
                    Rec(null, Ringing, CallReasons.Created, 0), Timer(0), Alert(), Tell(Caller, PartyNotice.Ringing, Ringing)),
                S(new CallerLegParked(T(1), A)),
                S(RingTimeout(30),
                    Rec(Ringing, CallStatus.NoAnswer, CallReasons.RingTimeout, 30), Kill(A, HangupCauses.NoAnswer),
                    Final(CallStatus.NoAnswer, 30, HangupCauses.NoAnswer, Network), Tell(Caller, PartyNotice.Ended, CallStatus.NoAnswer), Tell(Callee, PartyNotice.Canceled, CallStatus.NoAnswer)),
                S(RingTimeout(30)),
            ],
            CallStatus.NoAnswer,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, CallStatus.NoAnswer, CallReasons.RingTimeout, 30)]);
    }
}
