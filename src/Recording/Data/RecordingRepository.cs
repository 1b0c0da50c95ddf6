using Dapper;
using Npgsql;

namespace CallControl.Recording.Data;

/// <summary>
/// The archive jobs' reads and writes of <c>recordings</c>. Every state change is one UPDATE guarded by the state
/// it leaves, so two runs of a job (or a job and the retention sweep) cannot both win.
/// </summary>
public sealed class RecordingRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        id              AS Id,
        call_id         AS CallId,
        room_id         AS RoomId,
        state           AS State,
        relative_path   AS RelativePath,
        attempts        AS Attempts,
        archive_store   AS ArchiveStore,
        archive_location AS ArchiveLocation,
        archive_sha256  AS ArchiveSha256,
        archive_size_bytes AS ArchiveSizeBytes,
        archived_at     AS ArchivedAt,
        failure_reason  AS FailureReason
        """;

    private const string GetSql = $"""
        SELECT {Columns}
        FROM recordings
        WHERE id = @id
        """;

    public async Task<RecordingRow?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<RecordingRow>(
            new CommandDefinition(GetSql, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    // 'failed' is included: an operator may run a failed recording's job again once the cause is fixed.
    private const string BeginAttemptSql = """
        UPDATE recordings
        SET state = 'archiving',
            attempts = attempts + 1,
            updated_at = @now
        WHERE id = @id
          AND state IN ('stopped', 'archiving', 'failed')
        RETURNING attempts
        """;

    /// <summary>Moves a finished recording to 'archiving' and counts the attempt; null when it is in no state to
    /// archive (recording, archived, purged).</summary>
    public async Task<int?> BeginAttemptAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<int?>(
            new CommandDefinition(BeginAttemptSql, new { id, now = now.UtcDateTime }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private const string MarkArchivedSql = """
        UPDATE recordings
        SET state = 'archived',
            archive_store = @Store,
            archive_location = @Location,
            archive_format = @Format,
            archive_size_bytes = @SizeBytes,
            archive_sha256 = @Sha256,
            archive_duration_ms = @DurationMs,
            source_size_bytes = @SourceSizeBytes,
            archived_at = @now,
            failure_reason = NULL,
            failed_at = NULL,
            updated_at = @now
        WHERE id = @id
          AND state = 'archiving'
        """;

    /// <summary>Records the verified copy and the 'archived' state in one statement; false when the row had left
    /// 'archiving' meanwhile (another run archived it).</summary>
    public async Task<bool> MarkArchivedAsync(Guid id, ArchivedCopy copy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(copy);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var args = new
        {
            id, copy.Store, copy.Location, copy.Format, copy.SizeBytes, copy.Sha256, copy.DurationMs, copy.SourceSizeBytes,
            now = now.UtcDateTime,
        };
        return await connection.ExecuteAsync(
            new CommandDefinition(MarkArchivedSql, args, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    private const string MarkFailedSql = """
        UPDATE recordings
        SET state = 'failed',
            failure_reason = @reason,
            failed_at = @now,
            updated_at = @now
        WHERE id = @id
          AND state IN ('stopped', 'archiving')
        """;

    /// <summary>Marks the recording failed with <paramref name="reason"/>; false when it was not being archived.</summary>
    public async Task<bool> MarkFailedAsync(Guid id, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(
            new CommandDefinition(MarkFailedSql, new { id, reason, now = now.UtcDateTime }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    // Per room retention, else the global default; oldest first, a batch at a time.
    private const string DueForPurgeSql = $"""
        SELECT {Columns}
        FROM (
            SELECT r.*
            FROM recordings r
            JOIN rooms ro ON ro.id = r.room_id
            WHERE r.state = 'archived'
              AND r.archived_at < @now - make_interval(days => COALESCE(ro.recording_retention_days, @globalDays))
            ORDER BY r.archived_at
            LIMIT @limit
        ) AS due
        ORDER BY archived_at
        """;

    /// <summary>Archived recordings whose retention has ended at <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<RecordingRow>> DueForPurgeAsync(
        DateTimeOffset now, int globalDays, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<RecordingRow>(new CommandDefinition(
            DueForPurgeSql, new { now = now.UtcDateTime, globalDays, limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    private const string MarkPurgedSql = """
        UPDATE recordings
        SET state = 'purged',
            purged_at = @now,
            updated_at = @now
        WHERE id = @id
          AND state = 'archived'
        """;

    public async Task<bool> MarkPurgedAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(
            new CommandDefinition(MarkPurgedSql, new { id, now = now.UtcDateTime }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }
}
