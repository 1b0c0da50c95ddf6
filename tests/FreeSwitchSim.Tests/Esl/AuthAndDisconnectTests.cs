using System.Text;

namespace FreeSwitchSim.Tests.Esl;

public sealed class AuthAndDisconnectTests
{
    [Fact]
    public async Task Auth_wrong_password_is_byte_exact_with_capture_then_closes()
    {
        await using var sim = EslHarness.Start();
        await using var client = await EslTestClient.ConnectAsync(sim.Port);
        var received = new List<byte>();
        received.AddRange((await client.ReadFrameAsync()).Raw);
        await client.SendAsync(Captures.Bytes("auth-fail.client.raw"));
        received.AddRange(await client.ReadToCloseAsync());

        Assert.Equal(Encoding.UTF8.GetString(Captures.Bytes("auth-fail.server.raw")), Encoding.UTF8.GetString([.. received]));
    }

    [Fact]
    public async Task Commands_before_auth_get_command_not_found_and_connection_stays_open()
    {
        await using var sim = EslHarness.Start();
        await using var client = await EslTestClient.ConnectAsync(sim.Port);
        await client.ReadFrameAsync();

        Assert.Equal("-ERR command not found", (await client.CommandAsync("api status"))["Reply-Text"]);
        Assert.Equal("-ERR command not found", (await client.CommandAsync("event plain ALL"))["Reply-Text"]);
        Assert.Equal("+OK accepted", (await client.CommandAsync("auth ClueCon"))["Reply-Text"]);
        Assert.Equal("api/response", (await client.CommandAsync("api status")).ContentType);
    }

    [Fact]
    public async Task Userauth_accepts_configured_user_and_lists_grants()
    {
        await using var sim = EslHarness.Start(o => o.UserAuth["ops@example.org"] = "s3cret");
        await using var client = await EslTestClient.ConnectAsync(sim.Port);
        await client.ReadFrameAsync();

        var ok = await client.CommandAsync("userauth ops@example.org:s3cret");

        Assert.Equal("Content-Type: command/reply\nReply-Text: +OK accepted\nAllowed-Events: all\nAllowed-API: all\nAllowed-LOG: true\n\n", ok.Text);
    }

    [Fact]
    public async Task Userauth_wrong_password_is_invalid_then_goodbye()
    {
        await using var sim = EslHarness.Start(o => o.UserAuth["ops@example.org"] = "s3cret");
        await using var client = await EslTestClient.ConnectAsync(sim.Port);
        await client.ReadFrameAsync();

        Assert.Equal("-ERR invalid", (await client.CommandAsync("userauth ops@example.org:nope"))["Reply-Text"]);
        Assert.Equal("Content-Type: text/disconnect-notice\nContent-Length: 67\n\nDisconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n",
            Encoding.UTF8.GetString(await client.ReadToCloseAsync()));
    }

    [Fact]
    public async Task Exit_replies_bye_then_goodbye_notice_then_closes()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();

        var bye = await client.CommandAsync("exit");
        var rest = Encoding.UTF8.GetString(await client.ReadToCloseAsync());

        Assert.Equal("Content-Type: command/reply\nReply-Text: +OK bye\n\n", bye.Text);
        var captured = Captures.Frames(Captures.Bytes("commands.server.raw"))[^1].Text;
        Assert.Equal(captured, rest);
    }

    [Fact]
    public async Task Client_closing_its_side_still_gets_the_goodbye_notice()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();
        await client.CommandAsync("event plain CHANNEL_EXECUTE_COMPLETE");

        await client.ShutdownSendAsync();

        Assert.Equal("Content-Type: text/disconnect-notice\nContent-Length: 67\n\nDisconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n",
            Encoding.UTF8.GetString(await client.ReadToCloseAsync()));
    }

    [Fact]
    public async Task Api_response_content_length_counts_utf8_bytes()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();

        var reply = await client.CommandAsync("api echo café ☎");

        Assert.Equal("café ☎", reply.BodyText);
        Assert.Equal(Encoding.UTF8.GetByteCount("café ☎").ToString(System.Globalization.CultureInfo.InvariantCulture), reply["Content-Length"]);
    }

    [Fact]
    public async Task Api_with_empty_output_answers_no_reply()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();

        Assert.Equal("-ERR no reply\n", (await client.CommandAsync("api silent")).BodyText);
    }

    [Fact]
    public async Task Unknown_and_session_only_commands_are_command_not_found_inbound()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();

        foreach (var cmd in new[] { "nosuchcommand", "getvar room_id", "resume", "myevents", "connect" })
        {
            Assert.Equal("-ERR command not found", (await client.CommandAsync(cmd))["Reply-Text"]);
        }
        Assert.Equal("-ERR not controlling a session.", (await client.CommandAsync("divert_events on"))["Reply-Text"]);
        Assert.Equal("-ERR not controlling a session", (await client.CommandAsync("linger 5"))["Reply-Text"]);
        Assert.Equal("-ERR no keywords supplied", (await client.CommandAsync("event plain"))["Reply-Text"]);
        Assert.Equal("-ERR not listening for events", (await client.CommandAsync("noevents"))["Reply-Text"]);
        Assert.Equal("-ERR invalid syntax", (await client.CommandAsync("filter Event-Name"))["Reply-Text"]);
        Assert.Equal("+OK log level  [7]", (await client.CommandAsync("log"))["Reply-Text"]);
        Assert.Equal("+OK log level debug [7]", (await client.CommandAsync("log debug"))["Reply-Text"]);
        Assert.Equal("+OK log level 100 [63]", (await client.CommandAsync("log 100"))["Reply-Text"]);
    }
}
