using System.Collections.Concurrent;
using CallControl.Esl.Connection;
using CallControl.Switch;
using FreeSwitchSim;

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
    [InlineData("park")]
    [InlineData("playback")]
    [InlineData("bridge;park")]
    public async Task Sendmsg_execute_refuses_an_application_whose_completion_the_filters_drop(string application)
    {
        await using var client = NotConnected();
        var commands = new NodeCommands("n1", client);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => commands.SendMsgExecuteAsync(Leg, application));
        Assert.Equal("application", refused.ParamName);
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
    [InlineData("x_call_id", "a;x_leg_role=caller")]
    [InlineData("x_call_id", "a=b")]
    [InlineData("x_call_id", "'quoted'")]
    [InlineData("x_call_id", "back\\slash")]
    [InlineData("x_call_id", "\"dq\"")]
    [InlineData("x_call_id", " leading")]
    [InlineData("x_call_id", "")]
    [InlineData("x=call", "v")]
    [InlineData("x;call", "v")]
    [InlineData("", "v")]
    public async Task Setvar_multi_refuses_names_and_values_its_list_syntax_would_read(string name, string value)
    {
        await using var client = NotConnected();
        var commands = new NodeCommands("n1", client);

        await Assert.ThrowsAsync<ArgumentException>(() => commands.UuidSetVarsAsync(Leg, [new("x_room_id", "r1"), new(name, value)]));
        // The same pair without the bad one passes validation and reaches the (closed) connection.
        await Assert.ThrowsAsync<EslConnectionException>(() => commands.UuidSetVarsAsync(Leg, [new("x_room_id", "r1")]));
    }

    [Fact]
    public async Task Setvar_multi_refuses_an_empty_list_and_more_than_64_variables()
    {
        await using var client = NotConnected();
        var commands = new NodeCommands("n1", client);

        await Assert.ThrowsAsync<ArgumentException>(() => commands.UuidSetVarsAsync(Leg, []));
        await Assert.ThrowsAsync<ArgumentException>(() => commands.UuidSetVarsAsync(
            Leg, [.. Enumerable.Range(0, 65).Select(i => new KeyValuePair<string, string>($"v{i}", "1"))]));
        await Assert.ThrowsAsync<ArgumentException>(() => commands.UuidSetVarsAsync("not-a-uuid", [new("x_room_id", "r1")]));
    }

    [Fact]
    public async Task Setvar_multi_sets_every_variable_in_one_api_command()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions());
        var api = new ConcurrentQueue<string>();
        sim.Switch.EventFired += e =>
        {
            if (e.Name == "API")
            {
                api.Enqueue($"{e.Get("API-Command")} {e.Get("API-Command-Argument")}");
            }
        };
        Assert.True(await sim.Switch.LoginAsync("1000", "1234", CancellationToken.None));
        var leg = sim.Switch.PlaceCall("1000", "room-0123456789abcdef");
        await using var client = new EslClient(new EslConnectionOptions { Host = "127.0.0.1", Port = sim.EslPort, Password = "ClueCon" });
        await client.StartAsync();
        await client.WaitForConnectionAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var commands = new NodeCommands("n1", client);
        const string callId = "c0ffee00-0000-4000-8000-000000000001";

        var set = await commands.UuidSetVarsAsync(leg, [new("x_call_id", callId), new("x_room_id", "0123456789abcdef"), new("x_leg_role", "caller")]);
        var gone = await commands.UuidSetVarsAsync(Leg, [new("x_leg_role", "caller")]);

        Assert.True(set.Ok, set.Text);
        Assert.Equal("+OK\n", set.Text);
        var vars = sim.Switch.Channel(leg)!.Variables;
        Assert.Equal((callId, "0123456789abcdef", "caller"), (vars["x_call_id"], vars["x_room_id"], vars["x_leg_role"]));
        Assert.Equal([$"uuid_setvar_multi {leg} x_call_id={callId};x_room_id=0123456789abcdef;x_leg_role=caller", $"uuid_setvar_multi {Leg} x_leg_role=caller"], api);
        Assert.False(gone.Ok);
        Assert.StartsWith("-ERR No such channel!\n-USAGE:", gone.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v0123456789abcdef@127.0.0.1", "mod_verto", "v0123456789abcdef")]
    [InlineData("1000", "mod_verto", "1000")]
    [InlineData("v0123456789abcdef@127.0.0.1", "mod_sofia", null)]
    [InlineData("v0123456789abcdef@127.0.0.1", null, null)]
    [InlineData("@127.0.0.1", "mod_verto", null)]
    [InlineData("", "mod_verto", null)]
    [InlineData(null, "mod_verto", null)]
    public void A_legs_login_is_the_user_part_of_a_verto_caller_profile(string? username, string? source, string? login) =>
        Assert.Equal(login, VertoLegIdentity.Login(username, source));

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
