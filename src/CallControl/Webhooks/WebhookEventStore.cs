using Dapper;
using Npgsql;

namespace CallControl.Webhooks;

/// <summary>
/// The delivery side of <c>webhook_events</c> / <c>webhook_attempts</c>: record an event, claim it for one attempt,
/// store the attempt and its outcome, and find what is due. Times are the database's (<c>now()</c>), one clock for
/// every service instance.
/// </summary>
public sealed class WebhookEventStore(NpgsqlDataSource dataSource)
{
    // The room's own URL wins over the deployment's; with neither there is nobody to tell and no row.
    private const string InsertSql = """
        INSERT INTO webhook_events (id, type, call_id, room_id, occurred_at, url, body)
        SELECT @Id, @Type, @CallId, r.id, @OccurredAt, COALESCE(r.webhook_url, CAST(@DefaultUrl AS text)), @Body
        FROM rooms AS r
        WHERE r.id = @RoomId
          AND COALESCE(r.webhook_url, CAST(@DefaultUrl AS text)) IS NOT NULL
        """;

    private const string RoomOfCallSql = """
        SELECT room_id
        FROM calls
        WHERE id = @callId
        """;

    // One worker at a time (the lease), only when due, and only when no earlier event of the call is still pending:
    // that is the per-call ordering. Concurrent claims serialize on the row lock and re-check the lease.
    private const string ClaimSql = """
        UPDATE webhook_events AS e
        SET attempts = e.attempts + 1,
            lease_until = now() + @leaseSeconds * interval '1 second'
        WHERE e.id = @id
          AND e.state = 'pending'
          AND e.next_attempt_at <= now()
          AND (e.lease_until IS NULL OR e.lease_until < now())
          AND NOT EXISTS (
              SELECT 1
              FROM webhook_events AS p
              WHERE p.call_id = e.call_id
                AND p.seq < e.seq
                AND p.state = 'pending')
        RETURNING e.id, e.call_id, e.type, e.url, e.body, e.attempts
        """;

    private const string StandingSql = """
        SELECT e.state,
               COALESCE(e.lease_until > now(), false) AS leased,
               GREATEST(EXTRACT(EPOCH FROM e.next_attempt_at - now()), 0)::float8 AS due_in_seconds,
               EXISTS (
                   SELECT 1
                   FROM webhook_events AS p
                   WHERE p.call_id = e.call_id
                     AND p.seq < e.seq
                     AND p.state = 'pending') AS waiting
        FROM webhook_events AS e
        WHERE e.id = @id
        """;

    private const string InsertAttemptSql = """
        INSERT INTO webhook_attempts (event_id, attempt, started_at, duration_ms, http_status, error, outcome)
        VALUES (@EventId, @Attempt, @StartedAt, @DurationMs, @HttpStatus, @Error, @Outcome)
        """;

    private const string SettleSql = """
        UPDATE webhook_events
        SET state = @state,
            lease_until = NULL,
            last_error = @error,
            next_attempt_at = CASE WHEN @state = 'pending' THEN now() + @retrySeconds * interval '1 second' ELSE next_attempt_at END,
            delivered_at = CASE WHEN @state = 'delivered' THEN now() END,
            failed_at = CASE WHEN @state = 'failed' THEN now() END
        WHERE id = @eventId
        """;

    private const string NextPendingSql = """
        SELECT id
        FROM webhook_events
        WHERE call_id = @callId
          AND state = 'pending'
        ORDER BY seq
        LIMIT 1
        """;

    // Due, nobody on it, nothing earlier of its call pending, and either not dispatched since it became due (a retry
    // whose backoff ran out) or dispatched so long ago that its job must be lost. SKIP LOCKED: instances share the work.
    private const string DispatchSql = """
        UPDATE webhook_events AS e
        SET dispatched_at = now()
        WHERE e.id IN (
            SELECT d.id
            FROM webhook_events AS d
            WHERE d.state = 'pending'
              AND d.next_attempt_at <= now()
              AND (d.lease_until IS NULL OR d.lease_until < now())
              AND (d.dispatched_at < d.next_attempt_at
                   OR d.dispatched_at < now() - @lostAfterSeconds * interval '1 second')
              AND NOT EXISTS (
                  SELECT 1
                  FROM webhook_events AS p
                  WHERE p.call_id = d.call_id
                    AND p.seq < d.seq
                    AND p.state = 'pending')
            ORDER BY d.seq
            LIMIT @limit
            FOR UPDATE OF d SKIP LOCKED)
        RETURNING e.id
        """;

    /// <summary>
    /// Records the event for its room's receiver (else <paramref name="defaultUrl"/>); false when there is none, so
    /// nothing is recorded and nothing will be sent.
    /// </summary>
    public async Task<bool> InsertAsync(WebhookEventDraft draft, Uri? defaultUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            InsertSql,
            new { draft.Id, draft.Type, draft.CallId, draft.RoomId, draft.OccurredAt, draft.Body, DefaultUrl = defaultUrl?.AbsoluteUri },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows == 1;
    }

    /// <summary>The room of a call, or null when there is no such call.</summary>
    public async Task<string?> RoomOfCallAsync(Guid callId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<string?>(
            new CommandDefinition(RoomOfCallSql, new { callId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Takes the event for one attempt (counted now), or null when it is not this worker's to attempt.</summary>
    public async Task<ClaimedWebhookEvent?> TryClaimAsync(Guid id, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<ClaimedWebhookEvent>(
            new CommandDefinition(ClaimSql, new { id, leaseSeconds = lease.TotalSeconds }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Why an event could not be claimed, or null when there is no such event.</summary>
    public async Task<WebhookEventStanding?> StandingAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<WebhookEventStanding>(
            new CommandDefinition(StandingSql, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores the attempt and settles the event in one transaction: delivered, failed, or pending again after
    /// <paramref name="retryAfter"/> (the lease is released either way).
    /// </summary>
    public async Task SettleAsync(WebhookAttempt attempt, TimeSpan? retryAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var state = attempt.Outcome switch
        {
            WebhookAttemptOutcomes.Delivered => WebhookStates.Delivered,
            WebhookAttemptOutcomes.Failed => WebhookStates.Failed,
            _ => WebhookStates.Pending,
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(InsertAttemptSql, attempt, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            SettleSql,
            new { eventId = attempt.EventId, state, error = attempt.Error, retrySeconds = (retryAfter ?? TimeSpan.Zero).TotalSeconds },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The call's earliest pending event (the next one to deliver), or null.</summary>
    public async Task<Guid?> NextPendingAsync(Guid callId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<Guid?>(
            new CommandDefinition(NextPendingSql, new { callId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Marks as dispatched, and returns, the events to enqueue now: retries that became due, and events whose job was
    /// lost (dispatched more than <paramref name="lostAfter"/> ago and still pending).
    /// </summary>
    public async Task<IReadOnlyList<Guid>> DispatchDueAsync(TimeSpan lostAfter, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<Guid>(
            new CommandDefinition(DispatchSql, new { lostAfterSeconds = lostAfter.TotalSeconds, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. ids];
    }
}
