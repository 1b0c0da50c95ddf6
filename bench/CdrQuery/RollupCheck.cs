using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace CallControl.Bench.CdrQuery;

/// <summary>
/// Proof that the hourly stats rollup the stats query reads is exact at scale: for one month, the rows the triggers
/// (or the fill's rebuild) left in call_stats_hourly against the same figures computed from calls now.
/// </summary>
internal static class RollupCheck
{
    private const string DifferingSql = """
        SELECT count(*)
        FROM ((SELECT * FROM call_stats_hourly WHERE bucket_start >= @from AND bucket_start < @to AND calls <> 0
               EXCEPT ALL
               SELECT * FROM call_stats_compute(@from, @to))
              UNION ALL
              (SELECT * FROM call_stats_compute(@from, @to)
               EXCEPT ALL
               SELECT * FROM call_stats_hourly WHERE bucket_start >= @from AND bucket_start < @to AND calls <> 0)) AS d
        """;

    public static async Task PrintAsync(NpgsqlDataSource dataSource, DateTime from, DateTime to)
    {
        var watch = Stopwatch.StartNew();
        await using var command = dataSource.CreateCommand(DifferingSql);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var differing = (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rollup check {from:yyyy-MM}: {differing} hour rows differ from the figures computed from calls ({(differing == 0 ? "exact" : "MISMATCH")}; computed in {watch.Elapsed.TotalSeconds:F1} s)"));
    }
}
