namespace CallControl.Calls;

/// <summary>
/// The call engine: a pure transition function. <c>Handle(state, input)</c> returns the new state and the commands
/// the shell carries out, in order. It reads no clock and does no I/O; inputs for one call must be handled one at a
/// time, in arrival order. Late, duplicate and out-of-order inputs return the state with no commands (a leg that
/// parks for a call that is already over is the one exception: it is hung up, or it would stay parked forever).
/// What the shell owes the machine: leg hangups from CHANNEL_HANGUP_COMPLETE (it carries the hangup disposition,
/// which CHANNEL_HANGUP lacks for send_* hangups); a <see cref="BridgeReplied"/> for every <see cref="BridgeLegs"/>;
/// a <see cref="PstnAttemptEnded"/> when the bridge app completes or cannot start; the timer's own deadline back in
/// <see cref="RingTimeoutFired"/>. Commands are not always preceded by a transition in the same step (a
/// <see cref="DialPstn"/> when the caller's leg parks late, a <see cref="StartRingTimer"/> at creation).
/// </summary>
public static partial class CallMachine
{
    public static CallTransition Handle(CallState state, CallInput input)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);

        if (input is CallCreated created)
        {
            return state.Setup is null ? Create(created) : CallTransition.Ignore(state);
        }

        if (state.Setup is null)
        {
            return CallTransition.Ignore(state);
        }

        var step = new CallStep(state, input.At);
        switch (input)
        {
            case CallerLegParked parked:
                OnCallerLegParked(step, parked.LegUuid);
                break;
            case CalleeLegParked parked:
                OnCalleeLegParked(step, parked.LegUuid);
                break;
            case CalleeJoined:
                OnCalleeJoined(step);
                break;
            case CalleeBusy:
                OnCalleeSaidNo(step, FallbackReason.Busy);
                break;
            case CalleeRefused:
                OnCalleeSaidNo(step, FallbackReason.Refused);
                break;
            case CallerCanceled:
                OnCallerCanceled(step);
                break;
            case CalleeWentOffline:
                OnCalleeWentOffline(step);
                break;
            case RingTimeoutFired timeout:
                OnRingTimeout(step, timeout.Deadline);
                break;
            case LegProgress progress:
                OnPstnProgress(step, progress.LegUuid);
                break;
            case LegProgressMedia progress:
                OnPstnProgress(step, progress.LegUuid);
                break;
            case LegAnswered answered:
                OnLegAnswered(step, answered.LegUuid);
                break;
            case LegHungUp hungUp:
                OnLegHungUp(step, hungUp);
                break;
            case BridgeReplied reply:
                OnBridgeReplied(step, reply.Ok);
                break;
            case PstnAttemptEnded ended:
                OnPstnAttemptEnded(step, ended.Disposition);
                break;
            case LegsLost lost:
                OnLegsLost(step, lost.Reason);
                break;
            default:
                break;
        }

        return step.Done();
    }

    private static CallTransition Create(CallCreated created)
    {
        var setup = new CallSetup(
            created.CallId,
            created.RoomId,
            created.CallerUserId,
            created.CalleeUserId,
            created.CalleeNumber,
            created.CalleeFallbackAllowed,
            created.Media,
            created.Record,
            created.Policy.With(created.RoomOverrides),
            created.RingTimeout,
            created.PstnRingTimeout,
            created.PstnLegUuid);
        var step = new CallStep(CallState.Empty with { Setup = setup }, created.At);
        step.Transition(CallStatus.Ringing, CallReasons.Created);

        if (setup.IsDirect && setup.CalleeNumber is null)
        {
            // Nobody to call: the API should never create this, but the engine must not throw on it.
            End(step, CallStatus.Failed, CallReasons.NoCallee, HangupCauses.UnallocatedNumber, CallParty.Network);
            return step.Done();
        }

        // The ring timer also guards the caller's leg: if it never parks, the call does not wait forever.
        step.ArmRingTimer(setup.RingTimeout);

        if (setup.IsDirect)
        {
            step.DialOrAwaitCallerLeg();
        }
        else if (created.CalleeOnline)
        {
            step.Emit(new AlertCallee(setup.CallId, setup.RoomId, setup.CalleeUserId!, setup.CallerUserId, setup.Media));
            step.State = step.State with { CalleeAlerted = true, Phase = CallPhase.AwaitingCallee };
            step.Notify(CallParty.Caller, PartyNotice.Ringing);
        }
        else
        {
            FallBackOrEnd(step, FallbackReason.Offline);
        }

        return step.Done();
    }

    private static void OnCallerLegParked(CallStep step, string leg)
    {
        var state = step.State;
        if (state.CallerLegUuid == leg || state.StrayLegUuids.Contains(leg))
        {
            return;
        }

        if (state.CallerLegUuid is not null || state.IsFinal)
        {
            // A leg this call will never use (the call is over, or it already has its caller leg).
            step.State = state.IsFinal && state.CallerLegUuid is null
                ? state with { CallerLegUuid = leg }
                : state with { StrayLegUuids = [.. state.StrayLegUuids, leg] };

            step.Emit(new HangupLeg(step.Setup.CallId, leg, state.FinalCause ?? HangupCauses.CallRejected));
            return;
        }

        step.State = state with { CallerLegUuid = leg };
        switch (state.Phase)
        {
            case CallPhase.AwaitingCallee when state.CalleeLegUuid is not null && !state.CalleeLegEnded:
                step.StartAppBridge();
                break;
            case CallPhase.AwaitingCallerLeg:
                step.DialOrAwaitCallerLeg();
                break;
            default:
                break;
        }
    }

    private static void OnCalleeLegParked(CallStep step, string leg)
    {
        var state = step.State;
        if (state.CalleeLegUuid == leg || state.StrayLegUuids.Contains(leg))
        {
            return;
        }

        string? refuse = null;
        if (state.IsFinal)
        {
            refuse = state.FinalCause ?? HangupCauses.NormalClearing;
        }
        else if (step.Setup.IsDirect || state.CalleeLegUuid is not null)
        {
            refuse = HangupCauses.CallRejected;
        }
        else if (state.Phase is not CallPhase.AwaitingCallee)
        {
            // The call already went to the phone: the app leg lost the race.
            refuse = HangupCauses.LoseRace;
        }

        if (refuse is not null)
        {
            // Only an ended call adopts the leg; a live call must not mistake a stray leg's hangup for its callee's.
            step.State = state.IsFinal && state.CalleeLegUuid is null && !step.Setup.IsDirect
                ? state with { CalleeLegUuid = leg }
                : state with { StrayLegUuids = [.. state.StrayLegUuids, leg] };

            step.Emit(new HangupLeg(step.Setup.CallId, leg, refuse));
            return;
        }

        step.State = state with { CalleeLegUuid = leg, CalleeJoined = true };
        if (state.CallerLegUuid is not null && !state.CallerLegEnded)
        {
            step.StartAppBridge();
        }
    }

    private static void OnCalleeJoined(CallStep step)
    {
        if (step.State.Phase != CallPhase.AwaitingCallee || step.State.CalleeJoined)
        {
            return;
        }

        step.State = step.State with { CalleeJoined = true };
        step.Notify(CallParty.Caller, PartyNotice.Joined);
    }
}
