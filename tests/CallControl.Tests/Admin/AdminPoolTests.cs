using System.Net;
using CallControl.Data;
using CallControl.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CallControl.Tests.Admin;

/// <summary>Admins' queries run on a pool of their own: neither side can take the other's connections.</summary>
[Collection(DatabaseGroup.Name)]
public sealed class AdminPoolTests(DatabaseFixture db) : IAsyncLifetime
{
    private TestWebHost _host = null!;

    public async Task InitializeAsync() => _host = await AdminData.StartHostAsync(db);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Admin_queries_are_served_while_call_control_holds_every_connection_of_its_pool()
    {
        var main = _host.Services.GetRequiredService<NpgsqlDataSource>();
        var held = new List<NpgsqlConnection>();
        try
        {
            // Every connection call control's pool may open, held (as a burst of calls would).
            for (var i = 0; i < DataServiceCollectionExtensions.DefaultMaxPoolSize; i++)
            {
                held.Add(await main.OpenConnectionAsync());
            }

            using var page = await _host.Http.SendAsync(AdminData.Get("/api/admin/calls?limit=5")).WaitAsync(TimeSpan.FromSeconds(10));
            using var export = await _host.Http.SendAsync(AdminData.Get("/api/admin/calls.csv?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z")).WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }

        // Their connections say whose they are, for an operator reading pg_stat_activity.
        await using var check = new NpgsqlConnection(db.ConnectionString);
        await check.OpenAsync();
        await using var names = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1", check)
        {
            Parameters = { new() { Value = DataServiceCollectionExtensions.AdminApplicationName } },
        };
        Assert.True((long)(await names.ExecuteScalarAsync())! >= 1);
    }

    [Fact]
    public async Task The_admin_pool_is_small_and_its_own()
    {
        var admin = new NpgsqlConnectionStringBuilder(
            _host.Services.GetRequiredKeyedService<NpgsqlDataSource>(DataServiceCollectionExtensions.AdminDataSourceKey).ConnectionString);
        var main = new NpgsqlConnectionStringBuilder(_host.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString);

        Assert.Equal(DataServiceCollectionExtensions.AdminMaxPoolSize, admin.MaxPoolSize);
        Assert.Equal(DataServiceCollectionExtensions.DefaultMaxPoolSize, main.MaxPoolSize);
        Assert.Equal(main.Database, admin.Database);
    }
}
