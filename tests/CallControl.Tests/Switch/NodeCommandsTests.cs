using CallControl.Esl.Connection;
using CallControl.Switch;

namespace CallControl.Tests.Switch;

/// <summary>Commands are built only from validated values: anything else is refused before a byte is sent.</summary>
public sealed class NodeCommandsTests
{
    private const string Leg = "3077311f-781b-4220-998b-3fb97cc2646c";

    [Theory]
    [InlineData("")]
    [InlineData("not-a-uuid")]
    [InlineData("3077311f-781b-4220-998b-3fb97cc2646c\nuuid_kill x")]
    [InlineData("3077311f-781b-4220-998b-3fb97cc2646c 61d34001-2f0c-4002-9cf5-0a7c8243e39c")]
    [InlineData("{3077311f-781b-4220-998b-3fb97cc2646c}")]
    public async Task Commands_refuse_anything_but_a_uuid_for_a_channel(string uuid)
    {
        await using var client = NotConnected();
        var commands = new NodeCommands("n1", client);

        await Assert.ThrowsAsync<ArgumentException>(() => commands.UuidAnswerAsync(uuid));
        await Assert.ThrowsAsync<ArgumentException>(() => commands.UuidKillAsync(uuid));
        await Assert.ThrowsAsync<ArgumentException>(() => commands.HangupAsync(uuid));
        await Assert.ThrowsAsync<ArgumentException>(() => commands.UuidBridgeAsync(Leg, uuid));
        await Assert.ThrowsAsync<ArgumentException>(() => commands.SendMsgExecuteAsync(uuid, "park"));
    }

    [Theory]
    [InlineData("normal_clearing")]
    [InlineData("NORMAL CLEARING")]
    [InlineData("USER_BUSY\n")]
    [InlineData("")]
    public async Task Commands_refuse_a_cause_that_is_not_a_cause_name(string cause)
    {
        await using var client = NotConnected();
        var commands = new NodeCommands("n1", client);

        await Assert.ThrowsAsync<ArgumentException>(() => commands.HangupAsync(Leg, cause));
        await Assert.ThrowsAsync<ArgumentException>(() => commands.UuidKillAsync(Leg, cause));
    }

    [Theory]
    [InlineData("x_call_id", " leading")]
    [InlineData("x_call_id", "two\nlines")]
    [InlineData("x_call_id", "")]
    [InlineData("x call", "v")]
    [InlineData("x;call", "v")]
    public async Task Setvar_refuses_bad_names_and_values(string name, string value)
    {
        await using var client = NotConnected();
        var commands = new NodeCommands("n1", client);

        await Assert.ThrowsAsync<ArgumentException>(() => commands.UuidSetVarAsync(Leg, name, value));
    }

    [Theory]
    [InlineData("uuid_kill x")]
    [InlineData("status\nexit")]
    [InlineData("")]
    public async Task Api_refuses_a_command_that_is_not_one_word(string command)
    {
        await using var client = NotConnected();
        var commands = new NodeCommands("n1", client);

        await Assert.ThrowsAsync<ArgumentException>(() => commands.ApiAsync(command));
        await Assert.ThrowsAsync<ArgumentException>(() => commands.BgApiAsync(command));
    }

    [Fact]
    public async Task Valid_command_on_a_disconnected_node_fails_as_a_connection_error()
    {
        await using var client = NotConnected();
        var commands = new NodeCommands("n1", client);

        await Assert.ThrowsAsync<EslConnectionException>(() => commands.UuidAnswerAsync(Leg));
    }

    private static EslClient NotConnected() => new(new EslConnectionOptions { Host = "127.0.0.1", Port = 1, Password = "ClueCon" });
}
