using System.Net;
using CallControl.Switch;
using CallControl.Tests.Support;
using Npgsql;

namespace CallControl.Tests.Cluster;

/// <summary>Two service instances, one FreeSWITCH node: exactly one steers it (the PostgreSQL advisory lock), the
/// other stands by; when the owner dies or loses its lock connection the standby takes over and the calls go on.</summary>
[Collection(ServiceHostGroup.Name)]
public sealed class TakeoverScenarioTests
{
    [Fact]
    public async Task The_standby_takes_over_a_dead_owners_calls_which_complete_and_its_ring_timer_fires_there()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 2);
        var (owner, standby) = (world.Instances[0], world.Instances[1]);
        var node = world.NodeNames[0];
        world.SetCarrier("+1555444", "answer");
        var alice = owner.ClientFor(await owner.AddUserAsync("alice"));
        var admin = standby.ClientFor(await standby.AddUserAsync("root", admin: true), "admin");

        // Exactly one owner; the standby is not ready, refuses rooms, and its commands to the node are refused.
        Assert.True(owner.Steers(node));
        Assert.False(standby.Steers(node));
        Assert.Equal(owner.Id, (await admin.NodesAsync()).Single().Owner);
        Assert.False((await admin.NodesAsync()).Single().SteeredHere);
        using (var ready = await new HttpClient { BaseAddress = standby.BaseAddress }.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        await Assert.ThrowsAsync<NodeNotSteeredException>(() => standby.Nodes.Commands(node)!.UuidKillAsync(Guid.NewGuid().ToString("D")));
        using (var refused = await standby.ClientFor(await standby.AddUserAsync("bob")).PostAsync(
            "/api/rooms", new StringContent("""{"calleeNumber":"+15554440009"}""", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        // Call A is answered on the owner; call B waits for a caller leg that never comes (its ring timer is armed).
        var callA = await alice.CreateRoomAsync(new { calleeNumber = "+15554440001" });
        var callerLeg = await world.EnterRoomAsync(callA);
        await alice.UntilStatusAsync(callA.RoomId, "answered");
        var callB = await alice.CreateRoomAsync(new { calleeNumber = "+15554440002" });
        Assert.Null(standby.Router.FindCall(callA.CallId));

        // The owner dies mid-call; FreeSWITCH's callbacks now reach the standby (as through a load balancer).
        world.PointNodesAt(standby);
        await owner.DisposeAsync();
        await ServiceHostWait.UntilAsync(() => standby.Steers(node), "the standby to take the node over");
        await ServiceHostWait.UntilAsync(() => standby.Router.FindCall(callA.CallId) is not null && standby.Router.FindCall(callB.CallId) is not null,
            "the new owner to rebuild both calls");
        Assert.Equal(standby.Id, (await admin.NodesAsync()).Single().Owner);
        Assert.Equal("answered", (await standby.CallAsync(callA.CallId)).Call.Status);
        Assert.Equal("ringing", (await standby.CallAsync(callB.CallId)).Call.Status);

        // Call A goes on and ends normally on the new owner, with its CDRs and final fields.
        world.Nodes[0].Switch.Hangup(callerLeg);
        var a = await ServiceHostWait.UntilAsync(() => standby.CallAsync(callA.CallId), c => c.Call.Status == "completed", "call A completed", ClusterSteps.Wait);
        Assert.Equal(["->ringing:created", "ringing>answered:pstn_answered"], a.Steps().Take(2));
        Assert.Matches("^answered>completed:(caller|network)_hung_up$", a.Steps()[2]);
        Assert.NotNull(a.Call.EndedAt);
        Assert.NotNull(a.Call.Billsec);
        Assert.NotNull(a.Call.HangupCause);
        var legs = await standby.LegsAsync(callA.CallId, 2);
        Assert.Equal(["caller", "pstn"], legs.Select(l => l.Role!).Order());
        Assert.Equal(Guid.Parse(callerLeg), legs.Single(l => l.Role == "caller").LegUuid);

        // Call B's ring timer, set by the dead owner, fires on the new owner at its stored deadline.
        standby.RingClock.Advance(TimeSpan.FromSeconds(31));
        var b = await ServiceHostWait.UntilAsync(() => standby.CallAsync(callB.CallId), c => c.Call.Status == "canceled", "call B to time out", ClusterSteps.Wait);
        Assert.Equal(["->ringing:created", "ringing>canceled:caller_leg_missing"], b.Steps());
    }

    [Fact]
    public async Task An_owner_that_loses_its_lock_connection_stops_at_once_and_an_expired_ring_deadline_fires_on_takeover()
    {
        // The owner checks its lock every second, the standby polls five times a second, so the standby wins the free lock.
        var slow = new Dictionary<string, string?> { ["Rooms:RingTimeout"] = "00:00:01", ["Cluster:LeasePollInterval"] = "00:00:01" };
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 1, slow);
        world.Instances.Add(await world.StartInstanceAsync("instance-1", new Dictionary<string, string?> { ["Rooms:RingTimeout"] = "00:00:01" }));
        var (owner, standby) = (world.Instances[0], world.Instances[1]);
        var node = world.NodeNames[0];
        var alice = owner.ClientFor(await owner.AddUserAsync("alice"));

        // The caller never enters: the owner's timer runs on its fake clock and does not fire; the deadline passes.
        var room = await alice.CreateRoomAsync(new { calleeNumber = "+15554440003" });
        var deadline = (await owner.CallAsync(room.CallId)).Call.RingDeadline!.Value;
        await ServiceHostWait.UntilAsync(() => DateTime.UtcNow > deadline.AddMilliseconds(100), "the ring deadline to pass");
        Assert.Equal("ringing", (await owner.CallAsync(room.CallId)).Call.Status);

        // PostgreSQL ends the owner's lock session (as when its connection dies).
        await using (var admin = NpgsqlDataSource.Create(ServiceHostDatabase.ConnectionString))
        {
            await using var kill = admin.CreateCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1");
            kill.Parameters.Add(new NpgsqlParameter { Value = NodeLease.ApplicationNamePrefix + owner.Id });
            Assert.True((bool)(await kill.ExecuteScalarAsync())!);
        }

        await ServiceHostWait.UntilAsync(() => !owner.Steers(node), "the owner to stop steering");
        // The router hears of it in order after the gate closed: it forgets the node's calls without a command.
        await ServiceHostWait.UntilAsync(() => owner.Router.FindCall(room.CallId) is null, "the fenced owner to forget the call");
        await Assert.ThrowsAsync<NodeNotSteeredException>(() => owner.Nodes.Commands(node)!.UuidKillAsync(Guid.NewGuid().ToString("D")));
        await ServiceHostWait.UntilAsync(() => standby.Steers(node), "the standby to take over");
        Assert.False(owner.Steers(node));

        // The expired deadline acts at once on the new owner, without its timer clock moving.
        var call = await ServiceHostWait.UntilAsync(
            () => standby.CallAsync(room.CallId), c => c.Call.Status == "canceled", "the expired ring timer to fire", ClusterSteps.Wait);
        Assert.Equal(["->ringing:created", "ringing>canceled:caller_leg_missing"], call.Steps());
        Assert.Equal("closed", (await alice.RoomAsync(room.RoomId)).State);
    }

    [Fact]
    public async Task Legs_of_a_call_whose_owner_recorded_its_end_but_died_before_hanging_up_are_ended_by_the_new_owner()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 2);
        var (owner, standby) = (world.Instances[0], world.Instances[1]);
        var node = world.NodeNames[0];
        world.SetCarrier("+1555444", "answer");
        var alice = owner.ClientFor(await owner.AddUserAsync("alice"));
        var room = await alice.CreateRoomAsync(new { calleeNumber = "+15554440011" });
        var callerLeg = await world.EnterRoomAsync(room);
        await alice.UntilStatusAsync(room.RoomId, "answered");
        var pstnLeg = world.Nodes[0].Switch.Channels().Single(c => c.Uuid != callerLeg).Uuid;

        // The owner records the call's end (here written for it) and dies before its hangups reach the node.
        await using (var db = NpgsqlDataSource.Create(ServiceHostDatabase.ConnectionString))
        {
            await using var end = db.CreateCommand(
                "UPDATE calls SET status = 'failed', hangup_cause = 'NORMAL_TEMPORARY_FAILURE', ended_at = now(), version = version + 1 WHERE id = $1");
            end.Parameters.Add(new NpgsqlParameter { Value = room.CallId });
            Assert.Equal(1, await end.ExecuteNonQueryAsync());
        }

        world.PointNodesAt(standby);
        await owner.DisposeAsync();
        Assert.Equal(2, world.Nodes[0].Switch.Channels().Count);
        await ServiceHostWait.UntilAsync(() => standby.Steers(node), "the standby to take the node over");

        // Nothing would ever end those legs: no call is live to own them. The new owner ends them as the machine
        // ends a failed call: the caller with the call's cause, the other party cleared normally.
        await ServiceHostWait.UntilAsync(() => Task.FromResult(world.Nodes[0].Switch.Channels().Count), n => n == 0, "the leftover legs hung up", ClusterSteps.Wait);
        var legs = await standby.LegsAsync(room.CallId, 2);
        Assert.Equal("NORMAL_TEMPORARY_FAILURE", legs.Single(l => l.LegUuid == Guid.Parse(callerLeg)).HangupCause);
        Assert.Equal("NORMAL_CLEARING", legs.Single(l => l.LegUuid == Guid.Parse(pstnLeg)).HangupCause);
        Assert.Null(standby.Router.FindCall(room.CallId));
        Assert.Equal("failed", (await standby.CallAsync(room.CallId)).Call.Status);
    }
}
