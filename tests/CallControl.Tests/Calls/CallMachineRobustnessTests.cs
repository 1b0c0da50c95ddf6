using CallControl.Calls;
using static CallControl.Tests.Calls.CallFixture;

namespace CallControl.Tests.Calls;

/// <summary>
/// Late, duplicate and out-of-order inputs: FreeSWITCH repeats (CHANNEL_HANGUP and CHANNEL_HANGUP_COMPLETE), events of
/// different channels interleave, timers fire after they were canceled. The machine must never throw, never act twice,
/// and keep a consistent history.
/// </summary>
public sealed class CallMachineRobustnessTests
{
    public static TheoryData<string> Scenarios() => CallScenarios.Names();

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_input_delivered_twice_the_repeat_yields_no_commands(string name)
    {
        var state = CallState.Empty;
        foreach (var step in CallScenarios.ByName[name].Steps)
        {
            state = CallMachine.Handle(state, step.Input).State;

            var repeat = CallMachine.Handle(state, step.Input);

            Assert.Empty(repeat.Commands);
            Assert.Equal(state.Status, repeat.State.Status);
            Assert.Equal(state.History, repeat.State.History);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Shuffled_inputs_never_throw_and_keep_a_consistent_history(string name)
    {
        var steps = CallScenarios.ByName[name].Steps;
        for (var seed = 0; seed < 50; seed++)
        {
            // The creation stays first (the shell creates the call before any of its events can be routed to it).
            var rest = steps.Skip(1).Select(s => s.Input).ToArray();
            new Random(seed).Shuffle(rest);
            var (state, commands) = CallScenarios.Run(rest.Prepend(steps[0].Input));

            AssertConsistent(state, commands, $"{name} seed {seed}");
        }
    }

    [Fact]
    public void Inputs_before_the_call_is_created_are_ignored()
    {
        CallInput[] inputs =
        [
            new CallerLegParked(T(1), A), new CalleeBusy(T(1)), new CallerCanceled(T(1)), RingTimeout(30),
            new LegAnswered(T(1), P), HungUp(1, A, HangupCauses.NormalClearing), new BridgeReplied(T(1), true, "+OK"),
            new PstnAttemptEnded(T(1), HangupCauses.UserBusy),
        ];

        foreach (var input in inputs)
        {
            var transition = CallMachine.Handle(CallState.Empty, input);

            Assert.Empty(transition.Commands);
            Assert.Same(CallState.Empty, transition.State);
        }
    }

    [Fact]
    public void A_second_call_created_for_the_same_state_is_ignored()
    {
        var state = CallMachine.Handle(CallState.Empty, AppCall()).State;

        var again = CallMachine.Handle(state, AppCall(online: false));

        Assert.Empty(again.Commands);
        Assert.Same(state, again.State);
    }

    [Fact]
    public void Ring_timer_with_another_deadline_is_stale_and_ignored()
    {
        var state = Run(AppCall(), new CallerLegParked(T(1), A));

        var stale = CallMachine.Handle(state, new RingTimeoutFired(T(30), T(12)));

        Assert.Empty(stale.Commands);
        Assert.Equal(CallStatus.Ringing, stale.State.Status);
        Assert.Equal(T0 + Ring, stale.State.RingDeadline);
    }

    [Fact]
    public void Busy_and_refuse_after_the_callee_leg_parked_are_ignored()
    {
        var state = Run(AppCall(), new CallerLegParked(T(1), A), new CalleeLegParked(T(2), B));

        Assert.Empty(CallMachine.Handle(state, new CalleeBusy(T(3))).Commands);
        Assert.Empty(CallMachine.Handle(state, new CalleeRefused(T(3))).Commands);
        Assert.Empty(CallMachine.Handle(state, new CalleeWentOffline(T(3))).Commands);
    }

    [Fact]
    public void Room_overrides_can_turn_offline_fallback_off()
    {
        var transition = CallMachine.Handle(CallState.Empty, AppCall(online: false, overrides: new FallbackPolicyOverrides(OnOffline: false)));

        Assert.Equal(CallStatus.Offline, transition.State.Status);
        Assert.DoesNotContain(transition.Commands, c => c is DialPstn);
    }

    [Fact]
    public void Fallback_never_dials_when_the_callee_disallows_it_whatever_the_policy()
    {
        var everything = new FallbackPolicyOverrides(true, true, true, true, true);
        var created = AppCall(online: false, fallbackAllowed: false, overrides: everything);

        var (state, commands) = CallScenarios.Run([created, new CallerLegParked(T(1), A)]);

        Assert.Equal(CallStatus.Offline, state.Status);
        Assert.DoesNotContain(commands.SelectMany(c => c), c => c is DialPstn);
    }

    [Fact]
    public void Late_inputs_after_an_app_answer_are_ignored()
    {
        var answered = Run(
            AppCall(), new CallerLegParked(T(1), A), new CalleeLegParked(T(2), B), new BridgeReplied(T(2.1), true, "+OK"));
        Assert.Equal(CallStatus.Answered, answered.Status);
        CallInput[] late =
        [
            RingTimeout(30), new CalleeBusy(T(31)), new CalleeRefused(T(31)), new CalleeWentOffline(T(31)),
            new CalleeJoined(T(31)), new BridgeReplied(T(31), false, "-ERR Invalid uuid"), new LegAnswered(T(31), A),
            new LegAnswered(T(31), B), new LegProgressMedia(T(31), A), new PstnAttemptEnded(T(31), HangupCauses.UserBusy),
            new CallerLegParked(T(31), A), new CalleeLegParked(T(31), B), HungUp(31, Stray, HangupCauses.NormalClearing),
        ];

        foreach (var input in late)
        {
            var transition = CallMachine.Handle(answered, input);

            Assert.Empty(transition.Commands);
            Assert.Equal(CallStatus.Answered, transition.State.Status);
            Assert.Equal(answered.History, transition.State.History);
        }
    }

    [Fact]
    public void Late_inputs_after_a_pstn_answer_are_ignored()
    {
        var answered = Run(AppCall(online: false), new CallerLegParked(T(1), A), new LegAnswered(T(3), P));
        Assert.Equal(CallStatus.Answered, answered.Status);
        CallInput[] late =
        [
            RingTimeout(30), new LegAnswered(T(31), P), new LegProgress(T(31), P), new CallerLegParked(T(31), A),
            new PstnAttemptEnded(T(31), HangupCauses.Success), new CalleeBusy(T(31)), new CalleeWentOffline(T(31)),
        ];

        foreach (var input in late)
        {
            Assert.Empty(CallMachine.Handle(answered, input).Commands);
        }
    }

    private static CallState Run(params CallInput[] inputs) => CallScenarios.Run(inputs).State;

    private static void AssertConsistent(CallState state, List<IReadOnlyList<CallCommand>> steps, string label)
    {
        var history = state.History;
        Assert.True(history.Count >= 1, label);
        Assert.Equal(new CallHistoryEntry(null, CallStatus.Ringing, CallReasons.Created, T0), history[0]);
        for (var i = 1; i < history.Count; i++)
        {
            Assert.True(history[i].From == history[i - 1].To, $"{label}: history breaks at {i}");
            Assert.False(history[i - 1].To.IsFinal(), $"{label}: a transition after a final status");
        }

        var commands = steps.SelectMany(c => c).ToList();
        Assert.True(commands.OfType<DialPstn>().Count() <= 1, $"{label}: dialed twice");
        Assert.True(commands.OfType<SetFinalFields>().Count() <= 1, $"{label}: ended twice");
        Assert.True(commands.OfType<SetAnswered>().Count() <= 1, $"{label}: answered twice");
        var endStep = steps.FindIndex(c => c.Any(x => x is SetFinalFields));
        if (endStep >= 0)
        {
            // Once ended, the call only hangs up legs that turn up late; it never rings, dials or bridges again.
            Assert.All(steps.Skip(endStep + 1).SelectMany(c => c), c => Assert.IsType<HangupLeg>(c));
            Assert.True(state.IsFinal, label);
        }
    }
}
