namespace CallControl.Calls;

// Channel events: progress, answer, hangup, and the end of the carrier attempt.
public static partial class CallMachine
{
    /// <summary>The carrier leg's first 180/183 tells the caller the phone rings (the media itself flows in FreeSWITCH).</summary>
    private static void OnPstnProgress(CallStep step, string leg)
    {
        var state = step.State;
        if (state.Phase != CallPhase.DialingPstn || leg != step.Setup.PstnLegUuid || state.PstnRingingNotified)
        {
            return;
        }

        step.State = state with { PstnRingingNotified = true };
        step.Notify(CallParty.Caller, PartyNotice.Ringing);
    }

    /// <summary>
    /// Only the carrier leg's CHANNEL_ANSWER answers a call: with early media FreeSWITCH bridges the caller before the
    /// carrier answers (CHANNEL_BRIDGE precedes CHANNEL_ANSWER in the fallback-early-media capture), and the app legs'
    /// answers are our own uuid_answer.
    /// </summary>
    private static void OnLegAnswered(CallStep step, string leg)
    {
        if (step.State.Phase == CallPhase.DialingPstn && leg == step.Setup.PstnLegUuid)
        {
            Answer(step, AnsweredVia.Pstn, CallReasons.PstnAnswered);
        }
    }

    private static void OnPstnAttemptEnded(CallStep step, string disposition)
    {
        // SUCCESS comes when an answered bridge ends; the legs' hangups end the call then.
        if (step.State.Phase == CallPhase.DialingPstn && disposition != HangupCauses.Success)
        {
            // The originate is over, so FreeSWITCH has already hung up its carrier leg: no uuid_kill for it.
            step.State = step.State with { PstnLegEnded = true };
            EndFromCarrier(step, disposition, sipCode: null, disposition: null);
        }
    }

    private static void OnLegHungUp(CallStep step, LegHungUp hangup)
    {
        var state = step.State;
        LegRole role;
        if (hangup.LegUuid == state.CallerLegUuid && !state.CallerLegEnded)
        {
            role = LegRole.Caller;
            step.State = state with { CallerLegEnded = true };
        }
        else if (hangup.LegUuid == state.CalleeLegUuid && !state.CalleeLegEnded)
        {
            role = LegRole.Callee;
            step.State = state with { CalleeLegEnded = true };
        }
        else if (state.PstnDialed && hangup.LegUuid == step.Setup.PstnLegUuid && !state.PstnLegEnded)
        {
            role = LegRole.Pstn;
            step.State = state with { PstnLegEnded = true };
        }
        else
        {
            return; // Unknown leg, or a duplicate hangup.
        }

        switch (state.Phase)
        {
            case CallPhase.Talking:
                OnHangupWhileTalking(step, hangup, role);
                break;
            case CallPhase.AwaitingCallee or CallPhase.Bridging:
                OnHangupWhileAppRings(step, hangup, role);
                break;
            case CallPhase.DialingPstn:
                OnHangupWhileDialing(step, hangup, role);
                break;
            default:
                break;
        }
    }

    private static void OnHangupWhileTalking(CallStep step, LegHungUp hangup, LegRole role)
    {
        // A send_* disposition means FreeSWITCH ended this leg (uuid_kill, the bridge ending): neither person did.
        var party = HangupCauses.FarEndHungUp(hangup.Disposition) == false
            ? CallParty.Network
            : role == LegRole.Caller ? CallParty.Caller : CallParty.Callee;
        var reason = party switch
        {
            CallParty.Caller => CallReasons.CallerHungUp,
            CallParty.Callee => CallReasons.CalleeHungUp,
            _ => CallReasons.NetworkHungUp,
        };
        End(step, CallStatus.Completed, reason, hangup.HangupCause, party,
            HangupCauses.ParseSipStatus(hangup.SipTermStatus), hangup.Disposition);
    }

    private static void OnHangupWhileAppRings(CallStep step, LegHungUp hangup, LegRole role)
    {
        if (role == LegRole.Callee)
        {
            // The callee's app leg went away before the bridge: an app-side failure.
            FallBackOrEnd(step, FallbackReason.AppFailure);
        }
        else if (role == LegRole.Caller)
        {
            EndOnCallerHangup(step, hangup);
        }
    }

    private static void OnHangupWhileDialing(CallStep step, LegHungUp hangup, LegRole role)
    {
        var sip = HangupCauses.ParseSipStatus(hangup.SipTermStatus);
        if (role == LegRole.Pstn)
        {
            EndFromCarrier(step, hangup.HangupCause, sip, hangup.Disposition);
        }
        else if (role == LegRole.Caller && CallerGaveUp(hangup))
        {
            End(step, CallStatus.Canceled, CallReasons.CallerHungUp, hangup.HangupCause, CallParty.Caller, sip, hangup.Disposition);
        }
        else if (role == LegRole.Caller)
        {
            // Without continue_on_fail the bridge app hangs the caller up with the originate's cause (USER_BUSY,
            // NO_ANSWER, ...; send_refuse), sometimes before the carrier leg's own hangup arrives.
            EndFromCarrier(step, hangup.HangupCause, sipCode: null, disposition: null);
        }
    }

    private static void EndOnCallerHangup(CallStep step, LegHungUp hangup)
    {
        var sip = HangupCauses.ParseSipStatus(hangup.SipTermStatus);
        if (CallerGaveUp(hangup))
        {
            End(step, CallStatus.Canceled, CallReasons.CallerHungUp, hangup.HangupCause, CallParty.Caller, sip, hangup.Disposition);
        }
        else
        {
            End(step, CallStatus.Failed, CallReasons.CallerLegFailed, hangup.HangupCause, CallParty.Network, sip, hangup.Disposition);
        }
    }
}
