namespace CallControl.Calls;

/// <summary>
/// The working copy of one transition: the state as it is being changed and the commands emitted so far. The helpers
/// here are the decisions every path shares (move to a status, arm or disarm the timer, hang legs up, notify).
/// </summary>
internal sealed class CallStep(CallState state, DateTimeOffset at)
{
    private readonly List<CallCommand> _commands = [];

    public CallState State { get; set; } = state;

    public DateTimeOffset At { get; } = at;

    public CallSetup Setup => State.Setup!;

    public CallTransition Done() => new(State, _commands);

    public void Emit(CallCommand command) => _commands.Add(command);

    public void Transition(CallStatus to, string reason)
    {
        var from = State.Status;
        State = State with { Status = to, History = [.. State.History, new CallHistoryEntry(from, to, reason, At)] };
        Emit(new RecordTransition(Setup.CallId, from, to, reason, At));
    }

    public void ArmRingTimer(TimeSpan timeout)
    {
        var deadline = At + timeout;
        State = State with { RingDeadline = deadline };
        Emit(new StartRingTimer(Setup.CallId, deadline));
    }

    public void DisarmRingTimer()
    {
        if (State.RingDeadline is null)
        {
            return;
        }

        State = State with { RingDeadline = null };
        Emit(new CancelRingTimer(Setup.CallId));
    }

    /// <summary>Notify a party; the callee only exists on signaling when it is an app user.</summary>
    public void Notify(CallParty party, PartyNotice notice)
    {
        if (party == CallParty.Callee && Setup.IsDirect)
        {
            return;
        }

        Emit(new NotifyParty(Setup.CallId, Setup.RoomId, party, notice, State.Status!.Value));
    }

    public void HangupCaller(string cause)
    {
        if (State.CallerLegUuid is { } leg && !State.CallerLegEnded)
        {
            Emit(new HangupLeg(Setup.CallId, leg, cause));
        }
    }

    public void HangupCallee(string cause)
    {
        if (State.CalleeLegUuid is { } leg && !State.CalleeLegEnded)
        {
            Emit(new HangupLeg(Setup.CallId, leg, cause));
        }
    }

    public void HangupPstn(string cause)
    {
        if (State.PstnDialed && !State.PstnLegEnded)
        {
            Emit(new HangupLeg(Setup.CallId, Setup.PstnLegUuid, cause));
        }
    }

    /// <summary>Answer the callee's leg, then the caller's, then bridge (FreeSWITCH will not uuid_bridge two unanswered legs).</summary>
    public void StartAppBridge()
    {
        var caller = State.CallerLegUuid!;
        var callee = State.CalleeLegUuid!;
        Emit(new AnswerLeg(Setup.CallId, callee));
        Emit(new AnswerLeg(Setup.CallId, caller));
        Emit(new BridgeLegs(Setup.CallId, caller, callee));
        State = State with { Phase = CallPhase.Bridging };
    }

    /// <summary>Dial the carrier now if the caller's leg is there; otherwise wait for it (with the ring timer as a watchdog).</summary>
    public void DialOrAwaitCallerLeg()
    {
        if (State.CallerLegUuid is { } caller && !State.CallerLegEnded)
        {
            DisarmRingTimer();
            Emit(new DialPstn(
                Setup.CallId, Setup.RoomId, caller, Setup.PstnLegUuid, Setup.CalleeNumber!, Setup.PstnRingTimeout,
                State.FallbackReason));
            State = State with { PstnDialed = true, Phase = CallPhase.DialingPstn };
            return;
        }

        State = State with { Phase = CallPhase.AwaitingCallerLeg };
        if (State.RingDeadline is null)
        {
            ArmRingTimer(Setup.RingTimeout);
        }
    }
}
