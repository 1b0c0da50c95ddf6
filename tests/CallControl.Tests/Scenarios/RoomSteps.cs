using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CallControl.Data;
using CallControl.Rooms;
using CallControl.Tests.Support;
using FreeSwitchSim.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Scenarios;

/// <summary>The steps scenarios are written in: room API calls, verto legs on the simulator, waits on the database.</summary>
internal static class RoomSteps
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

    public static async Task<RoomView> RoomAsync(this HttpClient client, string roomId) =>
        (await client.GetFromJsonAsync<RoomView>($"/api/rooms/{roomId}", Json))!;

    /// <summary>Waits until the room's call has <paramref name="status"/>.</summary>
    public static Task<RoomView> UntilStatusAsync(this HttpClient client, string roomId, string status) =>
        ServiceHostWait.UntilAsync(() => client.RoomAsync(roomId), r => r.Call?.Status == status, $"room {roomId} status {status}", Wait);

    /// <summary>The party's verto client logs in with the one-time login (through /fs/directory) and calls the room.</summary>
    public static async Task<string> EnterRoomAsync(this RoomWorld world, RoomAccess access)
    {
        Assert.True(await world.Sim.Switch.LoginAsync(access.Verto.Login, access.Verto.Password, CancellationToken.None), "verto login");
        return world.Sim.Switch.PlaceCall(access.Verto.Login, access.Verto.Destination);
    }

    public static Task<CallWithHistory> CallAsync(this RoomWorld world, Guid callId) =>
        ServiceHostWait.UntilAsync(
            () => world.Services.GetRequiredService<CallStore>().GetWithHistoryAsync(callId), c => c is not null, "the call row", Wait)!;

    /// <summary>The state history as "from>to:reason" lines.</summary>
    public static IReadOnlyList<string> Steps(this CallWithHistory call) =>
        [.. call.History.Select(h => $"{h.FromStatus ?? "-"}>{h.ToStatus}:{h.Reason}")];

    /// <summary>Waits until the call has <paramref name="count"/> leg rows, all ended (their CDRs written).</summary>
    public static Task<IReadOnlyList<LegRecord>> LegsAsync(this RoomWorld world, Guid callId, int count) =>
        ServiceHostWait.UntilAsync(
            () => world.Services.GetRequiredService<LegStore>().ListForCallAsync(callId),
            legs => legs.Count == count && legs.All(l => l.EndAt is not null && l.Role is not null),
            $"{count} ended legs of call {callId}", Wait);

    /// <summary>
    /// Waits until each of the call's <paramref name="count"/> legs was written by both CDR paths (the ESL
    /// CHANNEL_HANGUP_COMPLETE and mod_json_cdr's POST), upserted into one row per leg.
    /// </summary>
    public static Task<IReadOnlyList<LegRecord>> CdrsFromBothPathsAsync(this RoomWorld world, Guid callId, int count) =>
        ServiceHostWait.UntilAsync(
            () => world.Services.GetRequiredService<LegStore>().ListForCallAsync(callId),
            legs => legs.Count == count && legs.All(l => l.Source == "both" && l.JsonCdr is not null),
            $"{count} legs of call {callId} from both CDR paths", Wait);

    /// <summary>The simulator's events for one leg, as event names in order.</summary>
    public static IReadOnlyList<string> EventsOf(this RoomWorld world, string leg) =>
        [.. world.Events.Where(e => e.UniqueId == leg).Select(e => e.Name)];

    /// <summary>Whether the simulator saw any carrier leg or bridge/originate since <paramref name="mark"/> events.</summary>
    public static bool OriginatedSince(this RoomWorld world, int mark) =>
        world.Events.Skip(mark).Any(e =>
            (e.Get("Channel-Name") ?? "").StartsWith("sofia/", StringComparison.Ordinal) ||
            e.Get("Application") is "bridge" or "originate" ||
            (e.Name == "BACKGROUND_JOB" && (e.Get("Job-Command") ?? "").Contains("originate", StringComparison.Ordinal)));

    /// <summary>A signaling connection: room events as they arrive.</summary>
    public static Task<SignalClient> ConnectSignalingAsync(this RoomWorld world, string userId) =>
        SignalClient.ConnectAsync(world.BaseAddress, world.Services, userId, world.TokenFor(userId));

    public static void SetCarrier(this RoomWorld world, string number, string behaviour, int delayMs = 300) =>
        world.Sim.Switch.SetGatewayRules("carrier", [new GatewayRule(number, behaviour, delayMs)]);
}

/// <summary>A user's signaling WebSocket; <see cref="NextAsync"/> returns the next room event's type and JSON.</summary>
internal sealed class SignalClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly Task _reader;

    public SignalClient(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>A signaling WebSocket of <paramref name="userId"/> on the service at <paramref name="baseAddress"/>,
    /// once that service has it online.</summary>
    public static async Task<SignalClient> ConnectAsync(Uri baseAddress, IServiceProvider services, string userId, string token)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        await socket.ConnectAsync(new UriBuilder(baseAddress) { Scheme = "ws", Path = SignalingApi.Path }.Uri, CancellationToken.None);
        var client = new SignalClient(socket);
        await ServiceHostWait.UntilAsync(() => services.GetRequiredService<SignalHub>().IsOnline(userId), $"{userId} online on signaling");
        return client;
    }

    /// <summary>Completes when the socket is closed (by either side).</summary>
    public Task Closed => _reader;

    /// <summary>Waits for an event of <paramref name="type"/>, skipping others.</summary>
    public async Task<JsonElement> UntilAsync(string type)
    {
        using var timeout = new CancellationTokenSource(RoomSteps.Wait);
        while (true)
        {
            var e = await _events.Reader.ReadAsync(timeout.Token);
            if (e.GetProperty("type").GetString() == type)
            {
                return e;
            }
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[8192];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var r = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    // Answer the server's close (a stopping instance sends one), as browsers do.
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    break;
                }

                using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, r.Count));
                _events.Writer.TryWrite(doc.RootElement.Clone());
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        await _reader;
        _socket.Dispose();
    }
}
