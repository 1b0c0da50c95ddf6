using System.Security.Cryptography;
using CallControl.Recording.Archive;
using CallControl.Recording.Jobs;
using CallControl.Recording.Tests.Support;
using CallControl.Recording.Wav;

namespace CallControl.Recording.Tests.Jobs;

[Collection(DatabaseGroup.Name)]
public sealed class ArchiveRecordingJobTests(DatabaseFixture db)
{
    [Fact]
    public async Task A_stopped_recording_is_transcoded_stored_verified_recorded_and_its_wav_deleted()
    {
        using var host = new ArchiveHost(db);
        var rec = await db.NewRecordingAsync();
        var wav = host.WriteRecording(rec, WavFiles.SpeechWav(16000, 2, 2.0));
        var wavSize = new FileInfo(wav).Length;

        await host.Get<ArchiveRecordingJob>().RunAsync(rec.Id, CancellationToken.None);

        var row = await db.StateAsync(rec.Id);
        Assert.Equal("archived", row.State);
        Assert.Equal("filesystem", row.ArchiveStore);
        Assert.Equal("ogg/opus", row.ArchiveFormat);
        Assert.Equal(1, row.Attempts);
        Assert.Null(row.FailureReason);
        Assert.NotNull(row.ArchivedAt);
        Assert.Equal(wavSize, row.SourceSizeBytes);
        var file = new Uri(row.ArchiveLocation!).LocalPath;
        Assert.Equal(Path.Combine(host.ArchiveFolder, rec.RoomId, rec.CallId.ToString("D"), rec.Id.ToString("D") + ".ogg"), file);
        Assert.Equal(new FileInfo(file).Length, row.ArchiveSizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), row.ArchiveSha256);
        Assert.InRange(row.ArchiveDurationMs!.Value, 1980, 2020);
        var probe = ExternalTools.FfProbe(file);
        Assert.Equal(("opus", 2), (probe.CodecName, probe.Channels));
        Assert.InRange(probe.DurationSeconds, 1.97, 2.03);
        Assert.False(File.Exists(wav));
        Assert.Equal([$"archived {rec.Id} {rec.CallId} {row.ArchiveLocation}"], host.Sink.Events);
        Assert.Single(host.ArchivedFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(host.Root, "work")));
    }

    [Fact]
    public async Task Run_twice_leaves_one_object_one_row_and_the_same_checksum()
    {
        using var host = new ArchiveHost(db);
        var rec = await db.NewRecordingAsync();
        host.WriteRecording(rec, WavFiles.SpeechWav(8000, 1, 1.0));
        var job = host.Get<ArchiveRecordingJob>();

        await job.RunAsync(rec.Id, CancellationToken.None);
        var first = await db.StateAsync(rec.Id);
        await job.RunAsync(rec.Id, CancellationToken.None);
        var second = await db.StateAsync(rec.Id);

        Assert.Equal(first, second);
        var file = Assert.Single(host.ArchivedFiles());
        Assert.Equal(first.ArchiveSha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))));
        Assert.Single(host.Sink.Events);
    }

    [Theory]
    [InlineData("RIFF\0\0\0\0WAVEjunk", "Truncated WAV")]
    [InlineData("ID3\u0004 this is an mp3", "does not start with 'RIFF'")]
    public async Task A_corrupt_wav_fails_at_once_with_the_reason_stores_nothing_and_keeps_the_file(string content, string reason)
    {
        using var host = new ArchiveHost(db);
        var rec = await db.NewRecordingAsync();
        var wav = host.WriteRecording(rec, System.Text.Encoding.Latin1.GetBytes(content));

        await Assert.ThrowsAsync<InvalidRecordingException>(() => host.Get<ArchiveRecordingJob>().RunAsync(rec.Id, CancellationToken.None));

        var row = await db.StateAsync(rec.Id);
        Assert.Equal("failed", row.State);
        Assert.Contains(reason, row.FailureReason, StringComparison.Ordinal);
        Assert.NotNull(row.FailedAt);
        Assert.Equal(1, row.Attempts);
        Assert.Null(row.ArchiveLocation);
        Assert.Empty(host.ArchivedFiles());
        Assert.True(File.Exists(wav));
        Assert.Equal([$"failed {rec.Id} {rec.CallId} {row.FailureReason}"], host.Sink.Events);
    }

    [Fact]
    public async Task A_truncated_wav_from_a_real_recording_fails_with_the_truncation()
    {
        using var host = new ArchiveHost(db);
        var rec = await db.NewRecordingAsync();
        var whole = WavFiles.SpeechWav(16000, 2, 1.0);
        host.WriteRecording(rec, whole[..(whole.Length / 2)]);

        await Assert.ThrowsAsync<InvalidRecordingException>(() => host.Get<ArchiveRecordingJob>().RunAsync(rec.Id, CancellationToken.None));

        var row = await db.StateAsync(rec.Id);
        Assert.Equal("failed", row.State);
        Assert.Contains("Truncated WAV: the 'data' chunk declares", row.FailureReason, StringComparison.Ordinal);
        Assert.Empty(host.ArchivedFiles());
    }

    [Fact]
    public async Task A_crash_after_the_store_write_and_before_the_update_reruns_cleanly()
    {
        var crashing = new CrashAfterPutStore();
        using var host = new ArchiveHost(db, configure: ArchiveHost.WrapStore(crashing.Wrap));
        var rec = await db.NewRecordingAsync();
        var wav = host.WriteRecording(rec, WavFiles.SpeechWav(16000, 1, 1.5));
        var job = host.Get<ArchiveRecordingJob>();

        await Assert.ThrowsAsync<IOException>(() => job.RunAsync(rec.Id, CancellationToken.None));
        var afterCrash = await db.StateAsync(rec.Id);
        Assert.Equal("archiving", afterCrash.State);
        Assert.Null(afterCrash.ArchiveLocation);
        var stored = Assert.Single(host.ArchivedFiles()); // the object was written, the row does not say so
        Assert.True(File.Exists(wav));
        Assert.Empty(host.Sink.Events);

        await job.RunAsync(rec.Id, CancellationToken.None);

        var row = await db.StateAsync(rec.Id);
        Assert.Equal("archived", row.State);
        Assert.Equal(2, row.Attempts);
        Assert.Equal(stored, Assert.Single(host.ArchivedFiles()));
        Assert.Equal(row.ArchiveSha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(stored))));
        Assert.False(File.Exists(wav));
        Assert.Single(host.Sink.Events);
    }

    [Fact]
    public async Task A_crash_after_the_update_and_before_deleting_the_wav_is_finished_by_a_rerun()
    {
        using var host = new ArchiveHost(db);
        var rec = await db.NewRecordingAsync();
        var bytes = WavFiles.SpeechWav(8000, 2, 1.0);
        var wav = host.WriteRecording(rec, bytes);
        var job = host.Get<ArchiveRecordingJob>();
        await job.RunAsync(rec.Id, CancellationToken.None);
        var archived = await db.StateAsync(rec.Id);
        File.WriteAllBytes(wav, bytes); // as if the run had stopped before its last steps (tell the sink, delete)

        await job.RunAsync(rec.Id, CancellationToken.None);

        Assert.False(File.Exists(wav));
        Assert.Equal(archived, await db.StateAsync(rec.Id));
        Assert.Single(host.ArchivedFiles());
        // At least once: the re-run cannot know whether the sink heard, so it tells it again.
        var told = $"archived {rec.Id} {rec.CallId} {archived.ArchiveLocation}";
        Assert.Equal([told, told], host.Sink.Events);
    }

    [Fact]
    public async Task A_changed_archive_is_not_taken_for_finished_and_the_wav_is_kept()
    {
        using var host = new ArchiveHost(db);
        var rec = await db.NewRecordingAsync();
        var bytes = WavFiles.SpeechWav(8000, 1, 0.5);
        var wav = host.WriteRecording(rec, bytes);
        var job = host.Get<ArchiveRecordingJob>();
        await job.RunAsync(rec.Id, CancellationToken.None);
        File.WriteAllBytes(wav, bytes);
        File.WriteAllBytes(Assert.Single(host.ArchivedFiles()), [1, 2, 3]); // the stored copy no longer matches the row

        await job.RunAsync(rec.Id, CancellationToken.None);

        Assert.True(File.Exists(wav));
        Assert.Single(host.Sink.Events);
    }

    [Fact]
    public async Task A_missing_wav_is_retried_and_marked_failed_after_the_last_attempt()
    {
        using var host = new ArchiveHost(db, new Dictionary<string, string?> { ["Recording:Archive:Retries"] = "1" });
        var rec = await db.NewRecordingAsync();
        var job = host.Get<ArchiveRecordingJob>();

        await Assert.ThrowsAsync<FileNotFoundException>(() => job.RunAsync(rec.Id, CancellationToken.None));
        Assert.Equal(("archiving", 1), await StateAndAttempts(rec.Id));
        Assert.Empty(host.Sink.Events);

        await Assert.ThrowsAsync<FileNotFoundException>(() => job.RunAsync(rec.Id, CancellationToken.None));

        var row = await db.StateAsync(rec.Id);
        Assert.Equal(("failed", 2), (row.State, row.Attempts));
        Assert.StartsWith("Archive failed after 2 attempts: FileNotFoundException", row.FailureReason, StringComparison.Ordinal);
        Assert.Single(host.Sink.Events, e => e.StartsWith($"failed {rec.Id}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("../outside.wav", "escapes the recordings folder")]
    [InlineData("/etc/passwd", "not a relative path")]
    public async Task A_path_outside_the_recordings_folder_is_refused_and_nothing_is_read_or_deleted(string relative, string reason)
    {
        using var host = new ArchiveHost(db);
        var outside = WavFiles.Write(Path.Combine(host.Root, "outside.wav"), WavFiles.SpeechWav(8000, 1, 0.2));
        var rec = await db.NewRecordingAsync(relativePath: relative);

        await Assert.ThrowsAsync<InvalidRecordingException>(() => host.Get<ArchiveRecordingJob>().RunAsync(rec.Id, CancellationToken.None));

        var row = await db.StateAsync(rec.Id);
        Assert.Equal("failed", row.State);
        Assert.Contains(reason, row.FailureReason, StringComparison.Ordinal);
        Assert.True(File.Exists(outside));
        Assert.Empty(host.ArchivedFiles());
    }

    [Fact]
    public async Task A_recording_still_running_is_left_alone()
    {
        using var host = new ArchiveHost(db);
        var rec = await db.NewRecordingAsync(state: "recording");
        var wav = host.WriteRecording(rec, WavFiles.SpeechWav(8000, 1, 0.2));

        await host.Get<ArchiveRecordingJob>().RunAsync(rec.Id, CancellationToken.None);

        Assert.Equal(("recording", 0), await StateAndAttempts(rec.Id));
        Assert.True(File.Exists(wav));
        Assert.Empty(host.ArchivedFiles());
    }

    private async Task<(string, int)> StateAndAttempts(Guid id)
    {
        var row = await db.StateAsync(id);
        return (row.State, row.Attempts);
    }

    /// <summary>Stores for real, then "crashes" (an I/O error) before the job can verify and record: once.</summary>
    private sealed class CrashAfterPutStore
    {
        private int _crashes;

        public IArchiveStore Wrap(IArchiveStore inner) => new Store(inner, this);

        private sealed class Store(IArchiveStore inner, CrashAfterPutStore owner) : IArchiveStore
        {
            public string Kind => inner.Kind;

            public string LocationOf(string key) => inner.LocationOf(key);

            public async Task<string> PutAsync(string key, string sourceFile, string contentType, CancellationToken cancellationToken)
            {
                var location = await inner.PutAsync(key, sourceFile, contentType, cancellationToken);
                if (Interlocked.Increment(ref owner._crashes) == 1)
                {
                    throw new IOException("simulated crash after the store write");
                }
                return location;
            }

            public Task<StoredObjectDigest?> ReadBackAsync(string location, CancellationToken cancellationToken) =>
                inner.ReadBackAsync(location, cancellationToken);

            public Task<ArchiveObject?> OpenReadAsync(string location, long? firstByte, long? lastByte, CancellationToken cancellationToken) =>
                inner.OpenReadAsync(location, firstByte, lastByte, cancellationToken);

            public Task<bool> DeleteAsync(string location, CancellationToken cancellationToken) =>
                inner.DeleteAsync(location, cancellationToken);
        }
    }
}
