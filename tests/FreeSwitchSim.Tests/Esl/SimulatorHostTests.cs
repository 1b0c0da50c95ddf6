using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FreeSwitchSim.Tests.Esl;

/// <summary>The ESL layer wired to the real switch model, through <see cref="SimulatorHost"/>.</summary>
public sealed class SimulatorHostTests
{
    [Fact]
    public async Task Two_nodes_run_side_by_side_with_their_own_ports_and_hostnames()
    {
        await using var a = await SimulatorHost.StartAsync(new SimulatorHostOptions { Hostname = "node-a" });
        await using var b = await SimulatorHost.StartAsync(new SimulatorHostOptions { Hostname = "node-b", Password = "other" });
        Assert.NotEqual(a.EslPort, b.EslPort);

        await using var ca = await EslTestClient.ConnectAuthedAsync(a.EslPort);
        await using var cb = await EslTestClient.ConnectAuthedAsync(b.EslPort, "other");
        await ca.CommandAsync("event plain CHANNEL_CREATE");
        await cb.CommandAsync("event plain CHANNEL_CREATE");
        Assert.True(await a.Switch.LoginAsync("1000", "1234", CancellationToken.None));
        var uuid = a.Switch.PlaceCall("1000", "room-a1");

        var created = Captures.DecodePlainEvent((await ca.ReadUntilAsync(f => f.ContentType == "text/event-plain")).Body)!;
        Assert.Equal(uuid, created.Get("Unique-ID"));
        Assert.Equal("node-a", created.Get("FreeSWITCH-Hostname"));
        // Node b saw nothing: its next frame is the reply to our next command.
        Assert.Equal("api/response", (await cb.CommandAsync("api status")).ContentType);
    }

    [Fact]
    public async Task Socket_app_dials_out_and_connect_describes_the_channel()
    {
        await using var call = await SocketAppCall.StartAsync();
        var outbound = call.Outbound;

        await outbound.SendAsync("connect\n\n");
        var reply = await outbound.ReadFrameAsync();

        Assert.Equal("CHANNEL_DATA", reply["Event-Name"]);
        Assert.Equal(call.Uuid, reply["Unique-ID"]);
        Assert.Equal("o1", reply["variable_room_id"]);
        Assert.Equal("%2BOK%0A", reply["Reply-Text"]);
        Assert.Equal("async", reply["Socket-Mode"]);
        Assert.Equal("full", reply["Control"]);
        Assert.Equal("+OK Events Enabled", (await outbound.CommandAsync("myevents"))["Reply-Text"]);
        Assert.Equal("o1", (await outbound.CommandAsync("getvar room_id"))["Reply-Text"]);
    }

    [Fact]
    public async Task Restart_fault_says_shutting_down_and_the_node_comes_back_with_a_new_core_uuid()
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorHostOptions { RestartDownTime = TimeSpan.FromMilliseconds(300) });
        var before = host.Switch.CoreUuid;
        await using var client = await EslTestClient.ConnectAuthedAsync(host.EslPort);

        host.Faults.Restart(TimeSpan.FromMilliseconds(300));

        var rest = Encoding.UTF8.GetString(await client.ReadToCloseAsync());
        Assert.EndsWith("Content-Type: text/disconnect-notice\nContent-Length: 31\n\nThe system is being shut down.\n", rest, StringComparison.Ordinal);
        Assert.NotEqual(before, host.Switch.CoreUuid);
        await using var again = await RetryConnectAsync(host.EslPort);
        Assert.Equal("auth/request", (await again.ReadFrameAsync()).ContentType);
    }

    private static async Task<EslTestClient> RetryConnectAsync(int port)
    {
        using var cts = new CancellationTokenSource(EslTestClient.Timeout);
        while (true)
        {
            try
            {
                return await EslTestClient.ConnectAsync(port);
            }
            catch (SocketException) when (!cts.IsCancellationRequested)
            {
                await Task.Delay(50, cts.Token);
            }
        }
    }
}
