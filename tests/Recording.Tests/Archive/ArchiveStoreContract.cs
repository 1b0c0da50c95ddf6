using System.Security.Cryptography;
using CallControl.Recording.Archive;

namespace CallControl.Recording.Tests.Archive;

/// <summary>What every archive store must do, run against each store.</summary>
public abstract class ArchiveStoreContract : IDisposable
{
    protected ArchiveStoreContract()
    {
        Work = Directory.CreateTempSubdirectory("store-tests-").FullName;
    }

    protected string Work { get; }

    protected abstract IArchiveStore Store { get; }

    public virtual void Dispose()
    {
        Directory.Delete(Work, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected string SourceFile(int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        var path = Path.Combine(Work, $"src-{Guid.NewGuid():N}.ogg");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task Put_then_read_back_gives_the_files_size_and_sha256()
    {
        var source = SourceFile(100_000);
        var key = $"room1/{Guid.NewGuid():D}/{Guid.NewGuid():D}.ogg";

        var location = await Store.PutAsync(key, source, "audio/ogg", CancellationToken.None);
        var digest = await Store.ReadBackAsync(location, CancellationToken.None);

        Assert.Equal(Store.LocationOf(key), location);
        Assert.NotNull(digest);
        Assert.Equal(100_000, digest.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(source))), digest.Sha256);
    }

    [Fact]
    public async Task A_second_put_under_the_same_key_replaces_the_object()
    {
        var key = $"room1/{Guid.NewGuid():D}/r.ogg";
        await Store.PutAsync(key, SourceFile(5000, seed: 1), "audio/ogg", CancellationToken.None);
        var second = SourceFile(7000, seed: 2);

        var location = await Store.PutAsync(key, second, "audio/ogg", CancellationToken.None);

        var digest = await Store.ReadBackAsync(location, CancellationToken.None);
        Assert.Equal(7000, digest!.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(second))), digest.Sha256);
    }

    [Theory]
    [InlineData(null, null, 0, 10_000, false)]
    [InlineData(0L, 99L, 0, 100, true)]
    [InlineData(9_000L, null, 9_000, 1_000, true)]
    [InlineData(9_990L, 20_000L, 9_990, 10, true)]
    [InlineData(null, 500L, 9_500, 500, true)] // suffix: the last 500 bytes
    public async Task Reads_the_whole_object_or_a_byte_range(long? first, long? last, long offset, long length, bool isRange)
    {
        var source = SourceFile(10_000);
        var location = await Store.PutAsync($"r/{Guid.NewGuid():N}.ogg", source, "audio/ogg", CancellationToken.None);

        await using var obj = await Store.OpenReadAsync(location, first, last, CancellationToken.None);

        Assert.NotNull(obj);
        Assert.Equal(10_000, obj.TotalLength);
        Assert.Equal((offset, length, isRange), (obj.Offset, obj.Length, obj.IsRange));
        Assert.True(obj.IsRangeSatisfiable);
        using var read = new MemoryStream();
        await obj.Content.CopyToAsync(read);
        Assert.Equal(File.ReadAllBytes(source).AsSpan((int)offset, (int)length).ToArray(), read.ToArray());
    }

    [Fact]
    public async Task A_range_past_the_end_is_unsatisfiable_and_an_absent_object_is_null()
    {
        var location = await Store.PutAsync($"r/{Guid.NewGuid():N}.ogg", SourceFile(1000), "audio/ogg", CancellationToken.None);

        await using var past = await Store.OpenReadAsync(location, 1000, null, CancellationToken.None);
        Assert.False(past!.IsRangeSatisfiable);
        Assert.Equal(1000, past.TotalLength);

        Assert.Null(await Store.OpenReadAsync(Store.LocationOf($"r/{Guid.NewGuid():N}.ogg"), null, null, CancellationToken.None));
        Assert.Null(await Store.ReadBackAsync(Store.LocationOf($"r/{Guid.NewGuid():N}.ogg"), CancellationToken.None));
    }

    [Fact]
    public async Task Delete_removes_the_object_and_is_harmless_twice()
    {
        var location = await Store.PutAsync($"r/{Guid.NewGuid():N}.ogg", SourceFile(1000), "audio/ogg", CancellationToken.None);

        Assert.True(await Store.DeleteAsync(location, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(location, CancellationToken.None));
        Assert.Null(await Store.ReadBackAsync(location, CancellationToken.None));
    }

    [Theory]
    [InlineData("../escape.ogg")]
    [InlineData("a//b.ogg")]
    [InlineData("/abs.ogg")]
    [InlineData("a/./b.ogg")]
    [InlineData("a/b c.ogg")]
    public async Task Keys_that_could_leave_the_store_are_refused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, SourceFile(10), "audio/ogg", CancellationToken.None));
    }
}
