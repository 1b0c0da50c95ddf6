using System.Net.Http.Json;
using System.Text.Json;
using CallControl.Admin;
using CallControl.Auth;
using CallControl.Data;
using CallControl.Rooms;
using CallControl.Tests.Support;
using FreeSwitchSim.Core;
using Microsoft.Extensions.DependencyInjection;
using SignalClient = CallControl.Tests.Scenarios.SignalClient;

namespace CallControl.Tests.Cluster;

/// <summary>The steps the cluster scenarios are written in.</summary>
internal static class ClusterSteps
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    public static async Task<RoomAccess> CreateRoomAsync(this HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/rooms", body, Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<RoomAccess>(text, Json)!;
    }

    public static async Task<RoomAccess> JoinAsync(this HttpClient client, string roomId)
    {
        using var response = await client.PostAsJsonAsync($"/api/rooms/{roomId}/join", new { natType = "symmetric" }, Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<RoomAccess>(text, Json)!;
    }

    /// <summary>A signaling WebSocket of <paramref name="userId"/> on <paramref name="instance"/>, registered there.</summary>
    public static Task<SignalClient> ConnectSignalingAsync(this ServiceInstance instance, string userId) =>
        SignalClient.ConnectAsync(
            instance.BaseAddress, instance.Services, userId, instance.Services.GetRequiredService<TokenService>().Mint(userId, null, TimeSpan.FromHours(1)));

    public static async Task<IReadOnlyList<NodeView>> NodesAsync(this HttpClient admin) =>
        (await admin.GetFromJsonAsync<List<NodeView>>("/api/admin/nodes", Json))!;

    public static async Task<RoomView> RoomAsync(this HttpClient client, string roomId) =>
        (await client.GetFromJsonAsync<RoomView>($"/api/rooms/{roomId}", Json))!;

    public static Task<RoomView> UntilStatusAsync(this HttpClient client, string roomId, string status) =>
        ServiceHostWait.UntilAsync(() => client.RoomAsync(roomId), r => r.Call?.Status == status, $"room {roomId} status {status}", Wait);

    /// <summary>The call row as PostgreSQL has it now.</summary>
    public static async Task<CallWithHistory> CallAsync(this ServiceInstance instance, Guid callId) =>
        (await instance.Services.GetRequiredService<CallStore>().GetWithHistoryAsync(callId))!;

    public static IReadOnlyList<string> Steps(this CallWithHistory call) =>
        [.. call.History.Select(h => $"{h.FromStatus ?? "-"}>{h.ToStatus}:{h.Reason}")];

    /// <summary>Waits until the call has <paramref name="count"/> ended leg rows with their roles.</summary>
    public static Task<IReadOnlyList<LegRecord>> LegsAsync(this ServiceInstance instance, Guid callId, int count) =>
        ServiceHostWait.UntilAsync(
            () => instance.Services.GetRequiredService<LegStore>().ListForCallAsync(callId),
            legs => legs.Count == count && legs.All(l => l.EndAt is not null && l.Role is not null),
            $"{count} ended legs of call {callId}", Wait);

    /// <summary>Waits until every instance has seen a HEARTBEAT from node <paramref name="i"/> reporting <paramref name="idleCpu"/>.</summary>
    public static Task UntilIdleCpuAsync(this ClusterWorld world, int i, double idleCpu) =>
        ServiceHostWait.UntilAsync(
            () => world.Instances.All(x => x.Nodes.State(world.NodeNames[i])?.IdleCpu == idleCpu),
            $"node {i} to report Idle-CPU {idleCpu}", Wait);

    public static void SetCarrier(this ClusterWorld world, string prefix, string behaviour, int delayMs = 200)
    {
        foreach (var node in world.Nodes)
        {
            node.Switch.SetGatewayRules("carrier", [new GatewayRule(prefix, behaviour, delayMs)]);
        }
    }
}
