using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallControl.Data;
using CallControl.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CallControl.Tests.Scenarios;

/// <summary>Direct phone calls (<c>calleeNumber</c>) through the carrier gateway, and the dialing policy before them.</summary>
[Collection(RoomWorldGroup.Name)]
public sealed class PhoneCallScenarioTests(RoomWorld world)
{
    [Fact]
    public async Task Carrier_486_ends_busy()
    {
        var alice = world.ClientFor(await world.AddUserAsync("alice"));
        world.SetCarrier("+1555222", "busy");
        var room = await alice.CreateRoomAsync(new { calleeNumber = "+15552220001" });
        await world.EnterRoomAsync(room);
        await alice.UntilStatusAsync(room.RoomId, "busy");

        var call = await world.CallAsync(room.CallId);
        Assert.Equal(["->ringing:created", "ringing>busy:carrier_busy"], call.Steps());
        var legs = await world.LegsAsync(room.CallId, 2);
        var pstn = legs.Single(l => l.Role == "pstn");
        Assert.Equal(("USER_BUSY", "486"), (pstn.HangupCause, pstn.SipTermStatus));
        Assert.Equal("caller", legs.Single(l => l.Role != "pstn").Role);
    }

    [Fact]
    public async Task Carrier_183_early_media_reaches_the_caller_before_the_answer()
    {
        var alice = world.ClientFor(await world.AddUserAsync("alice"));
        world.SetCarrier("+1555222", "early-answer", 1000);
        var room = await alice.CreateRoomAsync(new { calleeNumber = "+15552220002" });
        var callerLeg = await world.EnterRoomAsync(room);
        var answered = await alice.UntilStatusAsync(room.RoomId, "answered");
        Assert.Equal("pstn", answered.Call!.AnsweredVia);
        Assert.Null(answered.Call.FallbackReason);

        // In the simulator's event stream: the caller's leg has early media (PROGRESS_MEDIA) before the carrier answers.
        var events = world.Events.ToArray();
        var pstnLeg = world.Sim.Switch.Channel(callerLeg)!.OtherLegUuid!;
        var callerEarly = Array.FindIndex(events, e => e.UniqueId == callerLeg && e.Name == "CHANNEL_PROGRESS_MEDIA");
        var carrierAnswer = Array.FindIndex(events, e => e.UniqueId == pstnLeg && e.Name == "CHANNEL_ANSWER");
        Assert.True(callerEarly >= 0, "the caller's leg got no early media");
        Assert.True(carrierAnswer > callerEarly, "the caller's early media came after the carrier answered");

        world.Sim.Switch.Hangup(callerLeg);
        await alice.UntilStatusAsync(room.RoomId, "completed");
        var call = await world.CallAsync(room.CallId);
        Assert.Equal(["->ringing:created", "ringing>answered:pstn_answered"], call.Steps().Take(2));
        var legs = await world.LegsAsync(room.CallId, 2);
        Assert.NotNull(legs.Single(l => l.Role == "pstn").ProgressMediaAt);
    }

    [Fact]
    public async Task Unreachable_gateway_ends_failed()
    {
        var alice = world.ClientFor(await world.AddUserAsync("alice"));
        world.SetCarrier("+1555222", "unreachable");
        var room = await alice.CreateRoomAsync(new { calleeNumber = "+15552220003" });
        var callerLeg = await world.EnterRoomAsync(room);
        await alice.UntilStatusAsync(room.RoomId, "failed");

        var call = await world.CallAsync(room.CallId);
        Assert.Equal(["->ringing:created", "ringing>failed:carrier_failed"], call.Steps());
        var legs = await ServiceHostWait.UntilAsync(
            () => world.Services.GetRequiredService<LegStore>().ListForCallAsync(room.CallId),
            l => l.Any(x => x.Role == "caller" && x.EndAt is not null), "the caller's CDR", RoomSteps.Wait);
        Assert.Equal(Guid.Parse(callerLeg), legs.Single(l => l.Role == "caller").LegUuid);
    }

    [Fact]
    public async Task Blocked_number_is_a_failed_call_with_reason_policy_and_nothing_is_originated()
    {
        var mark = world.Events.Count;
        var alice = world.ClientFor(await world.AddUserAsync("alice"));
        using var response = await alice.PostAsJsonAsync("/api/rooms", new { calleeNumber = "+19005550100" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("calleeNumber", problem.GetProperty("field").GetString());
        Assert.Equal("blocked_prefix", problem.GetProperty("reason").GetString());

        var call = await world.CallAsync(problem.GetProperty("callId").GetGuid());
        Assert.Equal("failed", call.Call.Status);
        Assert.Equal(["->ringing:created", "ringing>failed:policy"], call.Steps());
        Assert.False(world.OriginatedSince(mark));
    }

    [Fact]
    public async Task A_caller_at_the_live_carrier_call_limit_is_refused_and_nothing_is_originated()
    {
        var aliceId = await world.AddUserAsync("alice");
        var alice = world.ClientFor(aliceId);
        // As many live carrier calls as the world's policy allows (Dialing:MaxConcurrentPstnCalls = 1000).
        await using (var connection = await world.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        {
            var room = RoomStore.NewId();
            await connection.ExecuteAsync(
                """
                INSERT INTO rooms (id, caller_user_id, callee_number, media) VALUES (@room, @aliceId, '+15552220001', 'audio');
                INSERT INTO calls (id, room_id, caller, callee_number, media, status, pstn_dialed_at)
                SELECT gen_random_uuid(), @room, @aliceId, '+15552220001', 'audio', 'answered', now() FROM generate_series(1, 1000);
                """, new { room, aliceId });
        }

        try
        {
            var mark = world.Events.Count;
            using var response = await alice.PostAsJsonAsync("/api/rooms", new { calleeNumber = "+15552220001" });

            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("concurrency_limit", problem.GetProperty("reason").GetString());
            Assert.False(world.OriginatedSince(mark));
        }
        finally
        {
            // The world is shared: its other tests must not see a thousand live calls.
            await using var connection = await world.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            await connection.ExecuteAsync(
                "DELETE FROM calls WHERE caller = @aliceId AND pstn_dialed_at IS NOT NULL AND status = 'answered'", new { aliceId });
        }
    }

    [Theory]
    [InlineData("15552220001")]
    [InlineData("+1 555 222 0001")]
    [InlineData("+0552220001")]
    [InlineData("+1555")]
    public async Task Malformed_number_is_rejected_naming_the_field_and_nothing_is_originated(string number)
    {
        var mark = world.Events.Count;
        var alice = world.ClientFor(await world.AddUserAsync("alice"));
        using var response = await alice.PostAsJsonAsync("/api/rooms", new { calleeNumber = number });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("calleeNumber", out _));
        Assert.False(world.OriginatedSince(mark));
    }
}
