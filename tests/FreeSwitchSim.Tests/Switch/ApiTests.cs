using FreeSwitchSim.Tests.Support;

namespace FreeSwitchSim.Tests.Switch;

/// <summary>API answers, byte for byte where the commands capture shows them.</summary>
public sealed class ApiTests
{
    private const string Nobody = "00000000-0000-0000-0000-000000000000";

    [Fact]
    public void Commands_without_channels_answer_as_the_commands_capture()
    {
        using var h = new SwitchHarness();
        var captured = CaptureStream.ApiResponses("commands");
        Assert.Equal(captured[1], h.Api("show", "channels as json"));
        Assert.Equal(captured[2], h.Api("nosuchcommand"));
        Assert.Equal(captured[3], h.Api("uuid_dump", Nobody));
        Assert.Equal(captured[4], h.Api("uuid_exists", Nobody));
        Assert.Equal(captured[5], h.Api("uuid_getvar", $"{Nobody} room_id"));
        Assert.Equal(captured[6], h.Api("eval", "${hostname}"));
        Assert.Equal(captured[7], h.Api("reloadxml"));
    }

    [Fact]
    public void Status_has_the_captured_lines()
    {
        using var h = new SwitchHarness();
        h.Advance(5477);
        var ours = h.Api("status").Split('\n');
        var theirs = CaptureStream.ApiResponses("commands")[0].Split('\n');
        Assert.Equal(theirs.Length, ours.Length);
        Assert.Equal("UP 0 years, 0 days, 0 hours, 0 minutes, 5 seconds, 477 milliseconds, 0 microseconds", ours[0]);
        Assert.Equal(theirs[1..5], ours[1..5]);
    }

    [Fact]
    public void Api_commands_fire_an_api_event_and_unknown_uuids_are_refused()
    {
        using var h = new SwitchHarness();
        Assert.Equal("-ERR No such channel!\n", h.Api("uuid_kill", Nobody));
        Assert.Equal("-ERR invalid session id [" + Nobody + "]", h.Switch.SendMessage(Nobody, [new("call-command", "execute")], null));
        var api = h.Events.First(e => e.Name == "API");
        Assert.Equal("uuid_kill", api.Get("API-Command"));
        Assert.Equal(Nobody, api.Get("API-Command-Argument"));
        var capturedApi = CaptureStream.Events("app-to-app").First(e => e.Name == "API");
        CaptureCompare.SameShape(capturedApi, api, "API event");
    }

    [Fact]
    public async Task Uuid_setvar_multi_sets_each_pair_with_mod_commands_replies()
    {
        using var h = new SwitchHarness();
        Assert.True(await h.Switch.LoginAsync("1000", "1234", CancellationToken.None));
        var a = h.Switch.PlaceCall("1000", "room-m1");
        const string usage = "-USAGE: <uuid> <var>=<value>;<var>=<value>...\n";

        Assert.Equal("+OK\n", h.Api("uuid_setvar_multi", $"{a} x_call_id=c-1;x_room_id=m1;x_leg_role=caller"));
        var vars = h.Switch.Channel(a)!.Variables;
        Assert.Equal(("c-1", "m1", "caller"), (vars["x_call_id"], vars["x_room_id"], vars["x_leg_role"]));
        var api = h.Events.Last(e => e.Name == "API");
        Assert.Equal(("uuid_setvar_multi", $"{a} x_call_id=c-1;x_room_id=m1;x_leg_role=caller"), (api.Get("API-Command"), api.Get("API-Command-Argument")));

        // A part without '=' unsets; an empty name is reported but the others still apply; quotes keep a ';'.
        Assert.Equal("-ERR No variable specified\n+OK\n", h.Api("uuid_setvar_multi", $"{a} x_room_id;=orphan;x_note='a;b' ;x_esc=1\\;2"));
        vars = h.Switch.Channel(a)!.Variables;
        Assert.False(vars.ContainsKey("x_room_id"));
        Assert.Equal(("a;b", "1;2"), (vars["x_note"], vars["x_esc"]));

        Assert.Equal("-ERR No variable specified\n" + usage, h.Api("uuid_setvar_multi", $"{a} =1"));
        Assert.Equal("-ERR No such channel!\n" + usage, h.Api("uuid_setvar_multi", $"{Nobody} x_call_id=c-1"));
        Assert.Equal(usage, h.Api("uuid_setvar_multi", a));
        Assert.Equal(usage, h.Api("uuid_setvar_multi"));
    }

    [Theory]
    [InlineData("a=1;b=2", ';', new[] { "a=1", "b=2" })]
    [InlineData(" a=1 ; b=2;", ';', new[] { "a=1", "b=2" })]
    [InlineData("a=1;;b", ';', new[] { "a=1", "", "b" })]
    [InlineData("a='x;y';b", ';', new[] { "a=x;y", "b" })]
    [InlineData("a=it's", ';', new[] { "a=it's" })]
    [InlineData("a=x\\;y;b=\\s", ';', new[] { "a=x;y", "b= " })]
    [InlineData("^^:a=1;x:b=2", ';', new[] { "a=1;x", "b=2" })]
    public void Separate_string_splits_like_switch_separate_string(string input, char delimiter, string[] expected) =>
        Assert.Equal(expected, FreeSwitchSim.Switch.ApiCommands.SeparateString(input, delimiter, 64));

    [Fact]
    public void Separate_string_leaves_the_rest_of_the_line_in_the_last_allowed_part() =>
        Assert.Equal(["a", "b;c;d"], FreeSwitchSim.Switch.ApiCommands.SeparateString("a;b;c;d", ';', 2));

    [Fact]
    public async Task Originate_to_unknown_gateway_and_unexpanded_contact_fail_without_a_leg()
    {
        using var h = new SwitchHarness();
        Assert.Equal("-ERR INVALID_GATEWAY\n", await h.Switch.ExecuteApiAsync("originate", "sofia/gateway/nosuch/+1555 &park()", CancellationToken.None));
        Assert.Equal("-ERR CHAN_NOT_IMPLEMENTED\n", await h.Switch.ExecuteApiAsync("originate", "${verto_contact(1001@127.0.0.1)} &park()", CancellationToken.None));
        Assert.DoesNotContain(h.Events, e => e.Name == "CHANNEL_CREATE");
    }

    [Theory]
    [InlineData("carrier_decline", 1500, "-ERR CALL_REJECTED\n")]
    [InlineData("carrier_notfound", 500, "-ERR UNALLOCATED_NUMBER\n")]
    [InlineData("carrier_down", 500, "-ERR NORMAL_TEMPORARY_FAILURE\n")]
    [InlineData("carrier_noanswer", 6000, "-ERR NO_ANSWER\n")]
    public async Task Originate_failures_answer_with_the_cause(string gateway, int wait, string expected)
    {
        using var h = new SwitchHarness();
        var result = h.Switch.ExecuteApiAsync("originate", $"{{originate_timeout=5}}sofia/gateway/{gateway}/+15552220001 &park()", CancellationToken.None);
        h.Advance(wait);
        Assert.Equal(expected, await result.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(h.Switch.Channels());
    }

    [Fact]
    public async Task Gateway_rules_pick_the_longest_matching_prefix()
    {
        using var h = new SwitchHarness();
        h.Switch.SetGatewayRules("carrier", [new("+1555", "busy"), new("+155522", "answer", 200)]);
        var answered = h.Switch.ExecuteApiAsync("originate", "sofia/gateway/carrier/+15552220001 &park()", CancellationToken.None);
        var busy = h.Switch.ExecuteApiAsync("originate", "sofia/gateway/carrier/+15553330001 &park()", CancellationToken.None);
        h.Advance(500);
        Assert.StartsWith("+OK ", await answered.WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
        Assert.Equal("-ERR USER_BUSY\n", await busy.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
