using System.Globalization;
using CallControl.Cdr.Query;
using CallControl.Tests.Support;
using Dapper;

namespace CallControl.Tests.Admin;

[Collection(DatabaseGroup.Name)]
public sealed class SetupHistogramTests(DatabaseFixture db)
{
    [Theory]
    [InlineData("0", 0.1)]
    [InlineData("0.099999", 0.1)]
    [InlineData("0.1", 0.2)]
    [InlineData("4", 4.1)]
    [InlineData("9.999999", 10)]
    [InlineData("10", 10.5)]
    [InlineData("10.499999", 10.5)]
    [InlineData("10.5", 11)]
    [InlineData("59.999999", 60)]
    [InlineData("60", 65)]
    [InlineData("599.999999", 600)]
    [InlineData("600", 600)]
    [InlineData("86400", 600)]
    [InlineData("-3", 0.1)]
    public async Task The_database_bins_a_setup_time_where_the_api_reads_its_upper_edge(string seconds, double upperEdge)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();

        var bin = await connection.ExecuteScalarAsync<int>(
            "SELECT call_stats_setup_bin(make_interval(secs => @s::float8))", new { s = double.Parse(seconds, CultureInfo.InvariantCulture) });

        Assert.InRange(bin, 1, SetupHistogram.Bins);
        Assert.Equal(upperEdge, SetupHistogram.UpperEdge(bin), 9);
    }

    [Fact]
    public void A_percentile_is_the_upper_edge_of_the_bin_holding_its_nearest_rank()
    {
        var counts = new long[SetupHistogram.Bins];
        counts[30] = 19; // 19 calls in [3.0, 3.1)
        counts[170] = 2; // 2 calls in [45.0, 45.5)

        Assert.Equal(3.1, SetupHistogram.Percentile(counts, 50)!.Value, 9);
        // Rank ceil(0.95 * 21) = 20: the first of the two slow calls.
        Assert.Equal(45.5, SetupHistogram.Percentile(counts, 95)!.Value, 9);
        counts[170] = 1;
        // Rank ceil(0.95 * 20) = 19: still a fast call.
        Assert.Equal(3.1, SetupHistogram.Percentile(counts, 95)!.Value, 9);
        counts[^1] = 100;
        Assert.Equal(600, SetupHistogram.Percentile(counts, 95)!.Value, 9);
        Assert.Null(SetupHistogram.Percentile(new long[SetupHistogram.Bins], 50));
    }
}
