using CallControl.Calls;
using static CallControl.Calls.CallParty;
using static CallControl.Calls.CallStatus;
using static CallControl.Calls.HangupCauses;
using static CallControl.Tests.Calls.CallFixture;

namespace CallControl.Tests.Calls;

/// <summary>Direct phone calls (the callee is a number): the carrier is dialed as soon as the caller's leg parks.</summary>
internal static class DirectCallScenarios
{
    private static ScenarioStep S(CallInput input, params CallCommand[] expect) => new(input, expect);

    private static readonly CallCommand[] Created = [Rec(null, Ringing, CallReasons.Created, 0), Timer(0)];

    public static IEnumerable<CallScenario> All()
    {
        yield return new CallScenario(
            "direct_phone_call_answered_and_completed_by_callee",
            [
                S(PhoneCall(), Created),
                S(new CallerLegParked(T(1), A), NoTimer(), Dial(null)),
                S(new LegProgress(T(1.5), P), Tell(Caller, PartyNotice.Ringing, Ringing)),
                S(new LegAnswered(T(4), P),
                    Rec(Ringing, Answered, CallReasons.PstnAnswered, 4), AnsweredAt(AnsweredVia.Pstn, 4),
                    Tell(Caller, PartyNotice.Answered, Answered)),
                S(new LegAnswered(T(4.5), P)),
                S(new CalleeBusy(T(5))),
                S(new CalleeLegParked(T(5), B), Kill(B, CallRejected)),
                S(HungUp(20, P, NormalClearing, disposition: "recv_bye"),
                    Rec(Answered, Completed, CallReasons.CalleeHungUp, 20), Kill(A, NormalClearing),
                    Final(Completed, 20, NormalClearing, Callee, disposition: "recv_bye", via: AnsweredVia.Pstn),
                    Tell(Caller, PartyNotice.Ended, Completed)),
            ],
            Completed,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, Answered, CallReasons.PstnAnswered, 4),
             H(Answered, Completed, CallReasons.CalleeHungUp, 20)]);

        // originate capture: carrier_busy gives USER_BUSY with sip_term_status 486.
        yield return new CallScenario(
            "direct_phone_call_busy",
            [
                S(PhoneCall(), Created),
                S(new CallerLegParked(T(1), A), NoTimer(), Dial(null)),
                S(HungUp(1.2, P, UserBusy, "486", "recv_refuse"),
                    Rec(Ringing, Busy, CallReasons.CarrierBusy, 1.2), Kill(A, UserBusy),
                    Final(Busy, 1.2, UserBusy, Callee, 486, "recv_refuse"), Tell(Caller, PartyNotice.Busy, Busy)),
            ],
            Busy,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, Busy, CallReasons.CarrierBusy, 1.2)]);

        // commands capture: a gateway with nothing listening fails the originate with -ERR NORMAL_TEMPORARY_FAILURE.
        yield return new CallScenario(
            "direct_phone_call_to_unreachable_gateway_fails",
            [
                S(PhoneCall(), Created),
                S(new CallerLegParked(T(1), A), NoTimer(), Dial(null)),
                S(new PstnAttemptEnded(T(1.1), NormalTemporaryFailure),
                    Rec(Ringing, Failed, CallReasons.CarrierFailed, 1.1), Kill(A, NormalTemporaryFailure),
                    Final(Failed, 1.1, NormalTemporaryFailure, Network), Tell(Caller, PartyNotice.Ended, Failed)),
                S(HungUp(1.1, A, NormalTemporaryFailure, disposition: "send_refuse")),
                S(new LegAnswered(T(2), P)),
            ],
            Failed,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, Failed, CallReasons.CarrierFailed, 1.1)]);

        yield return new CallScenario(
            "direct_phone_call_to_unallocated_number_fails",
            [
                S(PhoneCall(), Created),
                S(new CallerLegParked(T(1), A), NoTimer(), Dial(null)),
                S(HungUp(1.4, P, UnallocatedNumber, "404", "recv_refuse"),
                    Rec(Ringing, Failed, CallReasons.CarrierFailed, 1.4), Kill(A, UnallocatedNumber),
                    Final(Failed, 1.4, UnallocatedNumber, Network, 404, "recv_refuse"), Tell(Caller, PartyNotice.Ended, Failed)),
            ],
            Failed,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, Failed, CallReasons.CarrierFailed, 1.4)]);

        yield return new CallScenario(
            "direct_phone_call_whose_caller_leg_never_parks_ends_canceled",
            [
                S(PhoneCall(), Created),
                S(RingTimeout(30),
                    Rec(Ringing, Canceled, CallReasons.CallerLegMissing, 30),
                    Final(Canceled, 30, OriginatorCancel, Caller), Tell(Caller, PartyNotice.Canceled, Canceled)),
                S(new CallerLegParked(T(31), A), Kill(A, OriginatorCancel)),
            ],
            Canceled,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, Canceled, CallReasons.CallerLegMissing, 30)]);

        yield return new CallScenario(
            "direct_phone_call_canceled_by_api_while_dialing",
            [
                S(PhoneCall(), Created),
                S(new CallerLegParked(T(1), A), NoTimer(), Dial(null)),
                S(new CallerCanceled(T(3)),
                    Rec(Ringing, Canceled, CallReasons.CallerCanceled, 3), Kill(A, OriginatorCancel), Kill(P, OriginatorCancel),
                    Final(Canceled, 3, OriginatorCancel, Caller), Tell(Caller, PartyNotice.Canceled, Canceled)),
                S(new CallerCanceled(T(3.5))),
                S(new LegAnswered(T(3.6), P)),
                S(new PstnAttemptEnded(T(3.7), OriginatorCancel)),
            ],
            Canceled,
            [H(null, Ringing, CallReasons.Created, 0), H(Ringing, Canceled, CallReasons.CallerCanceled, 3)]);
    }
}
