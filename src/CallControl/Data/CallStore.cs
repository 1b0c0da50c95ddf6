using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using static CallControl.Data.TypedParameters;

namespace CallControl.Data;

/// <summary>
/// Calls and their state history. Every status change writes the call and its history row in one transaction,
/// guarded by the version the caller read (optimistic concurrency: two writers cannot both win). After the commit,
/// the <see cref="ICallStatusObserver"/>s are told.
/// </summary>
public sealed class CallStore(NpgsqlDataSource dataSource, IEnumerable<ICallStatusObserver> observers, ILogger<CallStore> logger)
{
    private readonly ICallStatusObserver[] _observers = [.. observers];

    /// <summary>A store nobody observes (tests, tools).</summary>
    public CallStore(NpgsqlDataSource dataSource)
        : this(dataSource, [], NullLogger<CallStore>.Instance)
    {
    }

    private const string InsertCallSql = """
        INSERT INTO calls (id, room_id, caller, callee, callee_number, media, status, fallback_reason,
                           created_at, ringing_at, freeswitch_node, ring_deadline, pstn_dialed_at, version)
        VALUES (@Id, @RoomId, @Caller, @Callee, @CalleeNumber, @Media, @Status, @FallbackReason,
                @CreatedAt, @RingingAt, @FreeswitchNode, @RingDeadline, @PstnDialedAt, 1)
        RETURNING id, status, created_at
        """;

    private const string InsertFirstHistorySql = """
        INSERT INTO call_state_history (call_id, from_status, to_status, reason, at)
        SELECT id, NULL, status, @Reason, created_at
        FROM call
        """;

    // The call and its first history row in one statement: one round trip, atomic without a transaction block.
    private const string InsertSql = $"""
        WITH call AS (
        {InsertCallSql}
        )
        {InsertFirstHistorySql}
        """;

    // A new room, its caller's login and its call in one statement (one round trip, one commit, all or nothing): the
    // three rows a room request stores. The foreign keys (the call's and the login's room) are checked at the end of
    // the statement, when the room's row is there.
    private static readonly string InsertWithRoomSql = $"""
        WITH room AS (
        {RoomStore.InsertRoomSql("Room")}
        ),
        login AS (
        {VertoLoginStore.InsertSql}
        ),
        call AS (
        {InsertCallSql}
        ),
        history AS (
        {InsertFirstHistorySql}
        )
        SELECT created_at FROM room
        """;

    // One statement: the CTE reads the status being left under a row lock (NO KEY UPDATE: the key does not change, so
    // inserts of legs and history rows that reference the call are not blocked), the update moves the call, and the
    // history row names the true predecessor. One round trip, so no lock is held while the client is away.
    // Two texts, not one with a "final" flag: with a boolean parameter that switches the room and recording updates
    // off, PostgreSQL found a custom plan (flag folded away) cheaper than the generic one and planned the statement
    // again at every execution (pg_stat_statements under bench/load: 4,410 plans in 5,790 calls, 0.5 ms each). Each
    // text now has one shape, so after its first executions each connection reuses a generic plan.
    private const string TransitionHeadSql = """
        WITH old AS (
            SELECT id, status
            FROM calls
            WHERE id = $1
              AND version = $2
            FOR NO KEY UPDATE
        ),
        moved AS (
        UPDATE calls AS c
        SET status = $3,
            answered_via = COALESCE($4, c.answered_via),
            fallback_reason = COALESCE($5, c.fallback_reason),
            ringing_at = COALESCE($6, c.ringing_at),
            answered_at = COALESCE($7, c.answered_at),
            ended_at = COALESCE($8, c.ended_at),
            duration = COALESCE($9, c.duration),
            billsec = COALESCE($10, c.billsec),
            hangup_cause = COALESCE($11, c.hangup_cause),
            sip_code = COALESCE($12, c.sip_code),
            hangup_disposition = COALESCE($13, c.hangup_disposition),
            hung_up_by = COALESCE($14, c.hung_up_by),
            recording_id = COALESCE($15, c.recording_id),
            ring_deadline = COALESCE($16, c.ring_deadline),
            pstn_dialed_at = COALESCE($17, c.pstn_dialed_at),
            version = c.version + 1
        FROM old
        WHERE c.id = old.id
        RETURNING old.status AS from_status, c.room_id
        ),
        history AS (
            INSERT INTO call_state_history (call_id, from_status, to_status, reason, at)
            SELECT $1, from_status, $3, $18, $19
            FROM moved
        )
        """;

    private const string TransitionSql = TransitionHeadSql + """
        SELECT from_status, room_id, '{}'::uuid[] AS ended_recordings
        FROM moved
        """;

    // A final status also closes the room and stamps the call's recordings with the end (what their archive waits for).
    private const string FinalTransitionSql = TransitionHeadSql + """
        ,
        closed AS (
            UPDATE rooms
            SET state = 'closed'
            WHERE id = (SELECT room_id FROM moved)
        ),
        ended_recordings AS (
            UPDATE recordings
            SET call_ended_at = COALESCE($8, $19),
                updated_at = now()
            WHERE call_id = (SELECT id FROM old)
              AND call_ended_at IS NULL
            RETURNING id
        )
        SELECT from_status, room_id, ARRAY(SELECT id FROM ended_recordings) AS ended_recordings
        FROM moved
        """;

    private const string ExistsSql = """
        SELECT EXISTS (SELECT 1 FROM calls WHERE id = @id)
        """;

    private const string CallColumns = """
        id, room_id, caller, callee, callee_number, media, status, answered_via, fallback_reason,
        created_at, ringing_at, answered_at, ended_at, duration, billsec, hangup_cause, sip_code,
        hangup_disposition, hung_up_by, freeswitch_node, recording_id, ring_deadline, pstn_dialed_at, version
        """;

    private const string SelectSql = $"""
        SELECT {CallColumns}
        FROM calls
        WHERE id = @id
        """;

    private const string SelectLatestForRoomSql = $"""
        SELECT {CallColumns}
        FROM calls
        WHERE room_id = @roomId
        ORDER BY created_at DESC, id DESC
        LIMIT 1
        """;

    private const string SelectHistorySql = """
        SELECT id, call_id, from_status, to_status, reason, at
        FROM call_state_history
        WHERE call_id = @id
        ORDER BY id
        """;

    /// <summary>
    /// Inserts a new call (version 1) and its first history row (from nothing to <see cref="CallRecord.Status"/>)
    /// in one transaction.
    /// </summary>
    public async Task<CallRecord> CreateAsync(CallRecord call, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        // A plain object, not DynamicParameters over a template: Dapper then sets each parameter's type from the
        // property's, where DynamicParameters reads NpgsqlParameter.DbType back, which resolves the type every time.
        var parameters = new
        {
            call.Id, call.RoomId, call.Caller, call.Callee, call.CalleeNumber, call.Media, call.Status, call.FallbackReason,
            call.CreatedAt, call.RingingAt, call.FreeswitchNode, call.RingDeadline, call.PstnDialedAt, Reason = reason,
        };
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await TellCreatedAsync(call, reason).ConfigureAwait(false);
        return call with { Version = 1 };
    }

    // The connection is back in the pool before the observers run: they may need one themselves (the webhook store
    // does), and holding ours while waiting for theirs deadlocks a busy pool.
    private Task TellCreatedAsync(CallRecord call, string? reason) =>
        TellObserversAsync(new CallStatusChange(call.Id, call.RoomId, null, new CallChange
        {
            ToStatus = call.Status,
            Reason = reason,
            At = call.CreatedAt,
            RingingAt = call.RingingAt,
            FallbackReason = call.FallbackReason,
            PstnDialedAt = call.PstnDialedAt,
        }));

    /// <summary>
    /// As <see cref="CreateAsync"/>, storing the call's new <paramref name="room"/> and its caller's
    /// <paramref name="login"/> (made by <see cref="VertoLoginStore.New"/> for the room) in the same statement. Returns
    /// the call and the room with its creation time.
    /// </summary>
    public async Task<(CallRecord Call, RoomRecord Room)> CreateWithRoomAsync(
        CallRecord call, string? reason, RoomRecord room, VertoLogin login, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(login);
        if (call.RoomId != room.Id || login.RoomId != room.Id)
        {
            throw new ArgumentException($"the call ({call.RoomId}) and the login ({login.RoomId}) must be for room {room.Id}", nameof(room));
        }

        var parameters = new
        {
            call.Id, call.RoomId, call.Caller, call.Callee, call.CalleeNumber, call.Media, call.Status, call.FallbackReason,
            call.CreatedAt, call.RingingAt, call.FreeswitchNode, call.RingDeadline, call.PstnDialedAt, Reason = reason,
            RoomCallerUserId = room.CallerUserId, RoomCalleeUserId = room.CalleeUserId, RoomCalleeNumber = room.CalleeNumber,
            RoomMedia = room.Media, RoomRecord = room.Record, RoomFallbackPolicyOverride = room.FallbackPolicyOverride,
            RoomFreeswitchNode = room.FreeswitchNode, RoomState = room.State, RoomWebhookUrl = room.WebhookUrl,
            login.Login, login.Password, login.UserId, login.ExpiresAt, // the login's room is @RoomId, checked equal above
        };
        DateTime createdAt;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            createdAt = await connection.QuerySingleAsync<DateTime>(
                new CommandDefinition(InsertWithRoomSql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await TellCreatedAsync(call, reason).ConfigureAwait(false);
        return (call with { Version = 1 }, room with { CreatedAt = createdAt });
    }

    /// <summary>
    /// Moves the call to <see cref="CallChange.ToStatus"/> if it is still at <paramref name="expectedVersion"/>,
    /// applies the change's facts and appends the history row, all in one transaction.
    /// </summary>
    public async Task<TransitionOutcome> TransitionAsync(
        Guid callId, int expectedVersion, CallChange change, CancellationToken cancellationToken = default) =>
        (await ApplyAsync(callId, expectedVersion, change, cancellationToken).ConfigureAwait(false)).Outcome;

    /// <summary>
    /// As <see cref="TransitionAsync"/>; when the change is applied and its status is final, the same statement also
    /// closes the call's room and sets <c>call_ended_at</c> on its recordings that lacked it, whose ids come back.
    /// </summary>
    public async Task<TransitionResult> ApplyAsync(
        Guid callId, int expectedVersion, CallChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var sql = CallStatuses.IsFinal(change.ToStatus) ? FinalTransitionSql : TransitionSql;
        MovedRow? row;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            row = await ReadMovedAsync(connection, sql, callId, expectedVersion, change, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                var exists = await connection.ExecuteScalarAsync<bool>(
                    new CommandDefinition(ExistsSql, new { id = callId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
                return new TransitionResult(exists ? TransitionOutcome.VersionConflict : TransitionOutcome.NotFound, []);
            }
        }

        // As in CreateAsync: observers run with our connection back in the pool.
        await TellObserversAsync(new CallStatusChange(callId, row.RoomId, row.FromStatus, change)).ConfigureAwait(false);
        return new TransitionResult(TransitionOutcome.Applied, row.EndedRecordings);
    }

    // The transition's parameters typed, in the order of its $1..$19: one signature whichever fields are set.
    private static async Task<MovedRow?> ReadMovedAsync(
        NpgsqlConnection connection, string sql, Guid callId, int expectedVersion, CallChange change,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var p = command.Parameters;
        p.Add(Required(callId, NpgsqlDbType.Uuid));
        p.Add(Required(expectedVersion, NpgsqlDbType.Integer));
        p.Add(Text(change.ToStatus));
        p.Add(Text(change.AnsweredVia));
        p.Add(Text(change.FallbackReason));
        p.Add(Value(change.RingingAt, NpgsqlDbType.TimestampTz));
        p.Add(Value(change.AnsweredAt, NpgsqlDbType.TimestampTz));
        p.Add(Value(change.EndedAt, NpgsqlDbType.TimestampTz));
        p.Add(Value(change.Duration, NpgsqlDbType.Integer));
        p.Add(Value(change.Billsec, NpgsqlDbType.Integer));
        p.Add(Text(change.HangupCause));
        p.Add(Value(change.SipCode, NpgsqlDbType.Integer));
        p.Add(Text(change.HangupDisposition));
        p.Add(Text(change.HungUpBy));
        p.Add(Text(change.RecordingId));
        p.Add(Value(change.RingDeadline, NpgsqlDbType.TimestampTz));
        p.Add(Value(change.PstnDialedAt, NpgsqlDbType.TimestampTz));
        p.Add(Text(change.Reason));
        p.Add(Required(change.At, NpgsqlDbType.TimestampTz));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new MovedRow
        {
            FromStatus = reader.GetString(0),
            RoomId = reader.GetString(1),
            EndedRecordings = reader.GetFieldValue<Guid[]>(2),
        };
    }

    /// <summary>The call, or null.</summary>
    public async Task<CallRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<CallRecord>(
            new CommandDefinition(SelectSql, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The call and its state history (one snapshot), or null.</summary>
    public async Task<CallWithHistory?> GetWithHistoryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(
            System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var call = await connection.QuerySingleOrDefaultAsync<CallRecord>(
            new CommandDefinition(SelectSql, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (call is null)
        {
            return null;
        }

        var history = await connection.QueryAsync<CallStateChange>(
            new CommandDefinition(SelectHistorySql, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CallWithHistory(call, [.. history]);
    }

    /// <summary>The room's most recent call, or null when it has none.</summary>
    public async Task<CallRecord?> GetLatestForRoomAsync(string roomId, CancellationToken cancellationToken = default)
    {
        // One statement: reading the id and then the row through GetAsync held one pooled connection while renting a
        // second, which deadlocks once every connection of the pool is held that way (seen in bench/load at pool 8).
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<CallRecord>(
            new CommandDefinition(SelectLatestForRoomSql, new { roomId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private sealed class MovedRow
    {
        public string FromStatus { get; init; } = "";
        public string RoomId { get; init; } = "";
        public Guid[] EndedRecordings { get; init; } = [];
    }

    /// <summary>Runs after the commit, uncancelled: the change is stored whatever an observer does.</summary>
    private async Task TellObserversAsync(CallStatusChange change)
    {
        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnCommittedAsync(change, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // An observer's failure must not turn a committed transition into an error.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                DataLog.ObserverFailed(logger, change.CallId, change.To, observer.GetType().Name, ex);
            }
        }
    }
}
