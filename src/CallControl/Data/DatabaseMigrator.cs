using System.Reflection;
using DbUp;
using DbUp.Engine;
using Npgsql;

namespace CallControl.Data;

/// <summary>
/// Applies the forward-only migrations in <c>db/migrations/</c> (embedded in this assembly as
/// <c>CallControl.Migrations.NNNN_name.sql</c>) in name order; DbUp records what ran in <c>schemaversions</c>, so
/// running it again applies only what is new.
/// </summary>
public sealed partial class DatabaseMigrator(NpgsqlDataSource dataSource, ILogger<DatabaseMigrator> logger)
{
    internal const string ResourcePrefix = "CallControl.Migrations.";

    // Any fixed number: the key of the session advisory lock that serialises migrations across service instances.
    private const long MigrationLockKey = 0x43_43_4D_49_47_52_41_54; // "CCMIGRAT"

    /// <summary>
    /// Applies every migration not yet applied. Several instances starting together take turns (a PostgreSQL
    /// advisory lock), so each script runs once. Throws <see cref="InvalidOperationException"/> when one fails.
    /// </summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        // The lock belongs to a session, so it is taken and released on one connection of our own, never on a
        // multiplexed one (whose commands may each go to another session); DbUp, synchronous, gets one too.
        var connectionString = DataServiceCollectionExtensions.Dedicated(dataSource.ConnectionString);
        await using var lockConnection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await lockConnection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", MigrationLockKey);
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            // DbUp is synchronous; run it off the caller's thread.
            return await Task.Run(() => Migrate(connectionString), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", MigrationLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The names of the migrations this binary carries, in the order they apply.</summary>
    public static IReadOnlyList<string> EmbeddedScripts() =>
        [.. typeof(DatabaseMigrator).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    private List<string> Migrate(string connectionString)
    {
        var upgrader = DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(
                Assembly.GetExecutingAssembly(),
                name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build();

        DatabaseUpgradeResult result = upgrader.PerformUpgrade();
        if (!result.Successful)
        {
            LogMigrationFailed(logger, result.ErrorScript?.Name ?? "?", result.Error);
            throw new InvalidOperationException(
                $"database migration {result.ErrorScript?.Name} failed: {result.Error?.Message}", result.Error);
        }

        var applied = result.Scripts.Select(s => s.Name).ToList();
        LogMigrated(logger, applied.Count, applied);
        return applied;
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Database migrated: {Count} script(s) applied {Scripts}")]
    private static partial void LogMigrated(ILogger logger, int count, IEnumerable<string> scripts);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Database migration {Script} failed")]
    private static partial void LogMigrationFailed(ILogger logger, string script, Exception? exception);
}
