using CallControl.Recording.Archive;

namespace CallControl.Recording.Tests.Archive;

public sealed class FileSystemArchiveStoreTests : ArchiveStoreContract
{
    private readonly FileSystemArchiveStore _store;

    public FileSystemArchiveStoreTests()
    {
        _store = new FileSystemArchiveStore(Path.Combine(Work, "archive"));
    }

    protected override IArchiveStore Store => _store;

    [Fact]
    public async Task A_failed_put_leaves_neither_a_partial_file_nor_the_final_name()
    {
        var key = $"room/{Guid.NewGuid():D}/r.ogg";
        var missing = Path.Combine(Work, "no-such-source.ogg");

        await Assert.ThrowsAnyAsync<IOException>(() => _store.PutAsync(key, missing, "audio/ogg", CancellationToken.None));

        var folder = Path.GetDirectoryName(new Uri(_store.LocationOf(key)).LocalPath)!;
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task A_cancelled_put_keeps_the_previous_object_intact()
    {
        var key = $"room/{Guid.NewGuid():D}/r.ogg";
        var first = SourceFile(2000, seed: 1);
        var location = await _store.PutAsync(key, first, "audio/ogg", CancellationToken.None);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.PutAsync(key, SourceFile(3_000_000, seed: 2), "audio/ogg", cancelled.Token));

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(new Uri(location).LocalPath));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(new Uri(location).LocalPath)!));
    }

    [Fact]
    public async Task Locations_outside_the_archive_folder_are_refused()
    {
        var outside = new Uri(Path.Combine(Work, "elsewhere.ogg")).AbsoluteUri;
        File.WriteAllBytes(new Uri(outside).LocalPath, [1, 2, 3]);

        await Assert.ThrowsAsync<ArgumentException>(() => _store.OpenReadAsync(outside, null, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.DeleteAsync(outside, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.ReadBackAsync("s3://bucket/x.ogg", CancellationToken.None));
        Assert.True(File.Exists(new Uri(outside).LocalPath));
    }
}
