using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FreeSwitchSim.Tests.Esl;

/// <summary>The <c>socket</c> application's side, checked against outbound-socket.server.raw.</summary>
public sealed class OutboundSocketTests
{
    private const string Uuid = "e3c5cd14-0484-447b-b617-e9a1be9317de";
    private const string ChannelName = "sofia/external/alice@127.0.0.1:5070";

    private static async Task<(EslTestClient Client, Task Session)> DialAsync(EslHarness sim, bool async, bool full)
    {
        var app = new TcpListener(IPAddress.Loopback, 0);
        app.Start();
        try
        {
            var port = ((IPEndPoint)app.LocalEndpoint).Port;
            var session = sim.Server.RunOutboundAsync(Uuid, "127.0.0.1", port, async, full, CancellationToken.None);
            using var cts = new CancellationTokenSource(EslTestClient.Timeout);
            var socket = await app.AcceptSocketAsync(cts.Token);
            return (EslTestClient.Wrap(socket), session);
        }
        finally
        {
            app.Stop();
        }
    }

    private static EslHarness StartWithChannel()
    {
        var sim = EslHarness.Start();
        sim.Core.AddChannel(Uuid, ChannelName, ("room_id", "o1"), ("socket_host", "127.0.0.1"));
        return sim;
    }

    [Fact]
    public async Task Connect_reply_is_channel_data_envelope_shaped_like_capture()
    {
        await using var sim = StartWithChannel();
        var (client, _) = await DialAsync(sim, async: true, full: true);
        await using var _c = client;

        await client.SendAsync("connect\n\n");
        var reply = await client.ReadFrameAsync();

        var captured = Captures.Frames(Captures.Bytes("outbound-socket.server.raw"))[0];
        Assert.Equal("Event-Name", reply.Headers[0].Key);
        Assert.Equal("CHANNEL_DATA", reply["Event-Name"]);
        Assert.Null(reply["Content-Length"]);
        Assert.Equal(captured.Headers.TakeLast(4), reply.Headers.TakeLast(4));
        foreach (var name in new[] { "Event-Calling-File", "Event-Calling-Function", "Event-Calling-Line-Number", "FreeSWITCH-IPv6", "Channel-Name", "Unique-ID", "variable_room_id", "variable_socket_host" })
        {
            Assert.Equal(captured[name], reply[name]);
        }
    }

    [Fact]
    public async Task Outbound_session_replays_capture_replies_then_lingers_after_hangup()
    {
        await using var sim = StartWithChannel();
        var (client, session) = await DialAsync(sim, async: true, full: true);
        await using var _c = client;
        var expected = Captures.Frames(Captures.Bytes("outbound-socket.server.raw"));
        var expectedReplies = expected.Skip(1).Where(f => f.ContentType == "command/reply").Select(f => f.Text).ToList();
        var writes = Captures.ClientWrites("outbound-socket");

        await client.SendAsync(writes[0]);
        await client.ReadFrameAsync();
        var actual = new List<string>();
        foreach (var write in writes.Skip(1).SkipLast(1))
        {
            await client.SendAsync(write);
            actual.Add((await client.ReadReplyAsync()).Text);
        }
        Assert.Equal(expectedReplies.SkipLast(1), actual);
        var messages = sim.Core.Messages.ToList();
        Assert.Equal(4, messages.Count);
        Assert.Equal("x_note=long value with spaces, commas | pipes", messages[2].Body);
        Assert.Contains(new KeyValuePair<string, string>("execute-app-arg", "tone_stream://%(300,200,440);loops=2"), messages[1].Headers);

        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_HANGUP", Uuid, ("Channel-State", "CS_EXECUTE")));
        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_STATE", Uuid, ("Channel-State", "CS_HANGUP")));
        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_STATE", Uuid, ("Channel-State", "CS_REPORTING")));
        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_HANGUP_COMPLETE", Uuid, ("Channel-State", "CS_REPORTING")));
        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_ANSWER", "some-other-leg"));

        var frames = new List<WireFrame>();
        for (var i = 0; i < 5; i++)
        {
            frames.Add(await client.ReadFrameAsync());
        }
        Assert.Equal(["text/event-plain", "text/event-plain", "text/event-plain", "text/disconnect-notice", "text/event-plain"], frames.Select(f => f.ContentType));
        Assert.Equal(expected.Single(f => f["Content-Disposition"] == "linger").Text, frames[3].Text);

        await client.SendAsync(writes[^1]);
        Assert.Equal(expectedReplies[^1], (await client.ReadReplyAsync()).Text);
        Assert.Equal(expected[^1].Text, Encoding.UTF8.GetString(await client.ReadToCloseAsync()));
        await session.WaitAsync(EslTestClient.Timeout);
    }

    [Fact]
    public async Task Without_linger_the_socket_closes_when_the_channel_goes_down()
    {
        await using var sim = StartWithChannel();
        var (client, session) = await DialAsync(sim, async: true, full: true);
        await using var _c = client;
        await client.SendAsync("connect\n\n");
        await client.ReadFrameAsync();
        await client.CommandAsync("myevents");

        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_HANGUP", Uuid));
        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_HANGUP_COMPLETE", Uuid));

        Assert.Equal("CHANNEL_HANGUP", Captures.DecodePlainEvent((await client.ReadFrameAsync()).Body)!.Get("Event-Name"));
        var rest = Encoding.UTF8.GetString(await client.ReadToCloseAsync());
        Assert.Equal($"Content-Type: text/disconnect-notice\nControlled-Session-UUID: {Uuid}\nContent-Disposition: disconnect\nContent-Length: 67\n\n{Encoding.UTF8.GetString(Captures.Bytes("auth-fail.server.raw")).Split("\n\n", 4)[3]}", rest);
        await session.WaitAsync(EslTestClient.Timeout);
    }

    [Fact]
    public async Task Linger_with_seconds_ends_with_goodbye_after_linger_time()
    {
        await using var sim = StartWithChannel();
        var (client, session) = await DialAsync(sim, async: true, full: true);
        await using var _c = client;
        await client.SendAsync("connect\n\n");
        await client.ReadFrameAsync();
        Assert.Equal("+OK will linger 1 seconds", (await client.CommandAsync("linger 1"))["Reply-Text"]);

        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_HANGUP_COMPLETE", Uuid));

        var notice = await client.ReadFrameAsync();
        Assert.Equal("1", notice["Linger-Time"]);
        Assert.Equal(ChannelName, notice["Channel-Name"]);
        var rest = Encoding.UTF8.GetString(await client.ReadToCloseAsync());
        Assert.StartsWith($"Content-Type: text/disconnect-notice\nControlled-Session-UUID: {Uuid}\nContent-Disposition: disconnect\n", rest, StringComparison.Ordinal);
        await session.WaitAsync(EslTestClient.Timeout);
    }

    [Fact]
    public async Task Single_channel_static_socket_allows_only_the_outbound_subset()
    {
        await using var sim = StartWithChannel();
        var (client, _) = await DialAsync(sim, async: false, full: false);
        await using var _c = client;

        await client.SendAsync("connect\n\n");
        var connect = await client.ReadFrameAsync();
        Assert.Equal("static", connect["Socket-Mode"]);
        Assert.Equal("single-channel", connect["Control"]);

        foreach (var cmd in new[] { "api status", "bgapi status", "event plain ALL", "linger", "nolinger", "log 7", "sendevent CUSTOM", "auth ClueCon" })
        {
            Assert.Equal("-ERR command not found", (await client.CommandAsync(cmd))["Reply-Text"]);
        }
        Assert.Equal("+OK Events Enabled", (await client.CommandAsync("myevents"))["Reply-Text"]);
        Assert.Equal("o1", (await client.CommandAsync("getvar room_id"))["Reply-Text"]);
        Assert.Equal("+OK events diverted", (await client.CommandAsync("divert_events on"))["Reply-Text"]);
        Assert.Equal("+OK events not diverted", (await client.CommandAsync("divert_events off"))["Reply-Text"]);
        Assert.Equal("+OK filter added. [Unique-ID]=[x]", (await client.CommandAsync("filter Unique-ID x"))["Reply-Text"]);
        Assert.Equal("+OK", (await client.CommandAsync("resume"))["Reply-Text"]);
        Assert.Equal("true", sim.Core.VariablesSet[$"{Uuid}/socket_resume"]);
        Assert.Equal("+OK", (await client.CommandAsync("sendmsg\ncall-command: hangup\nhangup-cause: NORMAL_CLEARING"))["Reply-Text"]);
        Assert.Equal(Uuid, sim.Core.Messages.Single().Uuid);
    }

    [Fact]
    public async Task First_command_reply_is_not_written_unless_it_is_connect()
    {
        await using var sim = StartWithChannel();
        var (client, _) = await DialAsync(sim, async: true, full: true);
        await using var _c = client;

        // listener_run parses the first packet of an outbound socket without writing its reply.
        await client.SendAsync("myevents\n\n");
        var getvar = await client.CommandAsync("getvar room_id");

        Assert.Equal("o1", getvar["Reply-Text"]);
    }
}
