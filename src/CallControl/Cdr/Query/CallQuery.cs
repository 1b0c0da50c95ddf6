using System.Text;
using Dapper;
using Npgsql;

namespace CallControl.Cdr.Query;

/// <summary>
/// Reads calls for the admin API. The WHERE clause is built from the fixed clauses below, one per filter that is
/// set; every value is a named parameter.
/// </summary>
public sealed partial class CallQuery(NpgsqlDataSource dataSource)
{
    internal const string Columns = """
        id, room_id, caller, callee, callee_number, media, status, answered_via, fallback_reason, created_at,
        ringing_at, answered_at, ended_at, duration, billsec, hangup_cause, sip_code, hangup_disposition,
        hung_up_by, freeswitch_node, recording_id, pstn_dialed_at
        """;

    private const string LegColumns = """
        leg_uuid, call_id, role, channel_name, direction, start_at, progress_at, progress_media_at, answer_at,
        end_at, duration, billsec, hangup_cause, sip_term_status, read_codec, write_codec, source, freeswitch_node
        """;

    private const string LegsOfSql = $"""
        SELECT {LegColumns}
        FROM call_legs
        WHERE call_id = ANY(@ids)
        ORDER BY start_at NULLS LAST, leg_uuid
        """;

    private const string CallSql = $"""
        SELECT {Columns}
        FROM calls
        WHERE id = @id
        """;

    private const string HistorySql = """
        SELECT id, from_status, to_status, reason, at
        FROM call_state_history
        WHERE call_id = @id
        ORDER BY id
        """;

    private const string DtmfSql = """
        SELECT leg_uuid, role, digit, duration_ms, source, at
        FROM call_dtmf
        WHERE call_id = @id
        ORDER BY at, id
        """;

    private const string RecordingsSql = """
        SELECT id, state, leg_uuid, started_at, stopped_at, duration_ms, archive_store, archive_format, archive_size_bytes,
               archive_sha256, archive_duration_ms, archived_at, attempts, failure_reason, failed_at, purged_at
        FROM recordings
        WHERE call_id = @id
        ORDER BY started_at, id
        """;

    /// <summary>A page of calls after <paramref name="after"/>, with their legs if asked.</summary>
    public async Task<CallPage> PageAsync(CallFilter filter, CallCursor? after, int limit, bool includeLegs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (sql, parameters) = Select(filter, after, limit + 1);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<CallRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))
            .ConfigureAwait(false)).ToList();
        string? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(limit);
            next = new CallCursor(rows[^1].CreatedAt, rows[^1].Id).Encode(filter);
        }

        if (includeLegs && rows.Count > 0)
        {
            var legs = (await connection.QueryAsync<LegRow>(new CommandDefinition(
                LegsOfSql, new { ids = rows.Select(r => r.Id).ToArray() }, cancellationToken: cancellationToken)).ConfigureAwait(false))
                .ToLookup(l => l.CallId);
            foreach (var row in rows)
            {
                row.Legs = [.. legs[row.Id]];
            }
        }

        return new CallPage(rows, next);
    }

    /// <summary>The call, its legs, its state history, its DTMF log and its recordings; null for an unknown id.</summary>
    public async Task<CallDetail?> DetailAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var call = await connection.QuerySingleOrDefaultAsync<CallRow>(new CommandDefinition(CallSql, new { id }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        if (call is null)
        {
            return null;
        }

        var legs = await connection.QueryAsync<LegRow>(new CommandDefinition(LegsOfSql, new { ids = new[] { id } }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        var history = await connection.QueryAsync<StateRow>(new CommandDefinition(HistorySql, new { id }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        var dtmf = await connection.QueryAsync<DtmfRow>(new CommandDefinition(DtmfSql, new { id }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        var recordings = await connection.QueryAsync<RecordingRow>(new CommandDefinition(RecordingsSql, new { id }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return new CallDetail(call, [.. legs], [.. history], [.. dtmf], call.RecordingId, [.. recordings]);
    }

    /// <summary>The SELECT for <paramref name="filter"/>: fixed clauses, named parameters, keyset order.</summary>
    internal static (string Sql, DynamicParameters Parameters) Select(CallFilter filter, CallCursor? after, int? limit)
    {
        var where = new List<string>();
        var p = new DynamicParameters();
        void Add(string clause, string name, object? value)
        {
            where.Add(clause);
            p.Add(name, value);
        }

        if (filter.From is { } from) Add("created_at >= @from", "from", from);
        if (filter.To is { } to) Add("created_at < @to", "to", to);
        if (filter.Statuses.Count > 0) Add("status = ANY(@statuses)", "statuses", filter.Statuses.ToArray());
        if (filter.AnsweredVia is { } via) Add("answered_via = @answeredVia", "answeredVia", via);
        if (filter.Fallback == true) where.Add("(pstn_dialed_at IS NOT NULL AND fallback_reason IS NOT NULL)");
        if (filter.Fallback == false) where.Add("NOT (pstn_dialed_at IS NOT NULL AND fallback_reason IS NOT NULL)");
        if (filter.Caller is { } caller) Add("caller = @caller", "caller", caller);
        if (filter.Callee is { } callee) Add("callee = @callee", "callee", callee);
        // Validated to '+' and digits: no LIKE wildcard can be in it.
        if (filter.CalleeNumber is { } number) Add("callee_number LIKE @calleeNumber", "calleeNumber", number + "%");
        if (filter.Room is { } room) Add("room_id = @room", "room", room);
        if (filter.Node is { } node) Add("freeswitch_node = @node", "node", node);
        if (filter.HangupCause is { } cause) Add("hangup_cause = @hangupCause", "hangupCause", cause);
        if (filter.MinDuration is { } min) Add("duration >= @minDuration", "minDuration", min);
        if (after is { } cursor)
        {
            where.Add(filter.Ascending ? "(created_at, id) > (@afterAt, @afterId)" : "(created_at, id) < (@afterAt, @afterId)");
            p.Add("afterAt", cursor.CreatedAt);
            p.Add("afterId", cursor.Id);
        }

        var sql = new StringBuilder("SELECT ").Append(Columns).Append("\nFROM calls\n");
        if (where.Count > 0)
        {
            sql.Append("WHERE ").AppendJoin("\n  AND ", where).Append('\n');
        }

        sql.Append(filter.Ascending ? "ORDER BY created_at, id" : "ORDER BY created_at DESC, id DESC");
        if (limit is { } n)
        {
            sql.Append("\nLIMIT @limit");
            p.Add("limit", n);
        }

        return (sql.ToString(), p);
    }
}
