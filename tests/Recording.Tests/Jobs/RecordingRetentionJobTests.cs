using CallControl.Recording.Jobs;
using CallControl.Recording.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Recording.Tests.Jobs;

[Collection(DatabaseGroup.Name)]
public sealed class RecordingRetentionJobTests(DatabaseFixture db)
{
    [Fact]
    public async Task Purges_archived_recordings_past_the_rooms_or_the_global_retention_and_nothing_else()
    {
        var now = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(now);
        using var host = new ArchiveHost(
            db,
            new Dictionary<string, string?> { ["Recording:RetentionDays"] = "30" },
            services => services.AddSingleton<TimeProvider>(clock));

        var globalDue = await Archived(host, now.AddDays(-31), roomDays: null);
        var globalKept = await Archived(host, now.AddDays(-29), roomDays: null);
        var roomDue = await Archived(host, now.AddDays(-8), roomDays: 7);
        var roomKept = await Archived(host, now.AddDays(-100), roomDays: 365);
        var otherStore = await Archived(host, now.AddDays(-400), roomDays: null, store: "s3");
        var failed = await db.NewRecordingAsync();
        await db.ExecuteAsync("UPDATE recordings SET state = 'failed', failed_at = @at, failure_reason = 'x' WHERE id = @id",
            new { id = failed.Id, at = now.AddDays(-400).UtcDateTime });
        var before = new[] { globalKept.Rec, roomKept.Rec, otherStore.Rec, failed };
        var untouched = await Task.WhenAll(before.Select(r => db.StateAsync(r.Id)));

        await host.Get<RecordingRetentionJob>().RunAsync(CancellationToken.None);

        foreach (var due in new[] { globalDue, roomDue })
        {
            var row = await db.StateAsync(due.Rec.Id);
            Assert.Equal("purged", row.State);
            Assert.Equal(now.UtcDateTime, row.PurgedAt!.Value, TimeSpan.FromMilliseconds(1));
            Assert.False(File.Exists(due.File));
        }
        Assert.Equal(untouched, await Task.WhenAll(before.Select(r => db.StateAsync(r.Id))));
        Assert.True(File.Exists(globalKept.File));
        Assert.True(File.Exists(roomKept.File));
        Assert.True(File.Exists(otherStore.File));
    }

    [Fact]
    public async Task A_second_run_changes_nothing_and_time_passing_makes_the_next_one_due()
    {
        var now = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(now);
        using var host = new ArchiveHost(db, new Dictionary<string, string?> { ["Recording:RetentionDays"] = "30" },
            services => services.AddSingleton<TimeProvider>(clock));
        var soon = await Archived(host, now.AddDays(-25), roomDays: null);
        var job = host.Get<RecordingRetentionJob>();

        await job.RunAsync(CancellationToken.None);
        Assert.Equal("archived", (await db.StateAsync(soon.Rec.Id)).State);

        clock.Advance(TimeSpan.FromDays(6));
        await job.RunAsync(CancellationToken.None);
        var purged = await db.StateAsync(soon.Rec.Id);
        Assert.Equal("purged", purged.State);

        await job.RunAsync(CancellationToken.None);
        Assert.Equal(purged, await db.StateAsync(soon.Rec.Id));
    }

    /// <summary>A recording archived at <paramref name="archivedAt"/> with a real file in the host's store.</summary>
    private async Task<(TestRecording Rec, string File)> Archived(ArchiveHost host, DateTimeOffset archivedAt, int? roomDays, string store = "filesystem")
    {
        var rec = await db.NewRecordingAsync(retentionDays: roomDays);
        var source = Path.Combine(host.Root, $"{rec.Id:N}.ogg");
        File.WriteAllBytes(source, [1, 2, 3, 4]);
        var location = await host.Store.PutAsync($"{rec.RoomId}/{rec.CallId:D}/{rec.Id:D}.ogg", source, "audio/ogg", CancellationToken.None);
        await db.ExecuteAsync(
            """
            UPDATE recordings
            SET state = 'archived', archive_store = @store, archive_location = @location, archive_format = 'ogg/opus',
                archive_size_bytes = 4, archived_at = @archivedAt
            WHERE id = @id
            """,
            new { id = rec.Id, store, location, archivedAt = archivedAt.UtcDateTime });
        return (rec, new Uri(location).LocalPath);
    }
}
