using Dapper;

namespace CallControl.Cdr.Query;

// Outcome analytics per hour or day, cut in UTC. Whole hours come from the call_stats_hourly rollup that triggers on
// calls keep exact (migration 0005); the partial hours at either end of the range are computed from calls by the
// same definition (call_stats_compute), so any [from, to) is answered exactly while a month reads ~720 rows.
public sealed partial class CallQuery
{
    private const string WholeHoursSql = """
        SELECT *
        FROM call_stats_hourly
        WHERE bucket_start >= @wholeFrom
          AND bucket_start < @wholeTo
          AND calls <> 0
        """;

    private const string HeadSql = """
        SELECT *
        FROM call_stats_compute(@headFrom, @headTo)
        """;

    private const string TailSql = """
        SELECT *
        FROM call_stats_compute(@tailFrom, @tailTo)
        """;

    /// <summary>Buckets (<c>hour</c> or <c>day</c>) over [<paramref name="from"/>, <paramref name="to"/>); only buckets with calls.</summary>
    public async Task<IReadOnlyList<StatsBucket>> StatsAsync(DateTime from, DateTime to, string bucket, CancellationToken cancellationToken)
    {
        var byDay = bucket switch
        {
            "hour" => false,
            "day" => true,
            _ => throw new ArgumentOutOfRangeException(nameof(bucket), bucket, "hour or day"),
        };
        from = DateTime.SpecifyKind(from, DateTimeKind.Utc);
        to = DateTime.SpecifyKind(to, DateTimeKind.Utc);
        var wholeFrom = CeilingHour(from);
        var wholeTo = FloorHour(to);
        if (wholeFrom >= wholeTo)
        {
            // Inside one hour, or across one boundary: no whole hour; the head covers all and the tail nothing.
            (wholeFrom, wholeTo) = (to, to);
        }

        // Only the parts the range has: an hour-aligned range (the usual case) reads the rollup alone.
        var parts = new List<string>(3);
        if (wholeFrom < wholeTo) parts.Add(WholeHoursSql);
        if (from < wholeFrom) parts.Add(HeadSql);
        if (wholeTo < to) parts.Add(TailSql);
        if (parts.Count == 0)
        {
            return [];
        }

        var parameters = new
        {
            wholeFrom, wholeTo,
            headFrom = from, headTo = wholeFrom,
            tailFrom = wholeTo, tailTo = to,
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var hours = await connection.QueryAsync<StatsHour>(new CommandDefinition(
            string.Join("\nUNION ALL\n", parts), parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return StatsTally.Buckets(hours, byDay);
    }

    private static DateTime FloorHour(DateTime t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerHour), DateTimeKind.Utc);

    private static DateTime CeilingHour(DateTime t) => t.Ticks % TimeSpan.TicksPerHour == 0 ? t : FloorHour(t).AddHours(1);
}
