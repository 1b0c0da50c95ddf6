using CallControl.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallControl.Tests.Support;

/// <summary>
/// The real test PostgreSQL: <c>CALLCONTROL_TEST_DB</c>, default the local cluster <c>scripts/postgres.sh</c> starts
/// (127.0.0.1:55432, database callcontrol). Migrations run once per test run. A missing database fails the test.
/// Tests isolate themselves by fresh leg UUIDs.
/// </summary>
public static class ServiceHostDatabase
{
    public static string ConnectionString { get; } =
        Environment.GetEnvironmentVariable("CALLCONTROL_TEST_DB") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=callcontrol";

    private static readonly Lazy<Task> Migrated = new(async () =>
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
    });

    public static Task MigrateOnceAsync() => Migrated.Value;

    /// <summary>How many rows <c>call_legs</c> has for this leg (0 or 1).</summary>
    public static async Task<long> LegRowCountAsync(NpgsqlDataSource dataSource, Guid legUuid)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM call_legs WHERE leg_uuid = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = legUuid });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
