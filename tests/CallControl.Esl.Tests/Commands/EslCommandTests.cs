using System.Text;
using CallControl.Esl.Commands;

namespace CallControl.Esl.Tests.Commands;

public sealed class EslCommandTests
{
    public static TheoryData<string> Injections => new() { "x\nexit", "x\r\nexit", "x\rexit", "x\0y", "\n" };

    [Theory]
    [MemberData(nameof(Injections))]
    public void Api_argument_with_cr_lf_or_nul_is_rejected(string args)
    {
        var error = Assert.Throws<ArgumentException>(() => EslCommands.Api("uuid_kill", args));

        Assert.Contains("must not contain CR, LF or NUL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Injections))]
    public void Header_value_with_cr_lf_or_nul_is_rejected(string value)
    {
        Assert.Throws<ArgumentException>(() => EslCommands.SendEvent("CUSTOM", [new("X-Note", value)]));
        Assert.Throws<ArgumentException>(() => EslSendMsg.Hangup("abc", value));
        Assert.Throws<ArgumentException>(() => EslCommands.Filter("Unique-ID", value));
    }

    [Theory]
    [InlineData("uuid kill")]
    [InlineData("uuid\tkill")]
    [InlineData("")]
    public void Command_word_with_whitespace_or_empty_is_rejected(string word)
    {
        Assert.ThrowsAny<ArgumentException>(() => EslCommands.Api(word));
    }

    [Fact]
    public void Header_name_with_colon_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => EslCommand.Create("sendevent", "CUSTOM").WithHeader("X:Y", "v"));
    }

    [Fact]
    public void Sendmsg_execute_long_argument_containing_newline_is_rejected()
    {
        var args = new string('a', 2000) + "\nexit";

        Assert.Throws<ArgumentException>(() => EslSendMsg.Execute(null, "set", args));
    }

    [Fact]
    public void Sendmsg_execute_serialises_as_captured()
    {
        var eventUuid = Guid.Parse("ebe6e845-09e1-4202-b671-afbbdadd68d9");

        var bytes = EslSendMsg.Execute(null, "playback", "tone_stream://%(300,200,440);loops=2", eventUuid, eventLock: true).ToBytes();

        // outbound-socket.client.raw, second sendmsg.
        Assert.Equal(
            "sendmsg\ncall-command: execute\nexecute-app-name: playback\nexecute-app-arg: tone_stream://%(300,200,440);loops=2\nevent-lock: true\nevent-uuid: ebe6e845-09e1-4202-b671-afbbdadd68d9\n\n",
            Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Sendmsg_execute_long_argument_travels_in_a_byte_counted_body()
    {
        var args = "x_note=" + new string('é', 600);

        var text = Encoding.UTF8.GetString(EslSendMsg.Execute("u1", "set", args).ToBytes());

        Assert.DoesNotContain("execute-app-arg", text, StringComparison.Ordinal);
        Assert.Contains($"Content-Type: text/plain\nContent-Length: {Encoding.UTF8.GetByteCount(args)}\n\n{args}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Sendevent_with_body_counts_bytes_as_captured()
    {
        var command = EslCommands.SendEvent("CUSTOM", [new("Event-Subclass", "callcontrol::body")], "line one\nline two with café\n");

        // commands.client.raw: Content-Length 29 for 28 characters (é is two bytes).
        Assert.Equal(
            "sendevent CUSTOM\nEvent-Subclass: callcontrol::body\nContent-Type: text/plain\nContent-Length: 29\n\nline one\nline two with café\n",
            Encoding.UTF8.GetString(command.ToBytes()));
    }

    [Fact]
    public void Bgapi_carries_our_job_uuid_header()
    {
        var job = Guid.Parse("7f4db78a-5f1c-4a1e-9a59-1c6a3c0b8e11");

        Assert.Equal("bgapi status\nJob-UUID: 7f4db78a-5f1c-4a1e-9a59-1c6a3c0b8e11\n\n", Encoding.UTF8.GetString(EslCommands.BgApi("status", null, job).ToBytes()));
    }

    [Fact]
    public void Event_filter_linger_and_hangup_lines_match_mod_event_socket_syntax()
    {
        Assert.Equal("event plain CHANNEL_CREATE CUSTOM verto::login", EslCommands.Event(EslEventEncoding.Plain, ["CHANNEL_CREATE", "CUSTOM", "verto::login"]).Line);
        Assert.Equal("event json HEARTBEAT", EslCommands.Event(EslEventEncoding.Json, ["HEARTBEAT"]).Line);
        Assert.Equal("filter Unique-ID /^abc/", EslCommands.Filter("Unique-ID", "/^abc/").Line);
        Assert.Equal("filter delete Event-Name CHANNEL_CREATE", EslCommands.FilterDelete("Event-Name", "CHANNEL_CREATE").Line);
        Assert.Equal("filter delete all", EslCommands.FilterDeleteAll().Line);
        Assert.Equal("linger", EslCommands.Linger().Line);
        Assert.Equal("linger 5", EslCommands.Linger(5).Line);
        Assert.Equal("sendmsg\ncall-command: hangup\nhangup-cause: NORMAL_CLEARING\n\n", Encoding.UTF8.GetString(EslSendMsg.Hangup(null).ToBytes()));
    }

    [Fact]
    public void Userauth_rejects_separators_in_user()
    {
        Assert.Equal("userauth ops@example.org:pw", EslCommands.UserAuth("ops", "example.org", "pw").Line);
        Assert.Throws<ArgumentException>(() => EslCommands.UserAuth("ops@evil", "example.org", "pw"));
    }
}
