using System.Net;
using CallControl.Auth;
using CallControl.Tests.Scenarios;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Recording;

/// <summary><c>POST /api/calls/{id}/recording</c>: start, stop, pause and resume by the parties and admins, mapped to
/// FreeSWITCH's uuid_record verbs on the service's own file; 400, 403, 404 and 409 change nothing.</summary>
[Collection(RoomWorldGroup.Name)]
public sealed class RecordingControlApiTests(RoomWorld world)
{
    [Fact]
    public async Task Pause_resume_stop_and_start_again_drive_uuid_record_and_the_rows()
    {
        var call = await world.AnsweredRecordedCallAsync();
        var first = Assert.Single(await world.UntilRecordingsAsync(call.CallId, 1, ["recording"]));
        var bob = world.ClientFor(call.Callee);

        using (var paused = await bob.RecordingActionAsync(call.CallId, new { action = "pause" }))
        {
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
            var body = await paused.JsonAsync();
            Assert.Equal(first.Id, body.GetProperty("recordingId").GetGuid());
            Assert.Equal("paused", body.GetProperty("state").GetString());
        }

        Assert.Equal("paused", Assert.Single(await world.RecordingsAsync(call.CallId)).State);
        await AssertConflictAsync(bob, call.CallId, "pause");
        using (var resumed = await bob.RecordingActionAsync(call.CallId, new { action = "resume" }))
        {
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        }

        Assert.Equal("recording", Assert.Single(await world.RecordingsAsync(call.CallId)).State);
        await AssertConflictAsync(bob, call.CallId, "resume");
        await AssertConflictAsync(bob, call.CallId, "start");
        var alice = world.ClientFor(call.Caller);
        using (var stopped = await alice.RecordingActionAsync(call.CallId, new { action = "stop" }))
        {
            Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
            Assert.Equal("stopped", (await stopped.JsonAsync()).GetProperty("state").GetString());
        }

        var stoppedRow = Assert.Single(await world.UntilRecordingsAsync(call.CallId, 1, ["stopped"]));
        Assert.NotNull(stoppedRow.DurationMs);
        // Stopped but the call goes on: not archived yet (it waits for the call's end).
        Assert.Null(stoppedRow.ArchiveJobId);
        await AssertConflictAsync(alice, call.CallId, "stop");
        await AssertConflictAsync(alice, call.CallId, "pause");

        Guid second;
        using (var again = await alice.RecordingActionAsync(call.CallId, new { action = "start" }))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            second = (await again.JsonAsync()).GetProperty("recordingId").GetGuid();
        }

        var rows = await world.UntilRecordingsAsync(call.CallId, 2, ["stopped", "recording"]);
        var secondRow = Assert.Single(rows, r => r.Id == second);
        Assert.Equal($"{call.Room.RoomId}/{call.CallId:D}-2.wav", secondRow.RelativePath);
        Assert.Equal(second.ToString(), await world.CallRecordingIdAsync(call.CallId));
        Assert.Equal(
            [
                $"{call.CallerLeg} start {first.NodePath}",
                $"{call.CallerLeg} pause {first.NodePath}",
                $"{call.CallerLeg} resume {first.NodePath}",
                $"{call.CallerLeg} stop {first.NodePath}",
                $"{call.CallerLeg} start {secondRow.NodePath}",
            ],
            world.UuidRecordCommands(call.CallerLeg));

        world.Sim.Switch.Hangup(call.CallerLeg);
        var done = await world.UntilRecordingsAsync(call.CallId, 2, ["archived", "failed"], RecordingSteps.ArchiveWait);
        Assert.All(done, r => Assert.Equal("archived", r.State));
        await AssertConflictAsync(alice, call.CallId, "start");
    }

    [Fact]
    public async Task Bad_actions_strangers_unknown_calls_and_unanswered_calls_are_refused_and_change_nothing()
    {
        var call = await world.AnsweredRecordedCallAsync();
        var row = Assert.Single(await world.UntilRecordingsAsync(call.CallId, 1, ["recording"]));
        var alice = world.ClientFor(call.Caller);
        var stranger = world.ClientFor(await world.AddUserAsync("eve"));
        var marks = world.UuidRecordCommands(call.CallerLeg).Count;

        foreach (var bad in new object[] { new { action = "rewind" }, new { action = "PAUSE" }, new { action = "" }, new { } })
        {
            using var response = await alice.RecordingActionAsync(call.CallId, bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("action", (await response.JsonAsync()).GetProperty("field").GetString());
        }

        using (var forbidden = await stranger.RecordingActionAsync(call.CallId, new { action = "stop" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        using (var unknown = await alice.RecordingActionAsync(Guid.NewGuid(), new { action = "stop" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using (var anonymous = await world.ClientWithToken(null).RecordingActionAsync(call.CallId, new { action = "stop" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        Assert.Equal(marks, world.UuidRecordCommands(call.CallerLeg).Count);
        Assert.Equal("recording", Assert.Single(await world.RecordingsAsync(call.CallId)).State);

        // An admin who is not a party may act.
        var admin = world.ClientWithToken(world.Services.GetRequiredService<TokenService>().Mint("ops", AuthPolicies.AdminRole, TimeSpan.FromMinutes(5)));
        using (var byAdmin = await admin.RecordingActionAsync(call.CallId, new { action = "pause" }))
        {
            Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        }

        world.Sim.Switch.Hangup(call.CallerLeg);
        await alice.UntilStatusAsync(call.Room.RoomId, "completed");
        await AssertConflictAsync(alice, call.CallId, "resume");
        Assert.Equal(row.Id, Assert.Single(await world.RecordingsAsync(call.CallId)).Id);
    }

    [Fact]
    public async Task A_ringing_call_cannot_be_recorded()
    {
        var (caller, callee) = (await world.AddUserAsync("rec-c"), await world.AddUserAsync("rec-d"));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee, record = true });
        await calleeSignal.UntilAsync("invite");
        var callerLeg = await world.EnterRoomAsync(room);

        await AssertConflictAsync(alice, room.CallId, "start");
        Assert.Empty(world.UuidRecordCommands(callerLeg));
        Assert.Empty(await world.RecordingsAsync(room.CallId));
        world.Sim.Switch.Hangup(callerLeg);
    }

    [Fact]
    public async Task The_file_is_the_services_choice_whatever_the_request_says()
    {
        var call = await world.AnsweredRecordedCallAsync();
        await world.UntilRecordingsAsync(call.CallId, 1, ["recording"]);
        var alice = world.ClientFor(call.Caller);
        using (await alice.RecordingActionAsync(call.CallId, new { action = "stop" }))
        {
        }

        var evil = Path.Combine(Path.GetTempPath(), "evil-" + Guid.NewGuid().ToString("N") + ".wav");
        using (var started = await alice.RecordingActionAsync(call.CallId, new { action = "start", path = evil, file = "../../etc/x.wav", leg = call.CalleeLeg }))
        {
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        }

        Assert.Equal(
            $"{call.CallerLeg} start {world.RecordingsFolder}/{call.Room.RoomId}/{call.CallId:D}-2.wav",
            world.UuidRecordCommands(call.CallerLeg)[^1]);
        Assert.Empty(world.UuidRecordCommands(call.CalleeLeg));
        world.Sim.Switch.Hangup(call.CallerLeg);
        await world.UntilRecordingsAsync(call.CallId, 2, ["archived", "failed"], RecordingSteps.ArchiveWait);
        Assert.False(File.Exists(evil));
    }

    private static async Task AssertConflictAsync(HttpClient client, Guid callId, string action)
    {
        using var response = await client.RecordingActionAsync(callId, new { action });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }
}
