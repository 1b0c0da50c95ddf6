using System.Globalization;
using System.Text.Json;
using CallControl.Calls.Recording;
using CallControl.Tests.Scenarios;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Recording;

/// <summary>
/// A room with record: true, end to end: the simulated node records the bridged call (stereo, into the folder the
/// service chose), RECORD_START/STOP and the call's end are tracked in PostgreSQL, and the archive job (real Hangfire
/// storage, real files) leaves an Ogg/Opus file that ffprobe and opusinfo accept.
/// </summary>
[Collection(RoomWorldGroup.Name)]
public sealed class RecordedCallArchiveTests(RoomWorld world)
{
    [Fact]
    public async Task A_recorded_call_ends_archived_as_stereo_ogg_opus_of_the_talk_time()
    {
        var call = await world.AnsweredRecordedCallAsync();
        var started = Assert.Single(await world.UntilRecordingsAsync(call.CallId, 1, ["recording"]));
        var relative = $"{call.Room.RoomId}/{call.CallId:D}.wav";
        Assert.Equal(relative, started.RelativePath);
        Assert.Equal($"{world.RecordingsFolder}/{relative}", started.NodePath);
        Assert.Equal(Guid.Parse(call.CallerLeg), started.LegUuid);
        Assert.Equal(started.Id.ToString(), await world.CallRecordingIdAsync(call.CallId));
        // RECORD_STEREO is set on the leg before uuid_record starts: one party per channel.
        var commands = world.Events.Where(e => e.Name == "API" && (e.Get("API-Command-Argument") ?? "").StartsWith(call.CallerLeg, StringComparison.Ordinal))
            .Select(e => $"{e.Get("API-Command")} {e.Get("API-Command-Argument")}").ToList();
        var stereo = commands.IndexOf($"uuid_setvar {call.CallerLeg} RECORD_STEREO true");
        var start = commands.IndexOf($"uuid_record {call.CallerLeg} start {started.NodePath}");
        Assert.InRange(stereo, 0, start - 1);

        await Task.Delay(TimeSpan.FromSeconds(2)); // the parties talk
        world.Sim.Switch.Hangup(call.CallerLeg);

        var archived = Assert.Single(await world.UntilRecordingsAsync(call.CallId, 1, ["archived", "failed"], RecordingSteps.ArchiveWait));
        Assert.Equal("archived", archived.State);
        Assert.NotNull(archived.StoppedAt);
        Assert.NotNull(archived.CallEndedAt);
        Assert.InRange(archived.DurationMs!.Value, 1900, 60_000);
        Assert.False(string.IsNullOrEmpty(archived.ArchiveJobId));
        Assert.NotEqual(RecordingStore.EnqueuingMarker, archived.ArchiveJobId);

        var file = new Uri(archived.ArchiveLocation!).LocalPath;
        Assert.StartsWith(world.ArchiveFolder, file, StringComparison.Ordinal);
        var (code, json) = await RecordingSteps.RunAsync(
            "ffprobe", "-v", "error", "-show_entries", "stream=codec_name,channels:format=format_name,duration", "-of", "json", file);
        Assert.True(code == 0, json);
        using var probe = JsonDocument.Parse(json);
        var stream = probe.RootElement.GetProperty("streams")[0];
        Assert.Equal("opus", stream.GetProperty("codec_name").GetString());
        Assert.Equal(2, stream.GetProperty("channels").GetInt32());
        Assert.Equal("ogg", probe.RootElement.GetProperty("format").GetProperty("format_name").GetString());
        var seconds = double.Parse(probe.RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, (archived.DurationMs.Value / 1000.0) - 0.25, (archived.DurationMs.Value / 1000.0) + 0.25);
        var (opusCode, info) = await RecordingSteps.RunAsync("opusinfo", file);
        Assert.True(opusCode == 0, info);
        Assert.Contains("Channels: 2", info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_archive_is_enqueued_once_whatever_repeats_the_stop_or_the_call_end()
    {
        var call = await world.AnsweredRecordedCallAsync();
        await world.UntilRecordingsAsync(call.CallId, 1, ["recording"]);
        world.Sim.Switch.Hangup(call.CalleeLeg);
        var archived = Assert.Single(await world.UntilRecordingsAsync(call.CallId, 1, ["archived", "failed"], RecordingSteps.ArchiveWait));
        Assert.Equal("archived", archived.State);

        // The call's end told again, and the trigger tried again: nothing new is enqueued.
        await world.Services.GetRequiredService<RecordingTracker>().CallEndedAsync(call.CallId, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Null(await world.Services.GetRequiredService<RecordingArchiveTrigger>().TryEnqueueAsync(archived.Id, CancellationToken.None));
        var after = Assert.Single(await world.RecordingsAsync(call.CallId));
        Assert.Equal(archived.ArchiveJobId, after.ArchiveJobId);
        Assert.Equal(archived.CallEndedAt, after.CallEndedAt);
        Assert.Equal("archived", after.State);
    }

    [Fact]
    public async Task The_sweep_releases_a_stale_claim_and_enqueues_what_the_trigger_left_behind()
    {
        var call = await world.AnsweredRecordedCallAsync();
        await world.UntilRecordingsAsync(call.CallId, 1, ["recording"]);
        using (var stop = await world.ClientFor(call.Caller).RecordingActionAsync(call.CallId, new { action = "stop" }))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, stop.StatusCode);
        }

        var stopped = Assert.Single(await world.UntilRecordingsAsync(call.CallId, 1, ["stopped"]));
        var sweep = world.Services.GetRequiredService<RecordingArchiveSweep>();
        // The call goes on: a stopped recording of a live call is nobody's work yet.
        Assert.DoesNotContain(stopped.Id, await world.Services.GetRequiredService<RecordingStore>().ArchiveDueAsync(1000, CancellationToken.None));

        // An instance claimed the archive when the call ended, then died before it enqueued: the row says so.
        await using (var connection = await world.Database.OpenConnectionAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE recordings SET call_ended_at = now(), archive_job_id = 'enqueuing', updated_at = now() - interval '10 minutes'
                WHERE id = @id
                """;
            command.Parameters.AddWithValue("id", stopped.Id);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var (released, enqueued) = await sweep.SweepOnceAsync(CancellationToken.None);
        Assert.True(released >= 1, $"released {released}");
        Assert.True(enqueued >= 1, $"enqueued {enqueued}");
        var archived = Assert.Single(await world.UntilRecordingsAsync(call.CallId, 1, ["archived", "failed"], RecordingSteps.ArchiveWait));
        Assert.Equal("archived", archived.State);
        Assert.False(string.IsNullOrEmpty(archived.ArchiveJobId));
        Assert.NotEqual(RecordingStore.EnqueuingMarker, archived.ArchiveJobId);

        // Nothing is due any more, and the call's real end enqueues nothing new.
        Assert.DoesNotContain(archived.Id, await world.Services.GetRequiredService<RecordingStore>().ArchiveDueAsync(1000, CancellationToken.None));
        world.Sim.Switch.Hangup(call.CallerLeg);
        await world.ClientFor(call.Caller).UntilStatusAsync(call.Room.RoomId, "completed");
        var after = Assert.Single(await world.RecordingsAsync(call.CallId));
        Assert.Equal(archived.ArchiveJobId, after.ArchiveJobId);
        Assert.Equal("archived", after.State);
    }

    [Fact]
    public async Task The_reply_and_the_record_start_inserting_the_same_recording_at_once_leave_one_row_and_no_error()
    {
        var call = await world.AnsweredRecordedCallAsync();
        var first = Assert.Single(await world.UntilRecordingsAsync(call.CallId, 1, ["recording"]));
        var store = world.Services.GetRequiredService<RecordingStore>();
        var again = new StartedRecording(
            Guid.NewGuid(), call.CallId, first.FreeswitchNode!, first.LegUuid!.Value, first.NodePath + ".again.wav",
            first.RelativePath + ".again.wav", DateTime.UtcNow);

        // Both paths insert the same recording (same id, same file), as the API's reply and RECORD_START do, at once.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.InsertStartedAsync(again, CancellationToken.None))));
        // The same recording again, its path spelled another way (a doubled slash): a duplicate id is nothing either.
        await store.InsertStartedAsync(again with { NodePath = again.NodePath.Replace("/", "//", StringComparison.Ordinal) }, CancellationToken.None);

        var rows = await world.RecordingsAsync(call.CallId);
        Assert.Single(rows, r => r.Id == again.Id);
        Assert.Equal(2, rows.Count);
        Assert.Equal(again.Id.ToString(), await world.CallRecordingIdAsync(call.CallId));
        world.Sim.Switch.Hangup(call.CallerLeg);
    }
}
