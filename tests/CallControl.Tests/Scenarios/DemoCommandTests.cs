using CallControl.Cli;
using CallControl.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace CallControl.Tests.Scenarios;

/// <summary><c>callcontrol demo</c> run against the in-process world (service + simulator with its control API).</summary>
[Collection(RoomWorldGroup.Name)]
public sealed class DemoCommandTests(RoomWorld world)
{
    [Fact]
    public async Task Demo_drives_four_calls_to_their_outcomes_and_prints_their_cdrs()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:CallControl"] = ServiceHostDatabase.ConnectionString,
            ["Auth:SigningKey"] = RoomWorld.SigningKey,
        }).Build();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await DemoCommand.RunAsync(
            // This world's carrier calls ring for 2 s at most (Rooms:PstnRingTimeout): Carol answers well before.
            ["--url", world.BaseAddress.ToString(), "--sim", $"http://127.0.0.1:{world.Sim.ControlPort}", "--carrier-answer-ms", "300"],
            stdout, stderr, CancellationToken.None, configuration);

        var output = stdout.ToString();
        Assert.True(code == 0, stderr + output);
        Assert.Contains("call completed via=app", output, StringComparison.Ordinal);
        Assert.Contains("call completed via=pstn fallback=offline", output, StringComparison.Ordinal);
        Assert.Contains("call busy", output, StringComparison.Ordinal);
        Assert.Contains("call canceled", output, StringComparison.Ordinal);
        Assert.Contains(" pstn ", output, StringComparison.Ordinal);
        var cdrs = output.Split('\n').Where(l => l.TrimStart().StartsWith("CDR ", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, cdrs.Count);
        // Each row as both paths left it: the json_cdr POST, then the CHANNEL_HANGUP_COMPLETE that follows it.
        Assert.All(cdrs, l => Assert.EndsWith("source=both", l.TrimEnd(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("soon")]
    [InlineData("60001")]
    public async Task A_bad_carrier_answer_delay_is_refused_before_anything_is_driven(string delay)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await DemoCommand.RunAsync(
            ["--url", world.BaseAddress.ToString(), "--sim", $"http://127.0.0.1:{world.Sim.ControlPort}", "--carrier-answer-ms", delay],
            stdout, stderr, CancellationToken.None, new ConfigurationBuilder().Build());

        Assert.Equal(CommandLine.Usage, code);
        Assert.Contains("--carrier-answer-ms", stderr.ToString(), StringComparison.Ordinal);
        Assert.Empty(stdout.ToString());
    }
}
