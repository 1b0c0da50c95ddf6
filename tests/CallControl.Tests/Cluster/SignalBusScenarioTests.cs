using CallControl.Data;
using CallControl.Rooms;
using CallControl.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Cluster;

/// <summary>
/// Signaling across instances (issue 7): the instance steering a call sees a callee connected to another instance,
/// its events reach that socket, that socket closing is the callee going offline for the steering instance, and a
/// client that reconnects to the survivor after a takeover learns where its call stands and follows it to the end.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class SignalBusScenarioTests
{
    [Fact]
    public async Task A_callee_connected_to_the_other_instance_is_invited_there_answers_and_both_parties_follow_the_call()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 2);
        var (a, b) = (world.Instances[0], world.Instances[1]);
        Assert.True(a.Steers(world.NodeNames[0]));
        var (caller, callee) = (await a.AddUserAsync("alice"), await a.AddUserAsync("bob", "+15557770001"));
        await using var calleeSignal = await b.ConnectSignalingAsync(callee);
        await using var callerSignal = await a.ConnectSignalingAsync(caller);

        // The steering instance sees the callee online although the socket is on the other one.
        await ServiceHostWait.UntilAsync(() => a.Bus.IsOnline(callee), "instance A to see bob's socket on B");
        Assert.False(a.Services.GetRequiredService<SignalHub>().IsOnline(callee));
        var alice = a.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        Assert.Equal("ringing", (await alice.RoomAsync(room.RoomId)).Call!.Status);

        var invite = await calleeSignal.UntilAsync("invite");
        Assert.Equal(room.RoomId, invite.GetProperty("roomId").GetString());
        Assert.Equal(caller, invite.GetProperty("from").GetString());
        var callerLeg = await world.EnterRoomAsync(room);
        // The callee's join reaches the instance its socket is on, which hands it to the one steering the call.
        var joined = await b.ClientFor(callee).JoinAsync(room.RoomId);
        Assert.Equal(room.CallId, joined.CallId);
        await world.EnterRoomAsync(joined);
        Assert.Equal(room.CallId.ToString(), (await callerSignal.UntilAsync("answered")).GetProperty("callId").GetString());
        Assert.Equal(room.CallId.ToString(), (await calleeSignal.UntilAsync("answered")).GetProperty("callId").GetString());
        Assert.Equal("app", (await alice.UntilStatusAsync(room.RoomId, "answered")).Call!.AnsweredVia);

        world.Nodes[0].Switch.Hangup(callerLeg);
        Assert.Equal("completed", (await calleeSignal.UntilAsync("ended")).GetProperty("status").GetString());
        await callerSignal.UntilAsync("ended");
        var call = await a.CallAsync(room.CallId);
        Assert.Equal(["->ringing:created", "ringing>answered:bridged"], call.Steps().Take(2));
    }

    [Fact]
    public async Task The_callees_socket_on_the_other_instance_closing_while_ringing_is_the_callee_going_offline_for_the_steering_instance()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 2);
        var (a, b) = (world.Instances[0], world.Instances[1]);
        world.SetCarrier("+1555777", "answer");
        var (caller, callee) = (await a.AddUserAsync("alice"), await a.AddUserAsync("bob", "+15557770002"));
        var calleeSignal = await b.ConnectSignalingAsync(callee);
        await ServiceHostWait.UntilAsync(() => a.Bus.IsOnline(callee), "instance A to see bob's socket on B");
        var alice = a.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        await calleeSignal.UntilAsync("invite");
        var callerLeg = await world.EnterRoomAsync(room);

        await calleeSignal.DisposeAsync();

        var answered = await alice.UntilStatusAsync(room.RoomId, "answered");
        Assert.Equal(("pstn", "offline"), (answered.Call!.AnsweredVia, answered.Call.FallbackReason));
        Assert.False(a.Bus.IsOnline(callee));
        var call = await a.CallAsync(room.CallId);
        Assert.Equal(
            ["->ringing:created", "ringing>fallback-dialing:callee_offline", "fallback-dialing>answered:pstn_answered"],
            call.Steps().Take(3));
        world.Nodes[0].Switch.Hangup(callerLeg);
        await alice.UntilStatusAsync(room.RoomId, "completed");
    }

    [Fact]
    public async Task After_a_takeover_a_client_reconnecting_to_the_survivor_gets_its_calls_state_then_the_end()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 2);
        var (owner, survivor) = (world.Instances[0], world.Instances[1]);
        var node = world.NodeNames[0];
        var (caller, callee) = (await owner.AddUserAsync("alice"), await owner.AddUserAsync("bob"));
        var callerOnOwner = await owner.ConnectSignalingAsync(caller);
        await using var calleeSignal = await survivor.ConnectSignalingAsync(callee);
        await ServiceHostWait.UntilAsync(() => owner.Bus.IsOnline(callee), "the owner to see bob's socket on the survivor");
        var alice = owner.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        await calleeSignal.UntilAsync("invite");
        var callerLeg = await world.EnterRoomAsync(room);
        await world.EnterRoomAsync(await owner.ClientFor(callee).JoinAsync(room.RoomId));
        await callerOnOwner.UntilAsync("answered");

        // The owner dies mid-call; the caller's socket dies with it.
        world.PointNodesAt(survivor);
        await owner.DisposeAsync();
        await callerOnOwner.DisposeAsync();
        await ServiceHostWait.UntilAsync(() => survivor.Steers(node) && survivor.Router.FindCall(room.CallId) is not null, "the survivor to take the call over");

        // The caller reconnects to the survivor: first where the call stands, then its end.
        await using var callerOnSurvivor = await survivor.ConnectSignalingAsync(caller);
        var state = await callerOnSurvivor.UntilAsync(SignalStateStore.StateEventType);
        Assert.Equal(room.CallId.ToString(), state.GetProperty("callId").GetString());
        Assert.Equal(room.RoomId, state.GetProperty("roomId").GetString());
        Assert.Equal("answered", state.GetProperty("status").GetString());
        Assert.Equal(caller, state.GetProperty("from").GetString());

        world.Nodes[0].Switch.Hangup(callerLeg);
        Assert.Equal(room.CallId.ToString(), (await callerOnSurvivor.UntilAsync("ended")).GetProperty("callId").GetString());
        await calleeSignal.UntilAsync("ended");
        Assert.Equal("completed", (await survivor.CallAsync(room.CallId)).Call.Status);
    }

    [Fact]
    public async Task An_instance_whose_listening_connection_dies_listens_again_asks_its_peers_to_re_announce_and_signaling_goes_on()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 2);
        var (a, b) = (world.Instances[0], world.Instances[1]);
        var (caller, callee) = (await a.AddUserAsync("alice"), await a.AddUserAsync("bob"));
        await using var tap = await BusTap.StartAsync(a.Bus.Channel);
        await using var calleeSignal = await b.ConnectSignalingAsync(callee);
        await ServiceHostWait.UntilAsync(() => a.Bus.IsOnline(callee), "instance A to see bob on B");

        // PostgreSQL ends A's listening session (as when its connection dies).
        Assert.True(await EndListeningSessionAsync(a.Id));

        // Listening again, A asks everyone to re-announce; B answers with its users, bob among them.
        await ServiceHostWait.UntilAsync(
            () => tap.Messages.Any(m => m.Kind == SignalKind.SyncRequest && m.Instance == a.Id && m.Target is null),
            "A's sync request after it listens again");
        await ServiceHostWait.UntilAsync(
            () => tap.Messages.Any(m => m.Kind == SignalKind.Snapshot && m.Instance == b.Id && m.Users!.Contains(callee)),
            "B's snapshot naming bob");
        Assert.True(a.Bus.Listening);
        Assert.True(a.Bus.IsOnline(callee));

        var room = await a.ClientFor(caller).CreateRoomAsync(new { callee });
        Assert.Equal(room.CallId.ToString(), (await calleeSignal.UntilAsync("invite")).GetProperty("callId").GetString());
        await a.ClientFor(caller).DeleteAsync($"/api/rooms/{room.RoomId}");
        await calleeSignal.UntilAsync("canceled");
    }

    [Fact]
    public async Task An_instance_listening_again_after_a_gap_re_sends_its_sockets_where_their_calls_stand_and_so_do_its_peers()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 2);
        var (a, b) = (world.Instances[0], world.Instances[1]);
        var (caller, callee) = (await a.AddUserAsync("alice"), await a.AddUserAsync("bob"));
        await using var tap = await BusTap.StartAsync(a.Bus.Channel);
        await using var calleeSignal = await b.ConnectSignalingAsync(callee);
        await using var callerSignal = await a.ConnectSignalingAsync(caller);
        await ServiceHostWait.UntilAsync(() => a.Bus.IsOnline(callee), "instance A to see bob on B");
        var room = await a.ClientFor(caller).CreateRoomAsync(new { callee });
        await calleeSignal.UntilAsync("invite");
        var (resyncsA, resyncsB) = (a.Bus.Resyncs, b.Bus.Resyncs);

        // PostgreSQL ends B's listening session: while it is down, room events for bob's socket could be lost.
        Assert.True(await EndListeningSessionAsync(b.Id));

        // Listening again, B tells its peers since when, and re-sends bob the state of his call ...
        await ServiceHostWait.UntilAsync(
            () => tap.Messages.Any(m => m.Kind == SignalKind.SyncRequest && m.Instance == b.Id && m.Since is not null),
            "B's sync request naming when its gap began");
        var state = await calleeSignal.UntilAsync("state");
        Assert.Equal(room.CallId.ToString(), state.GetProperty("callId").GetString());
        Assert.Equal("ringing", state.GetProperty("status").GetString());
        Assert.True(b.Bus.Resyncs > resyncsB);
        // ... and A, whose events B may have missed and which may have dropped its own meanwhile, re-sends alice hers.
        Assert.Equal(room.CallId.ToString(), (await callerSignal.UntilAsync("state")).GetProperty("callId").GetString());
        await ServiceHostWait.UntilAsync(() => a.Bus.Resyncs > resyncsA, "A's resync");

        await a.ClientFor(caller).DeleteAsync($"/api/rooms/{room.RoomId}");
        await calleeSignal.UntilAsync("canceled");
    }

    [Fact]
    public async Task A_sync_request_naming_a_gap_re_sends_a_call_that_ended_in_it_with_its_final_status()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 2);
        var (a, b) = (world.Instances[0], world.Instances[1]);
        var (caller, callee) = (await a.AddUserAsync("alice"), await a.AddUserAsync("bob"));
        await using var tap = await BusTap.StartAsync(a.Bus.Channel);
        await using var calleeSignal = await b.ConnectSignalingAsync(callee);
        await ServiceHostWait.UntilAsync(() => a.Bus.IsOnline(callee), "instance A to see bob on B");
        var room = await a.ClientFor(caller).CreateRoomAsync(new { callee });
        await calleeSignal.UntilAsync("invite");
        await a.ClientFor(caller).DeleteAsync($"/api/rooms/{room.RoomId}");
        await calleeSignal.UntilAsync("canceled");
        var earlier = await a.ClientFor(caller).CreateRoomAsync(new { callee });   // still ringing: in progress
        await calleeSignal.UntilAsync("invite");

        // A peer that was deaf for the last minute says so (as B's own recovery does in the test above).
        await tap.PublishAsync(tap.As("peer-x", "inc-x", SignalKind.SyncRequest) with { Since = DateTime.UtcNow.AddMinutes(-1) });

        // Bob's socket hears both calls as they stand now: the one that ended during the gap, with its final status.
        var states = new Dictionary<string, string>();
        while (states.Count < 2)
        {
            var state = await calleeSignal.UntilAsync("state");
            states[state.GetProperty("callId").GetString()!] = state.GetProperty("status").GetString()!;
        }

        Assert.Equal("canceled", states[room.CallId.ToString()]);
        Assert.Equal("ringing", states[earlier.CallId.ToString()]);
    }

    [Fact]
    public void A_sync_request_carries_its_since_and_one_with_a_bad_since_is_refused()
    {
        var since = new DateTime(2026, 11, 27, 9, 30, 15, 250, DateTimeKind.Utc);
        var message = new SignalMessage(SignalKind.SyncRequest, "i1", "n1", 7) { Since = since };

        var decoded = SignalMessage.TryDecode(message.Encode(), out var error);

        Assert.Null(error);
        Assert.Equal(since, decoded!.Since);
        Assert.Null(SignalMessage.TryDecode(new SignalMessage(SignalKind.SyncRequest, "i1", "n1", 8).Encode(), out _)!.Since);
        foreach (var bad in new[] { "0", "-5", "253402300800000", "\"yesterday\"" })
        {
            Assert.Null(SignalMessage.TryDecode($$"""{"v":1,"k":"sync","i":"i1","n":"n1","q":9,"sn":{{bad}}}""", out var why));
            Assert.NotNull(why);
        }
    }

    [Fact]
    public async Task A_cancel_received_by_the_instance_not_steering_the_call_is_handed_to_the_one_that_does()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 2);
        var (a, b) = (world.Instances[0], world.Instances[1]);
        var (caller, callee) = (await a.AddUserAsync("alice"), await a.AddUserAsync("bob"));
        await using var calleeSignal = await b.ConnectSignalingAsync(callee);
        await ServiceHostWait.UntilAsync(() => a.Bus.IsOnline(callee) && b.Bus.Peers == 1, "A and B to hear each other");
        var room = await a.ClientFor(caller).CreateRoomAsync(new { callee });
        await calleeSignal.UntilAsync("invite");

        // Only the room's caller cancels, wherever the request lands; B hands it to A: 202 with the state before it.
        using (var refused = await b.ClientFor(callee).DeleteAsync($"/api/rooms/{room.RoomId}"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (var accepted = await b.ClientFor(caller).DeleteAsync($"/api/rooms/{room.RoomId}"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, accepted.StatusCode);
        }

        Assert.Equal("canceled", (await calleeSignal.UntilAsync("canceled")).GetProperty("status").GetString());
        var call = await ServiceHostWait.UntilAsync(() => a.CallAsync(room.CallId), c => c.Call.Status == "canceled", "the call canceled on A", ClusterSteps.Wait);
        Assert.StartsWith("ringing>canceled:", call.Steps()[1], StringComparison.Ordinal);

        // Once it is over, another cancel through B is refused as on A.
        using var over = await b.ClientFor(caller).DeleteAsync($"/api/rooms/{room.RoomId}");
        Assert.Equal(System.Net.HttpStatusCode.Conflict, over.StatusCode);
    }

    [Fact]
    public async Task An_action_handed_on_that_no_instance_takes_is_answered_503_to_retry_and_changes_nothing()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 2);
        var (a, b) = (world.Instances[0], world.Instances[1]);
        var (caller, callee) = (await a.AddUserAsync("alice"), await a.AddUserAsync("bob"));
        await ServiceHostWait.UntilAsync(() => a.Bus.Peers == 1 && b.Bus.Peers == 1, "A and B to hear each other");
        // A call in progress as stored, but no router holds it: what a forwarded action meets when it is lost on the
        // bus or arrives while no instance steers the call. Before, B answered 202 as if A had taken it.
        var room = await a.Services.GetRequiredService<RoomStore>().CreateAsync(new RoomRecord
        {
            Id = RoomStore.NewId(), CallerUserId = caller, CalleeUserId = callee, Media = "audio", FreeswitchNode = world.NodeNames[0],
        });
        var calls = a.Services.GetRequiredService<CallStore>();
        var call = await calls.CreateAsync(new CallRecord
        {
            Id = Guid.NewGuid(), RoomId = room.Id, Caller = caller, Callee = callee, Media = "audio", Status = CallStatuses.Ringing,
            CreatedAt = DateTime.UtcNow, FreeswitchNode = world.NodeNames[0],
        }, "test");

        using (var busy = await b.ClientFor(callee).PostAsync($"/api/rooms/{room.Id}/busy", null))
        {
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), busy.Headers.RetryAfter?.Delta);
        }

        using (var join = await b.ClientFor(callee).PostAsync($"/api/rooms/{room.Id}/join", null))
        {
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, join.StatusCode);
        }

        Assert.Equal((CallStatuses.Ringing, 1), ((await calls.GetAsync(call.Id))!.Status, (await calls.GetAsync(call.Id))!.Version));
    }

    [Fact]
    public async Task A_callee_whose_instance_stops_gracefully_reconnects_elsewhere_within_the_grace_and_still_answers_in_the_app()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 2);
        var (a, b) = (world.Instances[0], world.Instances[1]);
        var (caller, callee) = (await a.AddUserAsync("alice"), await a.AddUserAsync("bob"));
        var calleeOnB = await b.ConnectSignalingAsync(callee);
        await ServiceHostWait.UntilAsync(() => a.Bus.IsOnline(callee), "instance A to see bob on B");
        var room = await a.ClientFor(caller).CreateRoomAsync(new { callee });
        await calleeOnB.UntilAsync("invite");
        var callerLeg = await world.EnterRoomAsync(room);

        // B stops: it closes bob's socket ("going away") and says goodbye; bob reconnects to A after A heard it.
        var stopping = b.DisposeAsync().AsTask();
        await calleeOnB.Closed;
        await ServiceHostWait.UntilAsync(() => a.Bus.Peers == 0 && !a.Bus.IsOnline(callee), "A to hear B's goodbye");
        await using var calleeOnA = await a.ConnectSignalingAsync(callee);
        var state = await calleeOnA.UntilAsync(SignalStateStore.StateEventType);
        Assert.Equal((room.CallId.ToString(), "ringing"), (state.GetProperty("callId").GetString(), state.GetProperty("status").GetString()));
        await stopping;
        await calleeOnB.DisposeAsync();

        // B's goodbye did not make bob offline: he was back within the grace, and answers in the app.
        await world.EnterRoomAsync(await a.ClientFor(callee).JoinAsync(room.RoomId));
        var answered = await a.ClientFor(caller).UntilStatusAsync(room.RoomId, "answered");
        Assert.Equal("app", answered.Call!.AnsweredVia);
        Assert.Equal(["->ringing:created", "ringing>answered:bridged"], (await a.CallAsync(room.CallId)).Steps());
        world.Nodes[0].Switch.Hangup(callerLeg);
        await calleeOnA.UntilAsync("ended");
    }

    // PostgreSQL terminates the instance's listening session, as when its connection dies; true when there was one.
    private static async Task<bool> EndListeningSessionAsync(string instanceId)
    {
        await using var admin = Npgsql.NpgsqlDataSource.Create(ServiceHostDatabase.ConnectionString);
        await using var kill = admin.CreateCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1");
        kill.Parameters.Add(new Npgsql.NpgsqlParameter { Value = SignalBus.ApplicationNamePrefix + instanceId });
        return (bool)(await kill.ExecuteScalarAsync())!;
    }
}
