using System.Globalization;
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

    private const string FilledMarker = "cdr-query fill: ";

    /// <summary>
    /// How many calls a completed fill left, from the marker comment on the calls table that the fill writes last;
    /// null after an interrupted fill (dropped indexes, legs half copied), so such a database is never reused.
    /// </summary>
    public static async Task<long?> FilledCallsAsync(NpgsqlDataSource dataSource)
    {
        await using var comment = dataSource.CreateCommand("SELECT obj_description('calls'::regclass, 'pg_class')");
        return await comment.ExecuteScalarAsync().ConfigureAwait(false) is string text && text.StartsWith(FilledMarker, StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(FilledMarker.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>COMMENT takes no parameters; the text is this constant and a formatted integer.</summary>
    public static string MarkFilledSql(long? calls) => calls is { } n
        ? string.Create(CultureInfo.InvariantCulture, $"COMMENT ON TABLE calls IS '{FilledMarker}{n}'")
        : "COMMENT ON TABLE calls IS NULL";

    /// <summary>The midnight (UTC) after the newest stored call: the end of the year the fill generated.</summary>
    public static async Task<DateTime> StoredEndAsync(NpgsqlDataSource dataSource)
    {
        await using var max = dataSource.CreateCommand("SELECT max(created_at) FROM calls");
        var newest = (DateTime)(await max.ExecuteScalarAsync().ConfigureAwait(false))!;
        return newest.Date.AddDays(1);
    }
}
