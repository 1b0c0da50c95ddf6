using CallControl.Switch;
using FreeSwitchSim;

namespace CallControl.Tests.Cluster;

/// <summary>Reading a node's channels for reconcile, from the replies the simulator (held to FreeSWITCH) gives.</summary>
public sealed class NodeChannelsTests
{
    [Fact]
    public async Task Show_channels_and_uuid_dump_give_the_legs_with_their_tags_and_answer_state()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions());
        Assert.Empty(NodeChannels.ParseUuids(await sim.Switch.ExecuteApiAsync("show", "channels as json", CancellationToken.None)));

        Assert.True(await sim.Switch.LoginAsync("1000", "1234", CancellationToken.None));
        var leg = sim.Switch.PlaceCall("1000", "room-0123456789abcdef");
        await sim.Switch.ExecuteApiAsync("uuid_setvar", $"{leg} x_call_id c0ffee00-0000-4000-8000-000000000001", CancellationToken.None);
        await sim.Switch.ExecuteApiAsync("uuid_setvar", $"{leg} x_leg_role caller", CancellationToken.None);

        var uuids = NodeChannels.ParseUuids(await sim.Switch.ExecuteApiAsync("show", "channels as json", CancellationToken.None));
        Assert.Equal([leg], uuids);
        var parked = NodeChannels.ParseDump(leg, await sim.Switch.ExecuteApiAsync("uuid_dump", leg + " json", CancellationToken.None))!;
        Assert.Equal("c0ffee00-0000-4000-8000-000000000001", parked.CallId);
        Assert.Equal("caller", parked.Role);
        Assert.Equal("0123456789abcdef", parked.DialplanRoomId);
        Assert.Equal("1000", parked.Login);
        Assert.False(parked.Answered);

        await sim.Switch.ExecuteApiAsync("uuid_answer", leg, CancellationToken.None);
        var answered = NodeChannels.ParseDump(leg, await sim.Switch.ExecuteApiAsync("uuid_dump", leg + " json", CancellationToken.None))!;
        Assert.True(answered.Answered);
    }

    [Fact]
    public async Task The_login_of_a_dumped_leg_comes_from_its_caller_profile_not_from_browser_set_variables()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions());
        var forged = new Dictionary<string, string> { ["user_name"] = "1001", ["verto_user"] = "1001@127.0.0.1" };
        Assert.True(await sim.Switch.LoginAsync("1000", "1234", forged, CancellationToken.None));
        var leg = sim.Switch.PlaceCall("1000", "room-0123456789abcdef");

        var parked = NodeChannels.ParseDump(leg, await sim.Switch.ExecuteApiAsync("uuid_dump", leg + " json", CancellationToken.None))!;
        Assert.Equal("1001", sim.Switch.Channel(leg)!.Variables["user_name"]);
        Assert.Equal("1000", parked.Login);

        // A SIP leg in the room names no verto login, whatever its SIP user is.
        var sip = sim.Switch.PlaceSipCall("1000", "Mallory", "room-0123456789abcdef");
        Assert.Null(NodeChannels.ParseDump(sip, await sim.Switch.ExecuteApiAsync("uuid_dump", sip + " json", CancellationToken.None))!.Login);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-ERR no reply\n")]
    [InlineData("{\"row_count\":1,\"rows\":[{\"uuid\":\"not-a-uuid; uuid_kill all\"}]}")]
    [InlineData("[1,2]")]
    public void Replies_that_are_not_channel_lists_give_no_legs(string reply)
    {
        Assert.Empty(NodeChannels.ParseUuids(reply));
        Assert.Null(NodeChannels.ParseDump("89b67870-cb1f-4c3a-8265-f6e6a85ef05d", reply));
    }
}
