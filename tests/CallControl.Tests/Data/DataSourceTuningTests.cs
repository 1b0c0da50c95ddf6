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
        Assert.True(tuned.Multiplexing);
        Assert.Equal(DataServiceCollectionExtensions.DefaultConnectTimeoutSeconds, tuned.Timeout);
        Assert.Equal("callcontrol", tuned.Database);
    }

    [Theory]
    [InlineData("Timeout=15", 15)]
    [InlineData("timeout=30", 30)]
    public void The_operators_connect_timeout_wins_even_when_it_equals_npgsqls_default(string setting, int expected)
    {
        var tuned = new NpgsqlConnectionStringBuilder(DataServiceCollectionExtensions.Tune(Plain + ";" + setting));

        Assert.Equal(expected, tuned.Timeout);
    }

    [Theory]
    [InlineData("Multiplexing=false", false)]
    [InlineData("multiplexing=False", false)]
    [InlineData("Multiplexing=true", true)]
    public void The_operators_multiplexing_setting_wins(string setting, bool expected)
    {
        var tuned = new NpgsqlConnectionStringBuilder(DataServiceCollectionExtensions.Tune(Plain + ";" + setting));

        Assert.Equal(expected, tuned.Multiplexing);
    }

    [Fact]
    public void Admin_queries_and_dedicated_connections_never_multiplex()
    {
        var tuned = DataServiceCollectionExtensions.Tune(Plain + ";Multiplexing=true");

        var admin = new NpgsqlConnectionStringBuilder(DataServiceCollectionExtensions.TuneForAdmin(tuned));
        var dedicated = new NpgsqlConnectionStringBuilder(DataServiceCollectionExtensions.Dedicated(tuned));

        Assert.False(admin.Multiplexing);
        Assert.False(dedicated.Multiplexing);
        Assert.Equal("callcontrol", dedicated.Database);
        // Pooling=false (a session of one's own) must stay possible on a dedicated connection string.
        Assert.False(new NpgsqlConnectionStringBuilder(dedicated.ConnectionString) { Pooling = false }.Multiplexing);
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
