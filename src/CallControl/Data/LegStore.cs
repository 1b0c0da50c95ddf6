using Dapper;
using Npgsql;

namespace CallControl.Data;

/// <summary>
/// Call legs (CDRs). Both paths, the ESL event and mod_json_cdr, upsert by leg UUID: a CDR arriving twice, or by
/// both paths, is one row. Known values are never wiped by unknowns. When both paths know a value, mod_json_cdr
/// (the ground truth) wins: a late event cannot overwrite what the CDR said.
/// </summary>
public sealed class LegStore(NpgsqlDataSource dataSource)
{
    private static readonly string[] FactColumns =
    [
        "call_id", "role", "channel_name", "direction", "start_at", "progress_at", "progress_media_at", "answer_at",
        "end_at", "duration", "billsec", "hangup_cause", "sip_term_status", "read_codec", "write_codec", "freeswitch_node",
    ];

    // Built once from the fixed column list above (no input reaches it): per column, the incoming value wins
    // unless it is null, or unless the row already holds json_cdr data and the incoming write is a late event.
    private static readonly string UpsertSql = $$"""
        INSERT INTO call_legs (leg_uuid, call_id, role, channel_name, direction, start_at, progress_at,
                               progress_media_at, answer_at, end_at, duration, billsec, hangup_cause, sip_term_status,
                               read_codec, write_codec, variables, source, json_cdr, freeswitch_node)
        VALUES (@LegUuid, @CallId, @Role, @ChannelName, @Direction, @StartAt, @ProgressAt,
                @ProgressMediaAt, @AnswerAt, @EndAt, @Duration, @Billsec, @HangupCause, @SipTermStatus,
                @ReadCodec, @WriteCodec, CAST(@Variables AS jsonb), @SourceText, CAST(@JsonCdr AS jsonb), @FreeswitchNode)
        ON CONFLICT (leg_uuid) DO UPDATE
        SET {{string.Join(",\n    ", FactColumns.Select(c =>
            $"{c} = CASE WHEN {LateEvent} THEN COALESCE(call_legs.{c}, EXCLUDED.{c}) ELSE COALESCE(EXCLUDED.{c}, call_legs.{c}) END"))}},
            variables = CASE WHEN {{LateEvent}}
                THEN COALESCE(EXCLUDED.variables, '{}'::jsonb) || COALESCE(call_legs.variables, '{}'::jsonb)
                ELSE COALESCE(call_legs.variables, '{}'::jsonb) || COALESCE(EXCLUDED.variables, '{}'::jsonb) END,
            json_cdr = COALESCE(EXCLUDED.json_cdr, call_legs.json_cdr),
            source = CASE WHEN call_legs.source = EXCLUDED.source THEN call_legs.source ELSE 'both' END,
            updated_at = now()
        RETURNING (xmax = 0) AS inserted
        """;

    private const string LateEvent = "(EXCLUDED.source = 'event' AND call_legs.source <> 'event')";

    private const string SelectSql = """
        SELECT leg_uuid, call_id, role, channel_name, direction, start_at, progress_at, progress_media_at, answer_at,
               end_at, duration, billsec, hangup_cause, sip_term_status, read_codec, write_codec,
               variables::text AS variables, source, json_cdr::text AS json_cdr, freeswitch_node, updated_at
        FROM call_legs
        WHERE leg_uuid = @legUuid
        """;

    private const string SelectForCallSql = """
        SELECT leg_uuid, call_id, role, channel_name, direction, start_at, progress_at, progress_media_at, answer_at,
               end_at, duration, billsec, hangup_cause, sip_term_status, read_codec, write_codec,
               variables::text AS variables, source, json_cdr::text AS json_cdr, freeswitch_node, updated_at
        FROM call_legs
        WHERE call_id = @callId
        ORDER BY start_at NULLS LAST, leg_uuid
        """;

    /// <summary>Inserts or enriches the leg's row; true when this created it, false when it updated an existing one.</summary>
    public async Task<bool> UpsertAsync(LegUpsert leg, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leg);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // The record itself as the parameters (Dapper types each from its property), not DynamicParameters over it,
        // which reads NpgsqlParameter.DbType back and so resolves every parameter's type at every write.
        return await connection.QuerySingleAsync<bool>(
            new CommandDefinition(UpsertSql, leg, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The leg's row, or null.</summary>
    public async Task<LegRecord?> GetAsync(Guid legUuid, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<LegRecord>(
            new CommandDefinition(SelectSql, new { legUuid }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The call's legs, earliest first.</summary>
    public async Task<IReadOnlyList<LegRecord>> ListForCallAsync(Guid callId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<LegRecord>(
            new CommandDefinition(SelectForCallSql, new { callId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }
}
