using System.Security.Cryptography;
using CallControl.Recording.Archive;
using CallControl.Recording.Jobs;
using CallControl.Recording.Tests.Support;

namespace CallControl.Recording.Tests.Jobs;

/// <summary>The archive job with the S3 store configured, against s3rver on loopback.</summary>
[Collection(DatabaseGroup.Name)]
public sealed class ArchiveToS3Tests(DatabaseFixture db, S3Server s3) : IClassFixture<S3Server>
{
    [Fact]
    public async Task A_recording_is_archived_to_the_bucket_verified_and_readable_by_range()
    {
        using var host = new ArchiveHost(db, new Dictionary<string, string?>
        {
            ["Recording:Archive:Store"] = "s3",
            ["Recording:Archive:S3:ServiceUrl"] = s3.ServiceUrl,
            ["Recording:Archive:S3:BucketName"] = S3Server.Bucket,
            ["Recording:Archive:S3:AccessKey"] = S3Server.AccessKey,
            ["Recording:Archive:S3:SecretKey"] = S3Server.SecretKey,
            ["Recording:Archive:S3:Prefix"] = "calls",
        });
        var rec = await db.NewRecordingAsync();
        var wav = host.WriteRecording(rec, WavFiles.SpeechWav(8000, 2, 1.0));
        var job = host.Get<ArchiveRecordingJob>();

        await job.RunAsync(rec.Id, CancellationToken.None);
        await job.RunAsync(rec.Id, CancellationToken.None);

        var row = await db.StateAsync(rec.Id);
        Assert.Equal(("archived", "s3"), (row.State, row.ArchiveStore));
        Assert.Equal($"s3://{S3Server.Bucket}/calls/{rec.RoomId}/{rec.CallId:D}/{rec.Id:D}.ogg", row.ArchiveLocation);
        Assert.False(File.Exists(wav));
        var store = host.Store;
        await using (var whole = await store.OpenReadAsync(row.ArchiveLocation!, null, null, CancellationToken.None))
        {
            using var copy = new MemoryStream();
            await whole!.Content.CopyToAsync(copy);
            Assert.Equal(row.ArchiveSizeBytes, copy.Length);
            Assert.Equal(row.ArchiveSha256, Convert.ToHexStringLower(SHA256.HashData(copy.ToArray())));
            var local = Path.Combine(host.Root, "from-s3.ogg");
            File.WriteAllBytes(local, copy.ToArray());
            var probe = ExternalTools.FfProbe(local);
            Assert.Equal(("opus", 2), (probe.CodecName, probe.Channels));
        }
        await using var head = await store.OpenReadAsync(row.ArchiveLocation!, 0, 3, CancellationToken.None);
        var four = new byte[4];
        await head!.Content.ReadExactlyAsync(four);
        Assert.Equal("OggS"u8.ToArray(), four);
        Assert.Single(host.Sink.Events);
    }
}
