namespace CallControl.Calls;

// API requests, the ring timer and the callee's presence.
public static partial class CallMachine
{
    private static bool BeforeAnswer(CallState state) =>
        state.Phase is CallPhase.AwaitingCallee or CallPhase.Bridging or CallPhase.AwaitingCallerLeg or CallPhase.DialingPstn;

    /// <summary>Busy or refuse from the callee counts only while the app rings (not once the phone took over).</summary>
    private static void OnCalleeSaidNo(CallStep step, FallbackReason reason)
    {
        if (step.State.Phase == CallPhase.AwaitingCallee)
        {
            FallBackOrEnd(step, reason);
        }
    }

    private static void OnCallerCanceled(CallStep step)
    {
        if (BeforeAnswer(step.State))
        {
            End(step, CallStatus.Canceled, CallReasons.CallerCanceled, HangupCauses.OriginatorCancel, CallParty.Caller);
        }
        else if (step.State.Phase == CallPhase.Talking)
        {
            // DELETE on an answered call: the caller ends it.
            End(step, CallStatus.Completed, CallReasons.CallerHungUp, HangupCauses.NormalClearing, CallParty.Caller);
        }
    }

    /// <summary>Losing signaling matters only while the app rings and the callee's leg has not parked.</summary>
    private static void OnCalleeWentOffline(CallStep step)
    {
        if (step.State.Phase == CallPhase.AwaitingCallee && step.State.CalleeLegUuid is null)
        {
            FallBackOrEnd(step, FallbackReason.Offline);
        }
    }

    private static void OnRingTimeout(CallStep step, DateTimeOffset deadline)
    {
        if (step.State.RingDeadline != deadline)
        {
            // Canceled or superseded: a timer that fires anyway is stale.
            return;
        }

        step.State = step.State with { RingDeadline = null };
        switch (step.State.Phase)
        {
            case CallPhase.AwaitingCallee or CallPhase.Bridging:
                // A callee that joined but never got bridged is an app-side failure, not an unanswered call.
                FallBackOrEnd(step, step.State.CalleeJoined ? FallbackReason.AppFailure : FallbackReason.NoAnswer);
                break;
            case CallPhase.AwaitingCallerLeg:
                End(step, CallStatus.Canceled, CallReasons.CallerLegMissing, HangupCauses.OriginatorCancel, CallParty.Caller);
                break;
            default:
                break;
        }
    }

    private static void OnBridgeReplied(CallStep step, bool ok)
    {
        if (step.State.Phase != CallPhase.Bridging)
        {
            return;
        }

        if (ok)
        {
            Answer(step, AnsweredVia.App, CallReasons.Bridged);
        }
        else
        {
            FallBackOrEnd(step, FallbackReason.AppFailure);
        }
    }
}
