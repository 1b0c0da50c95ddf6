namespace CallControl.Calls;

// The decisions shared by many inputs: fall back to the phone or end, answer, end.
public static partial class CallMachine
{
    /// <summary>The app could not reach the callee for this reason: dial the number on file if allowed, else end the call.</summary>
    private static void FallBackOrEnd(CallStep step, FallbackReason reason)
    {
        if (step.Setup.CanFallBack(reason))
        {
            FallBack(step, reason);
            return;
        }

        var (status, cause, by) = reason switch
        {
            FallbackReason.Busy => (CallStatus.Busy, HangupCauses.UserBusy, CallParty.Callee),
            FallbackReason.Refused => (CallStatus.Refused, HangupCauses.CallRejected, CallParty.Callee),
            FallbackReason.NoAnswer => (CallStatus.NoAnswer, HangupCauses.NoAnswer, CallParty.Network),
            FallbackReason.Offline => (CallStatus.Offline, HangupCauses.SubscriberAbsent, CallParty.Network),
            _ => (CallStatus.Failed, HangupCauses.NormalTemporaryFailure, CallParty.Network),
        };
        End(step, status, CallReasons.For(reason), cause, by);
    }

    private static void FallBack(CallStep step, FallbackReason reason)
    {
        step.Transition(CallStatus.FallbackDialing, CallReasons.For(reason));
        step.State = step.State with { FallbackReason = reason };

        // An app leg that is still up failed to bridge (or was too late): the phone takes over.
        step.HangupCallee(HangupCauses.NormalTemporaryFailure);
        step.Notify(CallParty.Caller, PartyNotice.FallbackDialing);
        if (step.State.CalleeAlerted)
        {
            // Stops the app ringing on the callee's devices: the phone rings instead.
            step.Notify(CallParty.Callee, PartyNotice.FallbackDialing);
        }

        step.DialOrAwaitCallerLeg();
    }

    private static void Answer(CallStep step, AnsweredVia via, string reason)
    {
        step.Transition(CallStatus.Answered, reason);
        step.State = step.State with { Phase = CallPhase.Talking, AnsweredVia = via, AnsweredAt = step.At };
        step.DisarmRingTimer();
        step.Emit(new SetAnswered(step.Setup.CallId, via, step.At));
        step.Notify(CallParty.Caller, PartyNotice.Answered);
        if (via == AnsweredVia.App)
        {
            step.Notify(CallParty.Callee, PartyNotice.Answered);
        }

        if (step.Setup.Record && step.State.CallerLegUuid is { } caller)
        {
            step.Emit(new StartRecording(step.Setup.CallId, caller));
        }
    }

    /// <summary>
    /// The call reaches a final status. The caller's leg (if still up) ends with <paramref name="cause"/>, the cause a
    /// telephony engineer expects for that outcome; the other legs end with ORIGINATOR_CANCEL when the caller canceled
    /// and NORMAL_CLEARING otherwise.
    /// </summary>
    private static void End(
        CallStep step, CallStatus status, string reason, string cause, CallParty hungUpBy,
        int? sipCode = null, string? disposition = null)
    {
        step.Transition(status, reason);
        var others = status == CallStatus.Canceled ? HangupCauses.OriginatorCancel : HangupCauses.NormalClearing;
        var lateLegCause = status == CallStatus.Canceled ? HangupCauses.OriginatorCancel : cause;
        step.DisarmRingTimer();
        step.HangupCaller(cause);
        step.HangupCallee(others);
        step.HangupPstn(others);
        step.State = step.State with { Phase = CallPhase.Ended, EndedAt = step.At, FinalCause = lateLegCause };
        step.Emit(new SetFinalFields(
            step.Setup.CallId, status, step.At, cause, sipCode, disposition, hungUpBy, step.State.AnsweredVia,
            step.State.FallbackReason));

        step.Notify(CallParty.Caller, status switch
        {
            CallStatus.Busy => PartyNotice.Busy,
            CallStatus.Refused => PartyNotice.Refused,
            CallStatus.Canceled => PartyNotice.Canceled,
            _ => PartyNotice.Ended,
        });
        if (step.State.CalleeAlerted)
        {
            step.Notify(CallParty.Callee, status switch
            {
                CallStatus.Busy => PartyNotice.Busy,
                CallStatus.Refused => PartyNotice.Refused,
                CallStatus.Completed => PartyNotice.Ended,
                _ => PartyNotice.Canceled,
            });
        }
    }

    /// <summary>The carrier attempt ended without an answer: its cause (and SIP status, when known) decide the outcome.</summary>
    private static void EndFromCarrier(CallStep step, string cause, int? sipCode, string? disposition)
    {
        var status = HangupCauses.CarrierOutcome(cause, sipCode);
        var (reason, by) = status switch
        {
            CallStatus.Busy => (CallReasons.CarrierBusy, CallParty.Callee),
            CallStatus.Refused => (CallReasons.CarrierRefused, CallParty.Callee),
            CallStatus.NoAnswer => (CallReasons.CarrierNoAnswer, CallParty.Network),
            CallStatus.Canceled => (CallReasons.CallerCanceled, CallParty.Caller),
            _ => (CallReasons.CarrierFailed, CallParty.Network),
        };
        End(step, status, reason, cause, by, sipCode, disposition);
    }

    /// <summary>
    /// Whether the caller's own side ended its leg: a recv_* disposition says the far end sent BYE/CANCEL; send_* says
    /// FreeSWITCH ended it (e.g. the bridge app hanging the caller up with the carrier's cause). Without a disposition,
    /// ORIGINATOR_CANCEL or NORMAL_CLEARING mean the caller went away.
    /// </summary>
    private static bool CallerGaveUp(LegHungUp hangup) =>
        HangupCauses.FarEndHungUp(hangup.Disposition)
        ?? hangup.HangupCause is HangupCauses.OriginatorCancel or HangupCauses.NormalClearing;
}
