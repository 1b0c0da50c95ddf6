using CallControl.Rooms;
using CallControl.Tests.Support;

namespace CallControl.Tests.Cluster;

/// <summary>
/// One service instance and the bus channel as the test sees it: a made-up peer (the test NOTIFYing as another
/// instance would) that announces a user and then dies without a goodbye, garbage on the channel, and what a lone
/// instance publishes during a call (nothing per event).
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class SignalBusPeerTests
{
    [Fact]
    public async Task A_peer_that_dies_without_goodbye_takes_its_users_offline_after_the_timeout_and_garbage_on_the_channel_is_ignored()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 1);
        var a = world.Instances[0];
        world.SetCarrier("+1555888", "answer");
        var (caller, callee) = (await a.AddUserAsync("alice"), await a.AddUserAsync("bob", "+15558880001"));
        await using var tap = await BusTap.StartAsync(a.Bus.Channel);

        // Anyone with database access can NOTIFY the channel: none of this may stop the bus.
        await tap.PublishAsync("not json at all");
        await tap.PublishAsync(new string('{', 7900));
        await tap.PublishAsync("""{"v":1,"k":"p","i":"ghost","n":"g1","q":1,"o":true}""");
        await tap.PublishAsync("""{"v":1,"k":"e","i":"ghost","n":"g1","q":2,"u":"x","e":{"type":"invite"}}""");

        // A peer "ghost" says it is alive and that bob has a socket there.
        using var alive = tap.HeartbeatAs("ghost", "g1");
        await tap.PublishAsync(tap.As("ghost", "g1", SignalKind.Presence) with { User = callee, Online = true });
        await ServiceHostWait.UntilAsync(() => a.Bus.IsOnline(callee), "instance A to see bob on the ghost");
        Assert.Equal(1, a.Bus.Peers);
        // A peer first heard by its heartbeat is asked for its users.
        await ServiceHostWait.UntilAsync(
            () => tap.Messages.Any(m => m.Kind == SignalKind.SyncRequest && m.Target == "ghost" && m.Instance == "instance-0"),
            "a sync request aimed at the ghost");

        // The room rings bob (online elsewhere), and the invite is published for the peer holding his socket.
        var alice = a.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        var invite = await ServiceHostWait.UntilAsync(
            () => Task.FromResult(tap.Messages.FirstOrDefault(m => m.Kind == SignalKind.RoomEvent && m.User == callee)),
            m => m is not null, "the invite on the bus", ClusterSteps.Wait);
        Assert.Equal(("invite", room.CallId), (invite!.Event!.Type, invite.Event.CallId));
        var callerLeg = await world.EnterRoomAsync(room);
        Assert.Equal("ringing", (await alice.RoomAsync(room.RoomId)).Call!.Status);

        // The ghost dies without a goodbye: after the peer timeout (3 s here) bob is offline and the call falls back.
        await alive.CancelAsync();
        var answered = await alice.UntilStatusAsync(room.RoomId, "answered");
        Assert.Equal(("pstn", "offline"), (answered.Call!.AnsweredVia, answered.Call.FallbackReason));
        Assert.False(a.Bus.IsOnline(callee));
        Assert.Equal(0, a.Bus.Peers);
        Assert.Equal(
            ["->ringing:created", "ringing>fallback-dialing:callee_offline", "fallback-dialing>answered:pstn_answered"],
            (await a.CallAsync(room.CallId)).Steps().Take(3));
        world.Nodes[0].Switch.Hangup(callerLeg);
        await alice.UntilStatusAsync(room.RoomId, "completed");
    }

    [Fact]
    public async Task A_peers_goodbye_takes_its_users_offline_at_once_and_a_sync_request_gets_this_instances_users()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 1);
        var a = world.Instances[0];
        var (local, remote) = (await a.AddUserAsync("carol"), await a.AddUserAsync("dave"));
        await using var tap = await BusTap.StartAsync(a.Bus.Channel);
        await using var carol = await a.ConnectSignalingAsync(local);

        await tap.PublishAsync(tap.As("peer-x", "x1", SignalKind.SyncRequest));
        await tap.PublishAsync(tap.As("peer-x", "x1", SignalKind.Snapshot) with { SnapshotId = 1, Chunk = 0, Chunks = 1, Users = [remote] });
        await ServiceHostWait.UntilAsync(() => a.Bus.IsOnline(remote), "dave online through peer-x's snapshot");
        await ServiceHostWait.UntilAsync(
            () => tap.Messages.Any(m => m.Kind == SignalKind.Snapshot && m.Instance == "instance-0" && m.Users!.Contains(local)),
            "instance A's snapshot naming carol");
        // A listener without the deployment's key (any role that can connect may LISTEN) reads no user or instance.
        var own = tap.Payloads.Where(p => tap.Seal.Open(p, out _) is { } json && json.Contains("instance-0", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(own);
        Assert.All(own, p => Assert.DoesNotContain(local, p, StringComparison.Ordinal));
        Assert.All(own, p => Assert.DoesNotContain("instance-0", p, StringComparison.Ordinal));

        await tap.PublishAsync(tap.As("peer-x", "x1", SignalKind.Goodbye));
        await ServiceHostWait.UntilAsync(() => !a.Bus.IsOnline(remote), "dave offline after peer-x's goodbye");
        Assert.Equal(0, a.Bus.Peers);
        Assert.True(a.Bus.IsOnline(local));
    }

    [Fact]
    public async Task Only_messages_sealed_by_the_deployment_fresh_and_heard_for_the_first_time_change_anything()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 1);
        var a = world.Instances[0];
        var (bob, carol, dave, erin) = (await a.AddUserAsync("bob"), await a.AddUserAsync("carol"), await a.AddUserAsync("dave"), await a.AddUserAsync("erin"));
        await using var tap = await BusTap.StartAsync(a.Bus.Channel);
        using var alive = tap.HeartbeatAs("peer-y", "y1");
        SignalMessage Online(string user, int sequence, DateTimeOffset sent) =>
            tap.As("peer-y", "y1", SignalKind.Presence) with { User = user, Online = true, Sequence = sequence, SentAt = sent };

        // Well-formed, fresh, and numbered past anything heard, from anyone without the deployment's key: unsealed,
        // sealed with another deployment's key, and sealed but five minutes old (a capture played back later).
        await tap.PublishAsync(Online(carol, 1_000_000, DateTimeOffset.UtcNow).Encode());
        await tap.PublishAsync(SignalSeal.FromSigningKey("another-deployment-signing-key-0123456789abcdef").Seal(Online(carol, 1_000_001, DateTimeOffset.UtcNow).Encode()));
        await tap.PublishAsync(tap.Seal.Seal(Online(erin, 1_000_002, DateTimeOffset.UtcNow.AddMinutes(-5)).Encode()));
        // Then a peer's own (messages are applied in order, so the ones before it were judged by then).
        var captured = await tap.PublishAsync(tap.As("peer-y", "y1", SignalKind.Presence) with { User = bob, Online = true });
        await ServiceHostWait.UntilAsync(() => a.Bus.IsOnline(bob), "bob online through peer-y");
        var carolOnline = a.Bus.IsOnline(carol);
        var erinOnline = a.Bus.IsOnline(erin);

        // Bob leaves; the captured "bob online" is played back at once (fresh, sealed, but heard already).
        await tap.PublishAsync(tap.As("peer-y", "y1", SignalKind.Presence) with { User = bob, Online = false });
        await ServiceHostWait.UntilAsync(() => !a.Bus.IsOnline(bob), "bob offline");
        await tap.PublishAsync(captured);
        await tap.PublishAsync(tap.As("peer-y", "y1", SignalKind.Presence) with { User = dave, Online = true });
        await ServiceHostWait.UntilAsync(() => a.Bus.IsOnline(dave), "dave online through peer-y, after the replay");

        Assert.False(carolOnline);
        Assert.False(erinOnline);
        Assert.False(a.Bus.IsOnline(bob));
    }

    [Fact]
    public async Task A_lone_instance_publishes_no_presence_or_room_event_during_a_call()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 1);
        var a = world.Instances[0];
        var (caller, callee) = (await a.AddUserAsync("alice"), await a.AddUserAsync("bob"));
        await using var tap = await BusTap.StartAsync(a.Bus.Channel);
        await using var calleeSignal = await a.ConnectSignalingAsync(callee);
        await using var callerSignal = await a.ConnectSignalingAsync(caller);
        var alice = a.ClientFor(caller);

        var room = await alice.CreateRoomAsync(new { callee });
        await calleeSignal.UntilAsync("invite");
        var callerLeg = await world.EnterRoomAsync(room);
        await world.EnterRoomAsync(await a.ClientFor(callee).JoinAsync(room.RoomId));
        await callerSignal.UntilAsync("answered");
        world.Nodes[0].Switch.Hangup(callerLeg);
        await callerSignal.UntilAsync("ended");
        // The instance's heartbeats reach the tap, so the tap hears what the instance publishes.
        var seen = tap.Messages.Count(m => m.Kind == SignalKind.Heartbeat);
        await ServiceHostWait.UntilAsync(() => tap.Messages.Count(m => m.Kind == SignalKind.Heartbeat) > seen + 1, "two more heartbeats");

        Assert.DoesNotContain(tap.Messages, m => m.Kind is SignalKind.RoomEvent or SignalKind.Presence);
        Assert.True(a.Bus.Listening);
        Assert.Equal(0, a.Bus.Peers);
    }
}
