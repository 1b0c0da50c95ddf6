using Dapper;

namespace CallControl.Cdr.Query;

// Outcome analytics per hour or day, computed in SQL. Buckets are cut in UTC.
public sealed partial class CallQuery
{
    // Fallback used: a carrier leg dialed for a reason; its success: the call was answered on that leg.
    private const string StatsSql = """
        SELECT date_trunc(@bucket, created_at, 'UTC') AS bucket_start,
               count(*) AS calls,
               count(*) FILTER (WHERE answered_at IS NOT NULL) AS answered,
               count(*) FILTER (WHERE status = 'completed') AS completed,
               count(*) FILTER (WHERE status = 'busy') AS busy,
               count(*) FILTER (WHERE status = 'refused') AS refused,
               count(*) FILTER (WHERE status = 'canceled') AS canceled,
               count(*) FILTER (WHERE status = 'no_answer') AS no_answer,
               count(*) FILTER (WHERE status = 'failed') AS failed,
               count(*) FILTER (WHERE status = 'offline') AS offline,
               count(*) FILTER (WHERE pstn_dialed_at IS NOT NULL AND fallback_reason IS NOT NULL) AS fallback_attempts,
               count(*) FILTER (WHERE pstn_dialed_at IS NOT NULL AND fallback_reason IS NOT NULL
                                  AND answered_via = 'pstn') AS fallback_successes,
               (count(*) FILTER (WHERE answered_at IS NOT NULL))::float8 / count(*) AS asr,
               avg(billsec) FILTER (WHERE answered_at IS NOT NULL)::float8 AS acd,
               avg(extract(epoch FROM ringing_at - created_at)) FILTER (WHERE ringing_at IS NOT NULL)::float8 AS pdd,
               (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM answered_at - created_at))
                   FILTER (WHERE answered_at IS NOT NULL))::float8 AS setup_p50,
               (percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM answered_at - created_at))
                   FILTER (WHERE answered_at IS NOT NULL))::float8 AS setup_p95
        FROM calls
        WHERE created_at >= @from
          AND created_at < @to
        GROUP BY 1
        ORDER BY 1
        """;

    /// <summary>Buckets (<c>hour</c> or <c>day</c>) over [<paramref name="from"/>, <paramref name="to"/>); only buckets with calls.</summary>
    public async Task<IReadOnlyList<StatsBucket>> StatsAsync(DateTime from, DateTime to, string bucket, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<StatsBucket>(new CommandDefinition(
            StatsSql, new { bucket, from, to }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }
}
