using Npgsql;

namespace CallControl.Bench.CdrQuery;

/// <summary>The dedicated bench database: created if missing, reused when it already holds the asked-for calls.</summary>
internal static class BenchDatabase
{
    public const string Name = "callcontrol_bench";

    public static async Task EnsureExistsAsync(NpgsqlConnectionStringBuilder server)
    {
        var admin = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", Name);
        if (await exists.ExecuteScalarAsync().ConfigureAwait(false) is null)
        {
            // CREATE DATABASE takes no parameters; the name is the constant above.
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Name}", connection);
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    public static async Task<long> CallCountAsync(NpgsqlDataSource dataSource)
    {
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM calls");
        return (long)(await count.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    /// <summary>The midnight (UTC) after the newest stored call: the end of the year the fill generated.</summary>
    public static async Task<DateTime> StoredEndAsync(NpgsqlDataSource dataSource)
    {
        await using var max = dataSource.CreateCommand("SELECT max(created_at) FROM calls");
        var newest = (DateTime)(await max.ExecuteScalarAsync().ConfigureAwait(false))!;
        return newest.Date.AddDays(1);
    }
}
