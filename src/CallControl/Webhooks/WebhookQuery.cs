using System.Text.Json;
using Dapper;
using Npgsql;

namespace CallControl.Webhooks;

/// <summary>The admin's view of webhook events and their attempts, newest first.</summary>
public sealed class WebhookQuery(NpgsqlDataSource dataSource)
{
    private const string ListSql = """
        SELECT id, seq, type, call_id, room_id, occurred_at, url, state, attempts, last_error, next_attempt_at,
               delivered_at, failed_at, created_at
        FROM webhook_events
        WHERE (CAST(@callId AS uuid) IS NULL OR call_id = @callId)
          AND (CAST(@state AS text) IS NULL OR state = @state)
          AND (CAST(@before AS bigint) IS NULL OR seq < @before)
        ORDER BY seq DESC
        LIMIT @limit
        """;

    private const string EventSql = """
        SELECT id, seq, type, call_id, room_id, occurred_at, url, state, attempts, last_error, next_attempt_at,
               delivered_at, failed_at, created_at, body
        FROM webhook_events
        WHERE id = @id
        """;

    private const string AttemptsSql = """
        SELECT attempt, started_at, duration_ms, http_status, error, outcome
        FROM webhook_attempts
        WHERE event_id = @id
        ORDER BY attempt
        """;

    /// <summary>A page of events; <see cref="WebhookEventPage.NextBefore"/> continues it (null on the last page).</summary>
    public async Task<WebhookEventPage> ListAsync(Guid? callId, string? state, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<WebhookEventSummary>(new CommandDefinition(
            ListSql, new { callId, state, before, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        return new WebhookEventPage(rows, rows.Count == limit ? rows[^1].Seq : null);
    }

    /// <summary>The event, its payload and every attempt, or null.</summary>
    public async Task<WebhookEventDetail?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(
            System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<EventRow>(
            new CommandDefinition(EventSql, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var attempts = await connection.QueryAsync<WebhookAttemptView>(
            new CommandDefinition(AttemptsSql, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        using var payload = JsonDocument.Parse(row.Body);
        return new WebhookEventDetail(row, payload.RootElement.Clone(), [.. attempts]);
    }

    private sealed record EventRow : WebhookEventSummary
    {
        public string Body { get; init; } = "";
    }
}

/// <summary>One event as the admin list shows it.</summary>
public record WebhookEventSummary
{
    public Guid Id { get; init; }
    public long Seq { get; init; }
    public string Type { get; init; } = "";
    public Guid CallId { get; init; }
    public string RoomId { get; init; } = "";
    public DateTime OccurredAt { get; init; }
    public string Url { get; init; } = "";
    public string State { get; init; } = "";
    public int Attempts { get; init; }
    public string? LastError { get; init; }
    public DateTime NextAttemptAt { get; init; }
    public DateTime? DeliveredAt { get; init; }
    public DateTime? FailedAt { get; init; }
    public DateTime CreatedAt { get; init; }
}

public sealed record WebhookEventPage(IReadOnlyList<WebhookEventSummary> Events, long? NextBefore);

/// <summary>One attempt as the admin sees it: when, how long, what the receiver answered (or the error), what it decided.</summary>
public sealed record WebhookAttemptView
{
    public int Attempt { get; init; }
    public DateTime StartedAt { get; init; }
    public int DurationMs { get; init; }
    public int? HttpStatus { get; init; }
    public string? Error { get; init; }
    public string Outcome { get; init; } = "";
}

/// <summary><c>GET /api/admin/webhooks/{eventId}</c>: the event, the payload as sent, its attempts in order.</summary>
public sealed record WebhookEventDetail(WebhookEventSummary Event, JsonElement Payload, IReadOnlyList<WebhookAttemptView> Attempts);
