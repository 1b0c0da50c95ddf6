using CallControl.Calls;

namespace CallControl.Tests.Calls;

/// <summary>
/// The call engine, one row per call scenario: every input's exact commands, then the final status and the whole
/// state history (each transition with its reason and time).
/// </summary>
public sealed class CallMachineScenarioTests
{
    public static TheoryData<string> Scenarios() => CallScenarios.Names();

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_each_input_yields_exactly_the_expected_commands(string name)
    {
        var scenario = CallScenarios.ByName[name];
        var state = CallState.Empty;
        for (var i = 0; i < scenario.Steps.Length; i++)
        {
            var step = scenario.Steps[i];
            var transition = CallMachine.Handle(state, step.Input);
            state = transition.State;
            Assert.True(
                step.Expect.SequenceEqual(transition.Commands),
                $"step {i} {step.Input}{Environment.NewLine}expected:{Environment.NewLine}{CallScenarios.Describe(step.Expect)}"
                + $"{Environment.NewLine}actual:{Environment.NewLine}{CallScenarios.Describe(transition.Commands)}");
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_ends_in_expected_status_with_full_history(string name)
    {
        var scenario = CallScenarios.ByName[name];

        var (state, _) = CallScenarios.Run(scenario.Steps.Select(s => s.Input));

        Assert.Equal(scenario.Status, state.Status);
        Assert.True(state.IsFinal);
        Assert.Equal(CallPhase.Ended, state.Phase);
        Assert.Equal(scenario.History, state.History);
        Assert.Null(state.RingDeadline);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_record_transition_commands_match_the_state_history(string name)
    {
        var scenario = CallScenarios.ByName[name];

        var (state, commands) = CallScenarios.Run(scenario.Steps.Select(s => s.Input));

        var recorded = commands.SelectMany(c => c).OfType<RecordTransition>()
            .Select(r => new CallHistoryEntry(r.From, r.To, r.Reason, r.At));
        Assert.Equal(state.History, recorded);
        var finals = commands.SelectMany(c => c).OfType<SetFinalFields>().ToList();
        var final = Assert.Single(finals);
        Assert.Equal(state.Status, final.Status);
    }
}
