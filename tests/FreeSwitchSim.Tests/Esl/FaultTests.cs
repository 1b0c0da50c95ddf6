using System.Net.Sockets;
using System.Text;

namespace FreeSwitchSim.Tests.Esl;

public sealed class FaultTests
{
    [Fact]
    public async Task Drop_closes_every_connection_without_a_notice()
    {
        await using var sim = EslHarness.Start();
        await using var a = await sim.ClientAsync();
        await using var b = await sim.ClientAsync();

        sim.Server.DropConnections();

        Assert.Empty(await a.ReadToCloseAsync());
        Assert.Empty(await b.ReadToCloseAsync());
    }

    [Fact]
    public async Task Refuse_closes_the_port_then_accepts_again()
    {
        await using var sim = EslHarness.Start();
        sim.Server.RefuseConnections(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<SocketException>(() => EslTestClient.ConnectAsync(sim.Port));
        await using var client = await RetryConnectAsync(sim.Port);
        Assert.Equal("auth/request", (await client.ReadFrameAsync()).ContentType);
    }

    [Fact]
    public async Task Acl_rejection_sends_rude_rejection_then_closes()
    {
        await using var sim = EslHarness.Start();
        sim.Server.RefuseConnections(TimeSpan.FromSeconds(30), aclReject: true);

        await using var client = await EslTestClient.ConnectAsync(sim.Port);

        Assert.Equal("Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n", Encoding.UTF8.GetString(await client.ReadToCloseAsync()));
    }

    [Fact]
    public async Task Stall_keeps_the_order_of_pipelined_commands()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();
        sim.Server.Stall(TimeSpan.FromSeconds(1));

        await client.SendAsync("api status\n\nevent plain ALL\n\n");
        var first = await client.ReadReplyAsync();
        var second = await client.ReadReplyAsync();

        Assert.Equal("api/response", first.ContentType);
        Assert.Equal("+OK event listener enabled plain", second["Reply-Text"]);
    }

    [Fact]
    public async Task Garbage_writes_a_malformed_frame_between_frames()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();

        sim.Server.SendGarbage();
        await client.SendAsync("exit\n\n");
        var rest = Encoding.UTF8.GetString(await client.ReadToCloseAsync());

        Assert.StartsWith("garbage-without-colon\nContent-Length: -7\n\nContent-Type: command/reply\nReply-Text: +OK bye\n\n", rest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listener_that_does_not_read_is_killed_for_lost_events()
    {
        await using var sim = EslHarness.Start(o =>
        {
            o.EventQueueCapacity = 5;
            o.MaxMissedEvents = 3;
        });
        await using var client = await sim.ClientAsync();
        await client.CommandAsync("event plain CUSTOM big::event");
        var big = new string('x', 256 * 1024);

        // Nobody reads: the socket buffers fill, then the queue, then enqueues fail.
        for (var i = 0; i < 400 && sim.Server.ConnectionCount > 0; i++)
        {
            var e = sim.Core.NewEvent("CUSTOM", "big::event", "test.c", "t", 1);
            e.Body = big;
            sim.Core.Fire(e);
        }

        var all = Encoding.UTF8.GetString(await client.ReadToCloseAsync());
        Assert.EndsWith("Content-Type: text/disconnect-notice\nContent-Length: 39\n\nkilled listener because of lost events\n", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_sends_the_system_is_being_shut_down_after_queued_events()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();
        await client.CommandAsync("event plain SHUTDOWN");

        sim.Core.Fire(sim.Core.NewEvent("SHUTDOWN", null, "switch_core.c", "switch_core_destroy", 3023).Add("Event-Info", "System Shutting Down"));
        sim.Server.ShutdownConnections();

        Assert.Equal("text/event-plain", (await client.ReadFrameAsync()).ContentType);
        var captured = Captures.Frames(Captures.Bytes("shutdown.server.raw"))[^1].Text;
        Assert.Equal(captured, Encoding.UTF8.GetString(await client.ReadToCloseAsync()));
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
