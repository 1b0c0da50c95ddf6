using CallControl.Tests.Support;

namespace CallControl.Tests.Cluster;

/// <summary>FreeSWITCH restarts mid-call, and the Event Socket drops and comes back while a call ends: the service
/// reconciles with the node and PostgreSQL and loses no CDR. Real PostgreSQL, one simulator.</summary>
[Collection(ServiceHostGroup.Name)]
public sealed class FaultScenarioTests
{
    [Fact]
    public async Task A_node_restart_mid_call_fails_the_call_with_node_restarted_and_its_legs_cdrs_arrive_from_the_spool()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 1);
        var service = world.Instances[0];
        var node = world.NodeNames[0];
        world.SetCarrier("+1555555", "answer");
        var alice = service.ClientFor(await service.AddUserAsync("alice"));
        var room = await alice.CreateRoomAsync(new { calleeNumber = "+15555550001" });
        var callerLeg = await world.EnterRoomAsync(room);
        await alice.UntilStatusAsync(room.RoomId, "answered");
        var pstnLeg = world.Nodes[0].Switch.Channel(callerLeg)!.OtherLegUuid!;
        var reconnects = service.Nodes.State(node)!.ReconnectCount;

        world.Nodes[0].Faults.Restart(TimeSpan.FromSeconds(1));

        await ServiceHostWait.UntilAsync(() => service.Nodes.State(node)!.ReconnectCount > reconnects && service.Nodes.State(node)!.Connected,
            "the service to reconnect to the restarted node", ClusterSteps.Wait);
        var failed = await alice.UntilStatusAsync(room.RoomId, "failed");
        Assert.Equal("closed", failed.State);
        var call = await service.CallAsync(room.CallId);
        Assert.Equal("answered>failed:node_restarted", call.Steps()[^1]);
        Assert.NotNull(call.Call.EndedAt);
        Assert.Equal("network", call.Call.HungUpBy);

        // Neither leg's CHANNEL_HANGUP_COMPLETE reached the service; both CDRs came from mod_json_cdr's spool.
        var legs = await service.LegsAsync(room.CallId, 2);
        Assert.Equal([callerLeg, pstnLeg], legs.OrderBy(l => l.Role).Select(l => l.LegUuid.ToString("D")));
        Assert.All(legs, l => Assert.Equal("json_cdr", l.Source));
        Assert.All(legs, l => Assert.Equal("SYSTEM_SHUTDOWN", l.HangupCause));
    }

    [Fact]
    public async Task A_caller_hangup_while_the_event_socket_is_down_completes_the_call_after_the_reconnect()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 1);
        var service = world.Instances[0];
        var node = world.NodeNames[0];
        world.SetCarrier("+1555555", "answer");
        var alice = service.ClientFor(await service.AddUserAsync("alice"));
        var room = await alice.CreateRoomAsync(new { calleeNumber = "+15555550002" });
        var callerLeg = await world.EnterRoomAsync(room);
        await alice.UntilStatusAsync(room.RoomId, "answered");
        var reconnects = service.Nodes.State(node)!.ReconnectCount;

        // The socket drops and stays refused for a second; the caller hangs up inside that gap (no event reaches us).
        world.Nodes[0].Faults.Refuse(TimeSpan.FromSeconds(1));
        world.Nodes[0].Faults.Drop();
        await ServiceHostWait.UntilAsync(() => !service.Nodes.State(node)!.Connected, "the service to notice the drop");
        world.Nodes[0].Switch.Hangup(callerLeg);
        Assert.Equal("answered", (await alice.RoomAsync(room.RoomId)).Call!.Status);

        await ServiceHostWait.UntilAsync(() => service.Nodes.State(node)!.ReconnectCount > reconnects, "the reconnect", ClusterSteps.Wait);
        var done = await alice.UntilStatusAsync(room.RoomId, "completed");
        Assert.Equal("closed", done.State);
        var call = await service.CallAsync(room.CallId);
        Assert.Equal(["->ringing:created", "ringing>answered:pstn_answered"], call.Steps().Take(2));
        Assert.Matches("^answered>completed:(caller|network)_hung_up$", call.Steps()[2]);
        Assert.Equal(3, call.History.Count);
        var legs = await service.LegsAsync(room.CallId, 2);
        Assert.Equal(["caller", "pstn"], legs.Select(l => l.Role!).Order());
    }
}
