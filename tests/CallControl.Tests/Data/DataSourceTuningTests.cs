using CallControl.Data;
using Npgsql;

namespace CallControl.Tests.Data;

public sealed class DataSourceTuningTests
{
    private const string Plain = "Host=127.0.0.1;Port=55432;Username=postgres;Database=callcontrol";

    [Fact]
    public void A_connection_string_without_a_pool_size_gets_ours_and_our_other_defaults()
    {
        var tuned = new NpgsqlConnectionStringBuilder(DataServiceCollectionExtensions.Tune(Plain));

        Assert.Equal(DataServiceCollectionExtensions.DefaultMaxPoolSize, tuned.MaxPoolSize);
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal(64, tuned.MaxAutoPrepare);
        Assert.Equal("callcontrol", tuned.Database);
    }

    [Theory]
    [InlineData("Maximum Pool Size=100", 100)]
    [InlineData("maximum pool size=7", 7)]
    [InlineData("maxpoolsize=3", 3)]
    [InlineData("Maximum Pool Size=40;Max Auto Prepare=5", 40)]
    public void The_operators_pool_size_wins_even_when_it_equals_npgsqls_default(string setting, int expected)
    {
        var tuned = new NpgsqlConnectionStringBuilder(DataServiceCollectionExtensions.Tune(Plain + ";" + setting));

        Assert.Equal(expected, tuned.MaxPoolSize);
    }

    [Fact]
    public void The_operators_auto_prepare_wins()
    {
        var tuned = new NpgsqlConnectionStringBuilder(DataServiceCollectionExtensions.Tune(Plain + ";Max Auto Prepare=5"));

        Assert.Equal(5, tuned.MaxAutoPrepare);
    }
}
