using System.Net;
using System.Net.Http.Json;
using CallControl.Tests.Support;

namespace CallControl.Tests.Cluster;

/// <summary>Two FreeSWITCH nodes, one service instance: where new rooms go (HEARTBEAT load, drain), and the admin
/// node API. Real PostgreSQL, two simulators.</summary>
[Collection(ServiceHostGroup.Name)]
public sealed class NodeSelectionScenarioTests
{
    [Fact]
    public async Task Rooms_go_to_the_healthier_node_a_drain_moves_new_rooms_and_the_running_call_completes()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 2, instances: 1);
        var service = world.Instances[0];
        var (a, b) = (world.NodeNames[0], world.NodeNames[1]);
        var alice = service.ClientFor(await service.AddUserAsync("alice"));
        var admin = service.ClientFor(await service.AddUserAsync("root", admin: true), "admin");
        world.SetCarrier("+1555333", "answer");

        // Node a reports almost no idle CPU: overloaded, so the room goes to b.
        world.NodeOptions(0).IdleCpu = 2.0;
        await world.UntilIdleCpuAsync(0, 2.0);
        var first = await alice.CreateRoomAsync(new { calleeNumber = "+15553330001" });
        Assert.Equal(ClusterWorld.VertoUrl(1), first.Verto.Url);
        var callerLeg = await world.EnterRoomAsync(first);
        await alice.UntilStatusAsync(first.RoomId, "answered");
        Assert.Contains(await admin.NodesAsync(), n => n.Name == a && n.Overloaded);

        // Both idle again: b now carries two sessions, a none, so the least loaded node a gets the next room.
        world.NodeOptions(0).IdleCpu = 99.0;
        await world.UntilIdleCpuAsync(0, 99.0);
        await ServiceHostWait.UntilAsync(() => service.Nodes.State(b)!.SessionCount == 2, "node b to report its two sessions");
        var second = await alice.CreateRoomAsync(new { calleeNumber = "+15553330002" });
        Assert.Equal(ClusterWorld.VertoUrl(0), second.Verto.Url);
        using (var cancel = await alice.DeleteAsync($"/api/rooms/{second.RoomId}"))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        // Draining a: every new room goes to b although a is less loaded; the state is in PostgreSQL.
        using (var drain = await admin.PostAsync($"/api/admin/nodes/{a}/drain", null))
        {
            Assert.Equal(HttpStatusCode.OK, drain.StatusCode);
        }

        for (var i = 0; i < 3; i++)
        {
            var room = await alice.CreateRoomAsync(new { calleeNumber = $"+1555333001{i}" });
            Assert.Equal(ClusterWorld.VertoUrl(1), room.Verto.Url);
            using var cancel = await alice.DeleteAsync($"/api/rooms/{room.RoomId}");
        }

        var nodes = await admin.NodesAsync();
        var viewA = nodes.Single(n => n.Name == a);
        var viewB = nodes.Single(n => n.Name == b);
        Assert.True(viewA.Draining);
        Assert.False(viewB.Draining);
        Assert.All(nodes, n => Assert.Equal(service.Id, n.Owner));
        Assert.All(nodes, n => Assert.True(n.Connected && n.SteeredHere));
        Assert.Equal(1, viewB.ActiveCalls);
        Assert.Equal(2, viewB.Sessions);
        Assert.NotNull(viewB.LastHeartbeatAt);

        // Both drained: no healthy node.
        using (var drainB = await admin.PostAsJsonAsync($"/api/admin/nodes/{b}/drain", new { drain = true }))
        {
            Assert.Equal(HttpStatusCode.OK, drainB.StatusCode);
        }

        using (var refused = await alice.PostAsJsonAsync("/api/rooms", new { calleeNumber = "+15553330003" }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Contains("\"field\":\"node\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The call running on drained b is untouched and ends normally, with its CDRs.
        Assert.Equal("answered", (await alice.RoomAsync(first.RoomId)).Call!.Status);
        world.Nodes[1].Switch.Hangup(callerLeg);
        await alice.UntilStatusAsync(first.RoomId, "completed");
        var legs = await service.LegsAsync(first.CallId, 2);
        Assert.Equal(["caller", "pstn"], legs.Select(l => l.Role!).Order());

        // Undrain a (DELETE) and rooms go there again.
        using (var undrain = await admin.DeleteAsync($"/api/admin/nodes/{a}/drain"))
        {
            Assert.Equal(HttpStatusCode.OK, undrain.StatusCode);
        }

        var again = await alice.CreateRoomAsync(new { calleeNumber = "+15553330004" });
        Assert.Equal(ClusterWorld.VertoUrl(0), again.Verto.Url);
        using var last = await alice.DeleteAsync($"/api/rooms/{again.RoomId}");
    }

    [Fact]
    public async Task The_node_admin_api_is_for_admins_and_refuses_bad_input_without_changing_anything()
    {
        await using var world = await ClusterWorld.StartAsync(nodes: 1, instances: 1);
        var service = world.Instances[0];
        var node = world.NodeNames[0];
        var user = service.ClientFor(await service.AddUserAsync("mallory"));
        var admin = service.ClientFor(await service.AddUserAsync("root", admin: true), "admin");
        using var anonymous = new HttpClient { BaseAddress = service.BaseAddress };

        using (var r = await anonymous.GetAsync("/api/admin/nodes"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        using (var r = await user.PostAsync($"/api/admin/nodes/{node}/drain", null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        }

        using (var r = await admin.PostAsync("/api/admin/nodes/no-such-node/drain", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            Assert.Contains("\"field\":\"name\"", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (var body in new[] { "{\"drain\":\"yes\"}", "[true]", "not json", new string('x', 4096) })
        {
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var r = await admin.PostAsync($"/api/admin/nodes/{node}/drain", content);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Contains("\"drain\"", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.False((await admin.NodesAsync()).Single().Draining);
        var alice = service.ClientFor(await service.AddUserAsync("alice"));
        var room = await alice.CreateRoomAsync(new { calleeNumber = "+15553330005" });
        Assert.Equal(ClusterWorld.VertoUrl(0), room.Verto.Url);
        using var cancel = await alice.DeleteAsync($"/api/rooms/{room.RoomId}");
    }
}
