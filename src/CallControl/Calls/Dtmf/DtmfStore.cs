using Dapper;
using Npgsql;

namespace CallControl.Calls.Dtmf;

/// <summary>One row of <c>call_dtmf</c>.</summary>
public sealed record DtmfRecord
{
    public long Id { get; init; }
    public Guid CallId { get; init; }
    public Guid LegUuid { get; init; }
    public required string Role { get; init; }
    public required string Digit { get; init; }
    public int DurationMs { get; init; }
    public required string Source { get; init; }
    public DateTime At { get; init; }
}

/// <summary>The call's DTMF history in <c>call_dtmf</c>.</summary>
public sealed class DtmfStore(NpgsqlDataSource dataSource)
{
    private const string InsertSql = """
        INSERT INTO call_dtmf (call_id, leg_uuid, role, digit, duration_ms, source, at)
        VALUES (@CallId, @LegUuid, @Role, @Digit, @DurationMs, @Source, @At)
        """;

    private const string ListSql = """
        SELECT id, call_id, leg_uuid, role, digit, duration_ms, source, at
        FROM call_dtmf
        WHERE call_id = @callId
        ORDER BY at, id
        """;

    /// <summary>Inserts the rows in one round trip.</summary>
    public async Task AddAsync(IReadOnlyList<DtmfRecord> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, rows, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>The call's DTMF rows, oldest first.</summary>
    public async Task<IReadOnlyList<DtmfRecord>> ListForCallAsync(Guid callId, CancellationToken cancellationToken = default)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var rows = await connection.QueryAsync<DtmfRecord>(
                new CommandDefinition(ListSql, new { callId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return [.. rows];
        }
    }
}
