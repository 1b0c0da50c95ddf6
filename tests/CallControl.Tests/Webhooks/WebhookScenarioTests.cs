using System.Net;
using System.Text.Json;
using CallControl.Tests.Scenarios;
using CallControl.Tests.Support;
using CallControl.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Webhooks;

/// <summary>
/// Status webhooks end to end: simulated calls through the room API and the simulator, events recorded on the real
/// database, delivered by Hangfire jobs on its PostgreSQL storage to receivers on loopback that check signatures.
/// </summary>
[Collection(WebhookWorldGroup.Name)]
public sealed class WebhookScenarioTests(WebhookWorld fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private RoomWorld World => fixture.Rooms;

    [Fact]
    public async Task An_answered_app_call_sends_ringing_answered_completed_in_order_to_the_room_url()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookWorld.Secret);

        var callId = await AnsweredCallAsync(receiver.Url);

        var events = await ProcessedAsync(receiver, callId, 3);
        Assert.Equal(["call.ringing", "call.answered", "call.completed"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(["ringing", "answered", "completed"], events.Select(e => e.GetProperty("data").GetProperty("status").GetString()));
        Assert.Equal("app", events[1].GetProperty("data").GetProperty("answeredVia").GetString());
        Assert.Equal("NORMAL_CLEARING", events[2].GetProperty("data").GetProperty("hangupCause").GetString());
        Assert.All(receiver.Requests, r => Assert.True(r.SignatureValid));
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Equal(3, events.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        // The room's URL overrides the deployment's: the deployment receiver heard nothing of this call.
        Assert.Empty(fixture.Deployment.ProcessedFor(callId));
    }

    [Fact]
    public async Task A_receiver_that_fails_then_recovers_gets_every_event_once_and_each_attempt_is_logged()
    {
        // A 500 (not processed), then a reply slower than the 1 s timeout (processed, but we cannot know): both retried.
        await using var receiver = await WebhookReceiver.StartAsync(WebhookWorld.Secret, ReceiverReply.ServerError, ReceiverReply.SlowOk);

        var callId = await AnsweredCallAsync(receiver.Url);

        var events = await ProcessedAsync(receiver, callId, 3);
        Assert.Equal(["call.ringing", "call.answered", "call.completed"], events.Select(e => e.GetProperty("type").GetString()));
        await ServiceHostWait.UntilAsync(() => Task.FromResult(receiver.Requests.Count), n => n == 5, "5 requests", Wait);
        Assert.Equal(
            ["call.ringing", "call.ringing", "call.ringing", "call.answered", "call.completed"],
            receiver.Requests.Select(r => r.Type));
        Assert.All(receiver.Requests, r => Assert.True(r.SignatureValid));

        using var admin = World.ClientWithToken(AdminToken());
        var ringing = events[0].GetProperty("id").GetString();
        var detail = await ServiceHostWait.UntilAsync(
            () => admin.GetFromJsonAsync($"/api/admin/webhooks/{ringing}"), d => d.GetProperty("event").GetProperty("state").GetString() == "delivered",
            "the ringing event delivered", Wait);
        var attempts = detail.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([500, 0, 204], attempts.Select(a => a.GetProperty("httpStatus").ValueKind == JsonValueKind.Null ? 0 : a.GetProperty("httpStatus").GetInt32()));
        Assert.Equal(["retry", "retry", "delivered"], attempts.Select(a => a.GetProperty("outcome").GetString()));
        Assert.StartsWith("timeout", attempts[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("call.ringing", detail.GetProperty("payload").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_room_without_its_own_url_reports_to_the_deployment_url()
    {
        // The callee has no signaling connection and no phone: the call ends offline at once.
        var caller = await World.AddUserAsync("alice");
        var callee = await World.AddUserAsync("bob");
        var room = await World.ClientFor(caller).CreateRoomAsync(new { callee });

        var events = await ProcessedAsync(fixture.Deployment, room.CallId, 2);
        Assert.Equal(["call.ringing", "call.completed"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(("offline", "ringing"), (events[1].GetProperty("data").GetProperty("status").GetString(),
            events[1].GetProperty("data").GetProperty("previousStatus").GetString()));
        Assert.Equal(room.RoomId, events[1].GetProperty("roomId").GetString());
    }

    [Fact]
    public async Task The_admin_api_lists_a_calls_events_for_admins_only_and_names_bad_parameters()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookWorld.Secret);
        var caller = await World.AddUserAsync("alice");
        // Ends offline at once (callee not connected, no phone): two events.
        var room = await World.ClientFor(caller).CreateRoomAsync(new { callee = await World.AddUserAsync("bob"), webhookUrl = receiver.Url.AbsoluteUri });
        await ProcessedAsync(receiver, room.CallId, 2);

        using var admin = World.ClientWithToken(AdminToken());
        var page = await ServiceHostWait.UntilAsync(
            () => admin.GetFromJsonAsync($"/api/admin/webhooks?callId={room.CallId}&state=delivered"),
            p => p.GetProperty("events").GetArrayLength() == 2, "the two delivered events", Wait);
        var listed = page.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["call.completed", "call.ringing"], listed.Select(e => e.GetProperty("type").GetString()));
        Assert.All(listed, e => Assert.Equal((receiver.Url.AbsoluteUri, 1), (e.GetProperty("url").GetString(), e.GetProperty("attempts").GetInt32())));
        Assert.Empty((await admin.GetFromJsonAsync($"/api/admin/webhooks?callId={room.CallId}&state=failed")).GetProperty("events").EnumerateArray());
        var listedFirst = listed[0];

        using (var user = await World.ClientFor(caller).GetAsync($"/api/admin/webhooks?callId={room.CallId}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
        }

        using (var userDetail = await World.ClientFor(caller).GetAsync($"/api/admin/webhooks/{listedFirst.GetProperty("id").GetString()}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, userDetail.StatusCode);
        }

        using (var anonymous = await World.ClientWithToken(null).GetAsync("/api/admin/webhooks"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var bad = await admin.GetAsync("/api/admin/webhooks?callId=nope&state=lost&limit=0"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            using var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
            var errors = problem.RootElement.GetProperty("errors");
            Assert.True(errors.TryGetProperty("callId", out _) && errors.TryGetProperty("state", out _) && errors.TryGetProperty("limit", out _));
        }

        using (var missing = await admin.GetAsync($"/api/admin/webhooks/{Guid.NewGuid()}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
    }

    private string AdminToken() =>
        World.Services.GetRequiredService<CallControl.Auth.TokenService>().Mint("admin-" + Guid.NewGuid().ToString("N")[..8], CallControl.Auth.AuthPolicies.AdminRole, TimeSpan.FromHours(1));

    /// <summary>The app-to-app call of the scenario tests: alerted, joined, bridged, the caller hangs up. Its room reports to <paramref name="webhookUrl"/>.</summary>
    private async Task<Guid> AnsweredCallAsync(Uri webhookUrl)
    {
        var (caller, callee) = (await World.AddUserAsync("alice"), await World.AddUserAsync("bob"));
        await using var calleeSignal = await World.ConnectSignalingAsync(callee);
        var alice = World.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee, webhookUrl = webhookUrl.AbsoluteUri });
        await calleeSignal.UntilAsync("invite");
        var callerLeg = await World.EnterRoomAsync(room);
        var joined = await World.ClientFor(callee).JoinAsync(room.RoomId);
        await World.EnterRoomAsync(joined);
        await alice.UntilStatusAsync(room.RoomId, "answered");
        World.Sim.Switch.Hangup(callerLeg);
        await alice.UntilStatusAsync(room.RoomId, "completed");
        return room.CallId;
    }

    private static Task<IReadOnlyList<JsonElement>> ProcessedAsync(WebhookReceiver receiver, Guid callId, int count) =>
        ServiceHostWait.UntilAsync(() => Task.FromResult(receiver.ProcessedFor(callId)), e => e.Count >= count, $"{count} events of call {callId}", Wait);
}

internal static class AdminJson
{
    public static async Task<JsonElement> GetFromJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }
}
