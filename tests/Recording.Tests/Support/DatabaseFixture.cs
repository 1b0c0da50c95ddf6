using Dapper;
using DbUp;
using Npgsql;

namespace CallControl.Recording.Tests.Support;

/// <summary>
/// A fresh PostgreSQL database for this test run, <c>recording_test_&lt;random&gt;</c> on the server named by
/// <c>CALLCONTROL_TEST_DB</c> (default: the local cluster scripts/postgres.sh runs), with the repository's
/// db/migrations applied by DbUp in name order as the service does; dropped at the end. An unreachable server fails
/// the tests, nothing skips. Tests isolate themselves by unique ids.
/// </summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=55432;Username=postgres;Database=callcontrol";

    private readonly string _serverConnectionString;
    private readonly string _databaseName = "recording_test_" + Guid.NewGuid().ToString("N")[..12];

    public DatabaseFixture()
    {
        _serverConnectionString = Environment.GetEnvironmentVariable("CALLCONTROL_TEST_DB") ?? DefaultConnectionString;
        ConnectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = _databaseName }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(AdminConnectionString()))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_databaseName}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var result = DeployChanges.To
            .PostgresqlDatabase(ConnectionString)
            .WithScriptsFromFileSystem(RepoPaths.Migrations)
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed", result.Error);
        }
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString());
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>A user, a room (with <paramref name="retentionDays"/>) and an ended call; returns (room, call).</summary>
    public async Task<(string RoomId, Guid CallId)> NewCallAsync(int? retentionDays = null)
    {
        var user = "u-" + Guid.NewGuid().ToString("N")[..12];
        var room = Guid.NewGuid().ToString("N")[..16];
        var call = Guid.NewGuid();
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO users (id, display_name) VALUES (@user, 'Test')", new { user });
        await connection.ExecuteAsync(
            """
            INSERT INTO rooms (id, caller_user_id, callee_number, media, record, recording_retention_days)
            VALUES (@room, @user, '+15551230001', 'audio', true, @retentionDays)
            """,
            new { room, user, retentionDays });
        await connection.ExecuteAsync(
            """
            INSERT INTO calls (id, room_id, caller, callee_number, media, status, ended_at)
            VALUES (@call, @room, @user, '+15551230001', 'audio', 'completed', now())
            """,
            new { call, room, user });
        return (room, call);
    }

    /// <summary>A stopped recording of a new call at <c>room/call.wav</c> (or <paramref name="relativePath"/>).</summary>
    public async Task<TestRecording> NewRecordingAsync(string? relativePath = null, int? retentionDays = null, string state = "stopped")
    {
        var (room, call) = await NewCallAsync(retentionDays);
        var id = Guid.NewGuid();
        var relative = relativePath ?? $"{room}/{call:D}.wav";
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO recordings (id, call_id, room_id, freeswitch_node, node_path, relative_path, state, started_at, stopped_at)
            VALUES (@id, @call, @room, 'fs1', '/var/lib/freeswitch/recordings/' || @relative, @relative, @state, now(), now())
            """,
            new { id, call, room, relative, state });
        return new TestRecording(id, call, room, relative);
    }

    /// <summary>The row as the tests check it.</summary>
    public async Task<RecordingState> StateAsync(Guid id)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<RecordingState>(
            """
            SELECT state AS State, attempts AS Attempts, failure_reason AS FailureReason, archive_store AS ArchiveStore,
                   archive_location AS ArchiveLocation, archive_format AS ArchiveFormat, archive_size_bytes AS ArchiveSizeBytes,
                   archive_sha256 AS ArchiveSha256, archive_duration_ms AS ArchiveDurationMs, source_size_bytes AS SourceSizeBytes,
                   archived_at AS ArchivedAt, failed_at AS FailedAt, purged_at AS PurgedAt
            FROM recordings WHERE id = @id
            """,
            new { id });
    }

    public async Task ExecuteAsync(string sql, object args)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, args);
    }

    private string AdminConnectionString() =>
        new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
}

public sealed record TestRecording(Guid Id, Guid CallId, string RoomId, string RelativePath);

public sealed record RecordingState
{
    public string State { get; init; } = "";
    public int Attempts { get; init; }
    public string? FailureReason { get; init; }
    public string? ArchiveStore { get; init; }
    public string? ArchiveLocation { get; init; }
    public string? ArchiveFormat { get; init; }
    public long? ArchiveSizeBytes { get; init; }
    public string? ArchiveSha256 { get; init; }
    public long? ArchiveDurationMs { get; init; }
    public long? SourceSizeBytes { get; init; }
    public DateTime? ArchivedAt { get; init; }
    public DateTime? FailedAt { get; init; }
    public DateTime? PurgedAt { get; init; }
}

[CollectionDefinition(Name)]
public sealed class DatabaseGroup : ICollectionFixture<DatabaseFixture>
{
    public const string Name = "database";
}
