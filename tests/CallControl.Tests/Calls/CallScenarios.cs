using CallControl.Calls;

namespace CallControl.Tests.Calls;

/// <summary>All scenario tables, by name, and a runner that feeds a scenario's inputs through the machine.</summary>
internal static class CallScenarios
{
    public static IReadOnlyDictionary<string, CallScenario> ByName { get; } =
        AppCallScenarios.All().Concat(PstnCallScenarios.All()).Concat(DirectCallScenarios.All())
            .ToDictionary(s => s.Name, StringComparer.Ordinal);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in ByName.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>Feeds the inputs in order, returning the final state and each step's commands.</summary>
    public static (CallState State, List<IReadOnlyList<CallCommand>> Commands) Run(IEnumerable<CallInput> inputs)
    {
        var state = CallState.Empty;
        var commands = new List<IReadOnlyList<CallCommand>>();
        foreach (var input in inputs)
        {
            var transition = CallMachine.Handle(state, input);
            state = transition.State;
            commands.Add(transition.Commands);
        }

        return (state, commands);
    }

    public static string Describe(IEnumerable<CallCommand> commands) =>
        string.Join(Environment.NewLine, commands.Select(c => "  " + c));
}
