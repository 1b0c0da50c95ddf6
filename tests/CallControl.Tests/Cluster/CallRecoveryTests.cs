using CallControl.Calls;
using CallControl.Calls.Router;
using CallControl.Switch;
using static CallControl.Tests.Calls.CallFixture;

namespace CallControl.Tests.Cluster;

/// <summary>Rebuilding a call another owner ran and feeding it what it missed, then letting the machine decide.</summary>
public sealed class CallRecoveryTests
{
    private static readonly DateTime Created = T0.UtcDateTime;
    private static readonly DateTimeOffset Now = T(40);

    private static ResumableCall Row(string status, string? callee = CalleeId, string? via = null, string? fallback = null) => new()
    {
        Id = CallId, RoomId = Room, Caller = CallerId, Callee = callee, CalleeNumber = Number, Media = "audio",
        Status = status, AnsweredVia = via, FallbackReason = fallback, CreatedAt = Created,
        AnsweredAt = via is null ? null : T(5).UtcDateTime, RingDeadline = (T0 + Ring).UtcDateTime, Version = 3,
    };

    private static LiveLeg Live(string uuid, string role, string answer = "answered") =>
        new(uuid, answer, CallId.ToString("D"), Room, role, Room, null);

    private static EndedLeg Ended(string uuid, string role, double s, string cause = "NORMAL_CLEARING", string? disposition = "recv_bye") =>
        new() { LegUuid = Guid.Parse(uuid), CallId = CallId, Role = role, HangupCause = cause, Disposition = disposition, EndAt = T(s).UtcDateTime };

    private static Dictionary<string, LiveLeg> Legs(params LiveLeg[] legs) => legs.ToDictionary(l => l.Uuid);

    private static CallState Rebuild(ResumableCall row, LiveLeg[] live, params EndedLeg[] ended) =>
        CallRecovery.Rebuild(row, live, ended, FallbackPolicy.Default, Ring, PstnRing);

    /// <summary>The missed inputs run through the machine; the commands of every step, in order.</summary>
    private static (CallState State, List<CallCommand> Commands) Run(
        CallState state, IReadOnlyDictionary<string, LiveLeg> live, bool restarted, params EndedLeg[] ended)
    {
        var commands = new List<CallCommand>();
        foreach (var input in CallRecovery.MissedInputs(state, live, ended, restarted, Now))
        {
            var t = CallMachine.Handle(state, input);
            state = t.State;
            commands.AddRange(t.Commands);
        }

        return (state, commands);
    }

    [Fact]
    public void An_answered_carrier_call_whose_caller_hung_up_in_the_gap_completes_as_the_caller_ended_it()
    {
        var state = Rebuild(Row("answered", callee: null, via: "pstn"), [Live(A, "caller"), Live(P, "pstn")]);
        Assert.Equal((CallPhase.Talking, A, P, true), (state.Phase, state.CallerLegUuid, state.Setup!.PstnLegUuid, state.PstnDialed));

        var (after, commands) = Run(state, Legs(Live(P, "pstn")), false, Ended(A, "caller", 30));
        Assert.Equal(CallStatus.Completed, after.Status);
        Assert.Equal(CallReasons.CallerHungUp, after.History[^1].Reason);
        Assert.Contains(new HangupLeg(CallId, P, HangupCauses.NormalClearing), commands);
    }

    [Fact]
    public void After_a_node_restart_a_call_whose_legs_all_vanished_fails_with_node_restarted_and_kills_nothing()
    {
        var state = Rebuild(Row("answered", via: "app"), [Live(A, "caller"), Live(B, "callee")]);
        var (after, commands) = Run(state, Legs(), true);
        Assert.Equal(CallStatus.Failed, after.Status);
        Assert.Equal(CallReasons.NodeRestarted, after.History[^1].Reason);
        Assert.DoesNotContain(commands, c => c is HangupLeg);
        Assert.Contains(commands, c => c is SetFinalFields { HangupCause: CallMachine.SystemShutdown, HungUpBy: CallParty.Network });
    }

    [Fact]
    public void A_ringing_app_call_gets_both_parked_legs_back_and_the_machine_bridges_them()
    {
        var state = Rebuild(Row("ringing"), [Live(A, "caller", "ringing"), Live(B, "callee", "ringing")]);
        Assert.Equal((CallPhase.AwaitingCallee, null, null, T0 + Ring), (state.Phase, state.CallerLegUuid, state.CalleeLegUuid, state.RingDeadline));

        var (after, commands) = Run(state, Legs(Live(A, "caller", "ringing"), Live(B, "callee", "ringing")), false);
        Assert.Equal(CallPhase.Bridging, after.Phase);
        Assert.Equal([new AnswerLeg(CallId, B), new AnswerLeg(CallId, A), new BridgeLegs(CallId, A, B)], commands.Where(c => c is AnswerLeg or BridgeLegs));
    }

    [Fact]
    public void A_carrier_answer_missed_in_the_gap_answers_the_call()
    {
        var state = Rebuild(Row("fallback-dialing", fallback: "no_answer"), [Live(A, "caller"), Live(P, "pstn")]);
        Assert.Equal((CallPhase.DialingPstn, FallbackReason.NoAnswer), (state.Phase, state.FallbackReason));

        var (after, _) = Run(state, Legs(Live(A, "caller"), Live(P, "pstn")), false);
        Assert.Equal(CallStatus.Answered, after.Status);
        Assert.Equal(AnsweredVia.Pstn, after.AnsweredVia);
    }

    [Fact]
    public void A_carrier_busy_in_the_gap_ends_the_call_busy_from_the_stored_cdr()
    {
        var state = Rebuild(Row("ringing", callee: null), [Live(A, "caller", "early")], Ended(P, "pstn", 20, "USER_BUSY", "recv_refuse"));
        var (after, _) = Run(state, Legs(Live(A, "caller", "early")), false, Ended(P, "pstn", 20, "USER_BUSY", "recv_refuse"));
        Assert.Equal(CallStatus.Busy, after.Status);
    }

    [Fact]
    public void A_fallback_waiting_for_the_caller_leg_dials_the_stored_number_once_the_leg_is_seen()
    {
        var state = Rebuild(Row("fallback-dialing", fallback: "offline"), []);
        Assert.Equal(CallPhase.AwaitingCallerLeg, state.Phase);
        var (after, commands) = Run(state, Legs(Live(A, "caller", "ringing")), false);
        var dial = Assert.Single(commands.OfType<DialPstn>());
        Assert.Equal((A, Number), (dial.CallerLegUuid, dial.Number));
        Assert.Equal(CallPhase.DialingPstn, after.Phase);
    }

    [Fact]
    public void The_stored_ring_deadline_is_the_timers_deadline_so_its_firing_is_not_stale()
    {
        var state = Rebuild(Row("ringing", callee: CalleeId), []);
        var t = CallMachine.Handle(state, new RingTimeoutFired(Now, T0 + Ring));
        Assert.Equal(CallStatus.FallbackDialing, t.State.Status);
        Assert.Equal(CallReasons.RingTimeout, t.State.History[^1].Reason);
    }

    [Fact]
    public void A_call_that_is_over_misses_nothing()
    {
        var state = Rebuild(Row("answered", via: "app"), [Live(A, "caller"), Live(B, "callee")]) with { Status = CallStatus.Completed };
        Assert.Empty(CallRecovery.MissedInputs(state, Legs(), [], true, Now));
    }

    private static EndedCall EndedAs(string status, string? cause) => new() { Id = CallId, RoomId = Room, Status = status, HangupCause = cause };

    [Fact]
    public void Legs_of_a_call_that_ended_in_postgresql_are_hung_up_as_the_machine_ends_a_call()
    {
        var hangups = CallRecovery.LeftoverHangups([Live(A, "caller", "ringing"), Live(P, "pstn", "ringing")], [EndedAs("no_answer", "NO_ANSWER")]);
        Assert.Equal([(A, CallId, "NO_ANSWER"), (P, CallId, "NORMAL_CLEARING")], hangups);

        // A canceled call's other parties are canceled; the caller keeps the call's cause, whatever it is.
        hangups = CallRecovery.LeftoverHangups([Live(A, "caller"), Live(B, "callee", "ringing")], [EndedAs("canceled", "NORMAL_CLEARING")]);
        Assert.Equal([(A, CallId, "NORMAL_CLEARING"), (B, CallId, "ORIGINATOR_CANCEL")], hangups);

        // A caller leg with no recorded cause is cleared normally.
        Assert.Equal([(A, CallId, "NORMAL_CLEARING")], CallRecovery.LeftoverHangups([Live(A, "caller")], [EndedAs("completed", null)]));
    }

    [Fact]
    public void An_untagged_leg_parked_in_an_ended_calls_room_gets_a_late_legs_cause()
    {
        LiveLeg Parked(string uuid, string room) => new(uuid, "ringing", null, null, null, room, "login");
        Assert.Equal([(B, CallId, "USER_BUSY")], CallRecovery.LeftoverHangups([Parked(B, Room)], [EndedAs("busy", "USER_BUSY")]));
        Assert.Equal([(B, CallId, "CALL_REJECTED")], CallRecovery.LeftoverHangups([Parked(B, Room)], [EndedAs("failed", null)]));
        Assert.Equal([(B, CallId, "ORIGINATOR_CANCEL")], CallRecovery.LeftoverHangups([Parked(B, Room)], [EndedAs("canceled", "ORIGINATOR_CANCEL")]));
        Assert.Empty(CallRecovery.LeftoverHangups([Parked(B, "another-room")], [EndedAs("busy", "USER_BUSY")]));
    }

    [Fact]
    public void Legs_of_calls_postgresql_does_not_have_as_ended_are_left_alone()
    {
        var other = Guid.NewGuid();
        LiveLeg Foreign(string uuid) => new(uuid, "answered", other.ToString("D"), "r2", "caller", "r2", null);
        Assert.Empty(CallRecovery.LeftoverHangups([Live(A, "caller"), Foreign(P)], []));
        Assert.Equal([(A, CallId, "NO_ANSWER")], CallRecovery.LeftoverHangups([Live(A, "caller"), Foreign(P)], [EndedAs("no_answer", "NO_ANSWER")]));
    }
}
