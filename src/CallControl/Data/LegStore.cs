using Dapper;
using Npgsql;
using NpgsqlTypes;
using static CallControl.Data.TypedParameters;

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
    // unless it is null, or unless the row already holds json_cdr data and the incoming write is a late event. A write
    // without variables leaves the stored ones as they are (no merge: PostgreSQL keeps their TOAST pointer).
    // Positional parameters, bound by Parameters() in this order, so one text serves a lone write and a batch.
    private static readonly string UpsertSql = $$"""
        INSERT INTO call_legs (leg_uuid, call_id, role, channel_name, direction, start_at, progress_at,
                               progress_media_at, answer_at, end_at, duration, billsec, hangup_cause, sip_term_status,
                               read_codec, write_codec, variables, source, json_cdr, freeswitch_node)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::jsonb, $18, $19::json, $20)
        ON CONFLICT (leg_uuid) DO UPDATE
        SET {{string.Join(",\n    ", FactColumns.Select(c =>
            $"{c} = CASE WHEN {LateEvent} THEN COALESCE(call_legs.{c}, EXCLUDED.{c}) ELSE COALESCE(EXCLUDED.{c}, call_legs.{c}) END"))}},
            variables = CASE WHEN EXCLUDED.variables IS NULL OR call_legs.variables IS NULL
                    THEN COALESCE(EXCLUDED.variables, call_legs.variables)
                WHEN {{LateEvent}} THEN EXCLUDED.variables || call_legs.variables
                ELSE call_legs.variables || EXCLUDED.variables END,
            json_cdr = COALESCE(EXCLUDED.json_cdr, call_legs.json_cdr),
            source = CASE WHEN call_legs.source = EXCLUDED.source THEN call_legs.source ELSE 'both' END,
            updated_at = now()
        RETURNING (xmax = 0) AS inserted
        """;

    // The document as FreeSWITCH posted it (json, 0014), or, for a leg stored before 0014, the jsonb it was kept as.
    private const string DocumentColumn = "COALESCE(json_cdr::text, json_cdr_jsonb::text) AS json_cdr";

    private const string LateEvent = "(EXCLUDED.source = 'event' AND call_legs.source <> 'event')";

    private const string SelectSql = $"""
        SELECT leg_uuid, call_id, role, channel_name, direction, start_at, progress_at, progress_media_at, answer_at,
               end_at, duration, billsec, hangup_cause, sip_term_status, read_codec, write_codec,
               variables::text AS variables, source, {DocumentColumn}, freeswitch_node, updated_at
        FROM call_legs
        WHERE leg_uuid = @legUuid
        """;

    private const string SelectForCallSql = $"""
        SELECT leg_uuid, call_id, role, channel_name, direction, start_at, progress_at, progress_media_at, answer_at,
               end_at, duration, billsec, hangup_cause, sip_term_status, read_codec, write_codec,
               variables::text AS variables, source, {DocumentColumn}, freeswitch_node, updated_at
        FROM call_legs
        WHERE call_id = @callId
        ORDER BY start_at NULLS LAST, leg_uuid
        """;

    /// <summary>Inserts or enriches the leg's row; true when this created it, false when it updated an existing one.</summary>
    public async Task<bool> UpsertAsync(LegUpsert leg, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leg);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(UpsertSql, connection);
        Bind(command.Parameters, leg);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Upserts several legs in one round trip and one transaction (each leg its own statement, in order, so the same
    /// leg may appear twice): all are stored or, when PostgreSQL refuses any of them, none is and this throws.
    /// </summary>
    public async Task UpsertManyAsync(IReadOnlyList<LegUpsert> legs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(legs);
        if (legs.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var leg in legs)
        {
            var command = new NpgsqlBatchCommand(UpsertSql);
            Bind(command.Parameters, leg);
            batch.BatchCommands.Add(command);
        }

        // One Sync for the whole batch: PostgreSQL runs it as one implicit transaction.
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Typed parameters in the order of UpsertSql's $1..$20: nothing is inferred per write.
    private static void Bind(NpgsqlParameterCollection p, LegUpsert leg)
    {
        p.Add(Required(leg.LegUuid, NpgsqlDbType.Uuid));
        p.Add(Value(leg.CallId, NpgsqlDbType.Uuid));
        p.Add(Text(leg.Role));
        p.Add(Text(leg.ChannelName));
        p.Add(Text(leg.Direction));
        p.Add(Value(leg.StartAt, NpgsqlDbType.TimestampTz));
        p.Add(Value(leg.ProgressAt, NpgsqlDbType.TimestampTz));
        p.Add(Value(leg.ProgressMediaAt, NpgsqlDbType.TimestampTz));
        p.Add(Value(leg.AnswerAt, NpgsqlDbType.TimestampTz));
        p.Add(Value(leg.EndAt, NpgsqlDbType.TimestampTz));
        p.Add(Value(leg.Duration, NpgsqlDbType.Integer));
        p.Add(Value(leg.Billsec, NpgsqlDbType.Integer));
        p.Add(Text(leg.HangupCause));
        p.Add(Text(leg.SipTermStatus));
        p.Add(Text(leg.ReadCodec));
        p.Add(Text(leg.WriteCodec));
        p.Add(Text(leg.Variables));
        p.Add(Text(leg.SourceText));
        p.Add(Text(leg.JsonCdr));
        p.Add(Text(leg.FreeswitchNode));
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
