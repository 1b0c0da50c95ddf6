using System.Text;

namespace FreeSwitchSim.Tests.Esl;

/// <summary>Behaviour that depends on time, driven by a manual clock instead of waiting.</summary>
public sealed class ClockDrivenTests
{
    private const string Goodbye = "Content-Type: text/disconnect-notice\nContent-Length: 67\n\nDisconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n";

    [Fact]
    public async Task Silent_connection_is_closed_after_25_seconds_but_one_that_spoke_is_not()
    {
        var clock = new ManualClock();
        await using var sim = EslHarness.Start(clock: clock);
        await using var silent = await EslTestClient.ConnectAsync(sim.Port);
        await silent.ReadFrameAsync();
        await using var talker = await EslTestClient.ConnectAsync(sim.Port);
        await talker.ReadFrameAsync();
        await talker.CommandAsync("api status");
        await WaitUntilAsync(() => clock.HasTimerDueAt(clock.GetUtcNow() + TimeSpan.FromSeconds(25)));

        clock.Advance(TimeSpan.FromSeconds(25));

        Assert.Equal(Goodbye, Encoding.UTF8.GetString(await silent.ReadToCloseAsync()));
        Assert.Equal("-ERR command not found", (await talker.CommandAsync("event plain ALL"))["Reply-Text"]);
    }

    [Fact]
    public async Task Stalled_command_runs_only_when_the_stall_ends()
    {
        var clock = new ManualClock();
        await using var sim = EslHarness.Start(clock: clock);
        await using var client = await sim.ClientAsync();
        var stallEnd = clock.GetUtcNow() + TimeSpan.FromSeconds(10);
        sim.Server.Stall(TimeSpan.FromSeconds(10));

        await client.SendAsync("api status\n\n");
        await WaitUntilAsync(() => clock.HasTimerDueAt(stallEnd));
        Assert.Equal(0, sim.Core.ApiCalls);

        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("api/response", (await client.ReadReplyAsync()).ContentType);
        Assert.Equal(1, sim.Core.ApiCalls);
    }

    [Fact]
    public async Task Refused_port_opens_again_when_the_refusal_ends()
    {
        var clock = new ManualClock();
        await using var sim = EslHarness.Start(clock: clock);
        sim.Server.RefuseConnections(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => EslTestClient.ConnectAsync(sim.Port));

        clock.Advance(TimeSpan.FromSeconds(5));

        await using var client = await EslTestClient.ConnectAsync(sim.Port);
        Assert.Equal("auth/request", (await client.ReadFrameAsync()).ContentType);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(EslTestClient.Timeout);
        while (!condition())
        {
            await Task.Delay(10, cts.Token);
        }
    }
}
