using Dapper;
using Npgsql;

namespace CallControl.Calls.Recording;

/// <summary>
/// The recording control's reads and writes of <c>recordings</c> (the archive jobs own the states after
/// <c>stopped</c>). Each state change is one UPDATE guarded by the state it leaves, so a repeated or late event changes
/// nothing.
/// </summary>
public sealed class RecordingStore(NpgsqlDataSource dataSource)
{
    // calls.ended_at is set by the final transition; a recording that starts in the instant the call ends takes it
    // over here, so the archive trigger does not wait for a call end that has already happened. The API's reply and
    // the RECORD_START event both insert the same recording (same id, same file), possibly at the same instant: the
    // conflict clause names no index, so a duplicate on either unique key is nothing rather than an error. The insert
    // and pointing the call at the new row are one statement.
    private const string InsertSql = """
        WITH inserted AS (
            INSERT INTO recordings (id, call_id, room_id, freeswitch_node, leg_uuid, node_path, relative_path, state,
                                    started_at, call_ended_at)
            SELECT @Id, c.id, c.room_id, @Node, @LegUuid, @NodePath, @RelativePath, 'recording', @StartedAt, c.ended_at
            FROM calls c
            WHERE c.id = @CallId
            ON CONFLICT DO NOTHING
            RETURNING id, call_id
        )
        UPDATE calls AS c
        SET recording_id = inserted.id::text
        FROM inserted
        WHERE c.id = inserted.call_id
        """;

    /// <summary>Inserts the row of a recording FreeSWITCH accepted (state recording) and points the call at it;
    /// a second insert of the same file changes nothing.</summary>
    public async Task InsertStartedAsync(StartedRecording started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(started);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, started, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private const string SetPhaseSql = """
        UPDATE recordings
        SET state = @To,
            updated_at = now()
        WHERE id = @Id
          AND state = @From
        """;

    /// <summary>recording → paused or paused → recording; false when the row was not in <paramref name="from"/>.</summary>
    public async Task<bool> SetPhaseAsync(Guid id, string from, string to, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            SetPhaseSql, new { Id = id, From = from, To = to }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    private const string StoppedSql = """
        UPDATE recordings
        SET state = 'stopped',
            stopped_at = @StoppedAt,
            duration_ms = @DurationMs,
            updated_at = now()
        WHERE freeswitch_node = @Node
          AND node_path = @NodePath
          AND state IN ('recording', 'paused')
        RETURNING id
        """;

    /// <summary>RECORD_STOP: the row of that file is stopped with the length FreeSWITCH reported; its id, or null
    /// when the file is not a recording of ours or was stopped already.</summary>
    public async Task<Guid?> MarkStoppedAsync(string node, string nodePath, DateTime stoppedAt, long? durationMs, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            StoppedSql,
            new { Node = node, NodePath = nodePath, StoppedAt = stoppedAt, DurationMs = durationMs },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private const string CallEndedSql = """
        UPDATE recordings
        SET call_ended_at = @EndedAt,
            updated_at = now()
        WHERE call_id = @CallId
          AND call_ended_at IS NULL
        RETURNING id
        """;

    /// <summary>The call ended: its recordings learn when; their ids.</summary>
    public async Task<IReadOnlyList<Guid>> MarkCallEndedAsync(Guid callId, DateTime endedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<Guid>(new CommandDefinition(
            CallEndedSql, new { CallId = callId, EndedAt = endedAt }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. ids];
    }

    /// <summary>What <see cref="ClaimForArchiveAsync"/> writes until the job id is known.</summary>
    public const string EnqueuingMarker = "enqueuing";

    // Both conditions (stopped, call over) and "not enqueued yet" in one statement: of the RECORD_STOP and the call's
    // end, whichever comes last wins this UPDATE, and only once.
    private const string ClaimSql = """
        UPDATE recordings
        SET archive_job_id = 'enqueuing',
            updated_at = now()
        WHERE id = @Id
          AND state = 'stopped'
          AND call_ended_at IS NOT NULL
          AND archive_job_id IS NULL
        """;

    /// <summary>True for the one caller that may enqueue the archive of <paramref name="id"/>.</summary>
    public async Task<bool> ClaimForArchiveAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(ClaimSql, new { Id = id }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    private const string JobIdSql = """
        UPDATE recordings
        SET archive_job_id = @JobId,
            updated_at = now()
        WHERE id = @Id
          AND archive_job_id = 'enqueuing'
        """;

    /// <summary>Replaces the claim marker with the Hangfire job id, or (null) releases the claim after a failed enqueue.</summary>
    public async Task SetArchiveJobAsync(Guid id, string? jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(JobIdSql, new { Id = id, JobId = jobId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    // A claim whose holder never wrote the job id back (the process died between the two, or the enqueue failed and
    // the release failed too) goes back to "not enqueued" after the timeout.
    private const string ReleaseStaleClaimsSql = """
        UPDATE recordings
        SET archive_job_id = NULL,
            updated_at = now()
        WHERE state = 'stopped'
          AND archive_job_id = 'enqueuing'
          AND updated_at < now() - @OlderThan
        """;

    /// <summary>Releases archive claims older than <paramref name="olderThan"/>; how many.</summary>
    public async Task<int> ReleaseStaleClaimsAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(ReleaseStaleClaimsSql, new { OlderThan = olderThan }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
    }

    private const string ArchiveDueSql = """
        SELECT id
        FROM recordings
        WHERE state = 'stopped'
          AND call_ended_at IS NOT NULL
          AND archive_job_id IS NULL
        ORDER BY updated_at
        LIMIT @Limit
        """;

    /// <summary>Recordings that are stopped, whose call is over and that nobody enqueued: the sweep's work.</summary>
    public async Task<IReadOnlyList<Guid>> ArchiveDueAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<Guid>(new CommandDefinition(ArchiveDueSql, new { Limit = limit }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return [.. ids];
    }

    private const string DownloadSql = """
        SELECT r.id, r.state, r.archive_location, r.archive_format, c.caller, c.callee
        FROM recordings r
        JOIN calls c ON c.id = r.call_id
        WHERE r.id = @Id
        """;

    /// <summary>What the download needs to know about a recording, or null.</summary>
    public async Task<RecordingForDownload?> GetForDownloadAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<RecordingForDownload>(new CommandDefinition(
            DownloadSql, new { Id = id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}

/// <summary>A recording FreeSWITCH accepted: the row <see cref="RecordingStore.InsertStartedAsync"/> writes.</summary>
public sealed record StartedRecording(
    Guid Id, Guid CallId, string Node, Guid LegUuid, string NodePath, string RelativePath, DateTime StartedAt);

/// <summary>A recording as the download sees it: its state, where its archive is, and the call's parties.</summary>
public sealed record RecordingForDownload
{
    public Guid Id { get; init; }

    public string State { get; init; } = "";

    public string? ArchiveLocation { get; init; }

    public string? ArchiveFormat { get; init; }

    public string Caller { get; init; } = "";

    public string? Callee { get; init; }
}
