using CallControl.Recording.Archive;
using CallControl.Recording.Tests.Support;

namespace CallControl.Recording.Tests.Archive;

/// <summary>The store contract against s3rver on loopback, with a key prefix.</summary>
public sealed class S3ArchiveStoreTests : ArchiveStoreContract, IClassFixture<S3Server>
{
    private readonly S3ArchiveStore _store;

    public S3ArchiveStoreTests(S3Server server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _store = new S3ArchiveStore(server.Options(prefix: "archive/"));
    }

    protected override IArchiveStore Store => _store;

    public override void Dispose()
    {
        _store.Dispose();
        base.Dispose();
    }

    [Fact]
    public void Locations_name_the_bucket_and_the_prefixed_key()
    {
        Assert.Equal("s3://recordings/archive/room/call/r.ogg", _store.LocationOf("room/call/r.ogg"));
    }

    [Fact]
    public async Task Locations_in_another_bucket_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.ReadBackAsync("s3://other/archive/room/r.ogg", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.DeleteAsync("file:///tmp/r.ogg", CancellationToken.None));
    }
}
