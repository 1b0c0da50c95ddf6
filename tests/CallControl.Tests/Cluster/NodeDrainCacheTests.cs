using CallControl.Switch;
using CallControl.Tests.Support;
using Microsoft.Extensions.Options;

namespace CallControl.Tests.Cluster;

/// <summary>
/// New rooms read the drained nodes through a short-lived snapshot (one read serves many rooms): a drain set through
/// this instance applies at once, one set through another instance once the snapshot is older than the refresh.
/// </summary>
[Collection(DatabaseGroup.Name)]
public sealed class NodeDrainCacheTests(DatabaseFixture db)
{
    [Fact]
    public async Task A_drain_through_this_instance_applies_at_once_and_another_instances_after_the_refresh()
    {
        var node = "drain-cache-" + Guid.NewGuid().ToString("N")[..8];
        var here = new NodeDrainStore(db.DataSource, Options.Create(new ClusterOptions { DrainRefresh = TimeSpan.FromMinutes(1) }));
        var elsewhere = new NodeDrainStore(db.DataSource);

        Assert.DoesNotContain(node, await here.RecentDrainingAsync(CancellationToken.None));

        // Another instance drains it: this one keeps its snapshot until the refresh (a minute here).
        await elsewhere.SetDrainingAsync(node, draining: true, "root", CancellationToken.None);
        Assert.DoesNotContain(node, await here.RecentDrainingAsync(CancellationToken.None));
        Assert.Contains(node, await here.DrainingAsync(CancellationToken.None));

        // Through this instance: the snapshot is dropped, so the undrain applies to the very next room.
        await here.SetDrainingAsync(node, draining: false, "root", CancellationToken.None);
        await elsewhere.SetDrainingAsync(node, draining: true, "root", CancellationToken.None);
        Assert.Contains(node, await here.RecentDrainingAsync(CancellationToken.None));
        await here.SetDrainingAsync(node, draining: false, "root", CancellationToken.None);
        Assert.DoesNotContain(node, await here.RecentDrainingAsync(CancellationToken.None));

        // With no refresh interval every room reads the table.
        await here.SetDrainingAsync(node, draining: true, "root", CancellationToken.None);
        Assert.Contains(node, await elsewhere.RecentDrainingAsync(CancellationToken.None));
    }
}
