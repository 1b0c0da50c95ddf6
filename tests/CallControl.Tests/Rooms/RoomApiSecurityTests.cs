using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using CallControl.Auth;
using CallControl.Rooms;
using CallControl.Tests.Scenarios;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Tests.Rooms;

/// <summary>Who may use the room API, and what user-supplied text it refuses before anything reaches FreeSWITCH.</summary>
[Collection(RoomWorldGroup.Name)]
public sealed class RoomApiSecurityTests(RoomWorld world)
{
    public static TheoryData<string, string> Injections()
    {
        var data = new TheoryData<string, string>();
        string[] numbers =
        [
            "+15552220001,+15552220002", "+15552220001|+15552220002", "{ignore_early_media=true}+15552220001",
            "+15552220001}", "[x=1]+15552220001", "+15552220001^", "+15552220001&park()", "+1555:2220001",
            "+15552220001@evil.example", "+1555/2220001", "sofia/gateway/carrier/+15552220001",
            "+15552220001\n+15552220002", "+15552220001\r\napi uuid_kill all", "+15552220001%0A", "+١٥٥٥٢٢٢٠٠٠١", "+１５５５２２２０００１",
        ];
        foreach (var n in numbers)
        {
            data.Add("calleeNumber", n);
        }

        foreach (var v in new[] { "bob,sofia/gateway/carrier/+15552220001", "bob|x", "{x}", "bob]", "bob^", "bob&park", "bob:1", "bob@x", "bob/x", "bob\nx", "bob%0A", "bób" })
        {
            data.Add("callee", v);
        }

        foreach (var v in new[] { "audio,video", "video}", "sofia/x", "audio\n" })
        {
            data.Add("media", v);
        }

        foreach (var v in new[] { "symmetric|x", "{open}", "open\r\n", "open%0A" })
        {
            data.Add("natType", v);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task Create_with_dial_string_injection_is_rejected_naming_the_field_and_originates_nothing(string field, string value)
    {
        var mark = world.Events.Count;
        var caller = await world.AddUserAsync("alice");
        var callee = await world.AddUserAsync("bob", "+15552220009");
        var body = new Dictionary<string, object?> { ["callee"] = callee, ["media"] = "audio" };
        if (field == "calleeNumber")
        {
            body.Remove("callee");
        }

        body[field] = value;
        using var response = await world.ClientFor(caller).PostAsJsonAsync("/api/rooms", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.DoesNotContain(value, problem.ToString(), StringComparison.Ordinal);
        Assert.False(world.OriginatedSince(mark));
        Assert.Equal(0, await RoomCountAsync(caller));
    }

    [Fact]
    public async Task Forged_token_is_401()
    {
        var caller = await world.AddUserAsync("alice");
        var forger = new TokenService(
            Options.Create(new AuthOptions { SigningKey = "not-the-service-key-but-long-enough-0123456789" }), TimeProvider.System);
        using var client = world.ClientWithToken(forger.Mint(caller, null, TimeSpan.FromHours(1)));

        using var create = await client.PostAsJsonAsync("/api/rooms", new { calleeNumber = "+15552220001" });
        Assert.Equal(HttpStatusCode.Unauthorized, create.StatusCode);
        Assert.Equal(0, await RoomCountAsync(caller));
    }

    [Fact]
    public async Task Expired_token_is_401_on_the_api_and_on_signaling()
    {
        var caller = await world.AddUserAsync("alice");
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-3));
        var issuer = new TokenService(Options.Create(new AuthOptions { SigningKey = RoomWorld.SigningKey }), past);
        var expired = issuer.Mint(caller, null, TimeSpan.FromMinutes(5));
        using var client = world.ClientWithToken(expired);

        using var get = await client.GetAsync("/api/rooms/0123456789abcdef");
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);

        using var socket = new ClientWebSocket();
        var uri = new UriBuilder(world.BaseAddress) { Scheme = "ws", Path = SignalingApi.Path, Query = "access_token=" + expired }.Uri;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));
        Assert.False(((SignalHub)world.Services.GetService(typeof(SignalHub))!).IsOnline(caller));
    }

    [Fact]
    public async Task Signaling_accepts_the_token_as_access_token_query_for_browsers()
    {
        var user = await world.AddUserAsync("carol");
        using var socket = new ClientWebSocket();
        var uri = new UriBuilder(world.BaseAddress) { Scheme = "ws", Path = SignalingApi.Path, Query = "access_token=" + world.TokenFor(user) }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        var hub = (SignalHub)world.Services.GetService(typeof(SignalHub))!;
        await Support.ServiceHostWait.UntilAsync(() => hub.IsOnline(user), "online");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await Support.ServiceHostWait.UntilAsync(() => !hub.IsOnline(user), "offline after close");
    }

    [Fact]
    public async Task Stranger_gets_403_and_an_unknown_room_404()
    {
        var (caller, callee, stranger) =
            (await world.AddUserAsync("alice"), await world.AddUserAsync("bob"), await world.AddUserAsync("mallory"));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        var room = await world.ClientFor(caller).CreateRoomAsync(new { callee });
        var mallory = world.ClientFor(stranger);

        using var get = await mallory.GetAsync($"/api/rooms/{room.RoomId}");
        using var join = await mallory.PostAsJsonAsync($"/api/rooms/{room.RoomId}/join", new { });
        using var busy = await mallory.PostAsync($"/api/rooms/{room.RoomId}/busy", null);
        using var cancel = await mallory.DeleteAsync($"/api/rooms/{room.RoomId}");
        Assert.All([get, join, busy, cancel], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));

        // The caller cannot answer its own call, nor the callee cancel it.
        using var callerJoins = await world.ClientFor(caller).PostAsJsonAsync($"/api/rooms/{room.RoomId}/join", new { });
        using var calleeCancels = await world.ClientFor(callee).DeleteAsync($"/api/rooms/{room.RoomId}");
        Assert.Equal(HttpStatusCode.Forbidden, callerJoins.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, calleeCancels.StatusCode);

        using var unknown = await mallory.GetAsync("/api/rooms/0000000000000000");
        using var garbage = await mallory.GetAsync("/api/rooms/room-x%2C1");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, garbage.StatusCode);
        Assert.Equal("ringing", (await world.ClientFor(caller).RoomAsync(room.RoomId)).Call!.Status);

        using var end = await world.ClientFor(caller).DeleteAsync($"/api/rooms/{room.RoomId}");
        Assert.True(end.IsSuccessStatusCode);
    }

    private async Task<long> RoomCountAsync(string caller)
    {
        await using var command = world.Database.CreateCommand("SELECT count(*) FROM rooms WHERE caller_user_id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = caller });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
