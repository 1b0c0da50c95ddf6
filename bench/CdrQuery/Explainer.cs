using System.Collections.Concurrent;
using Npgsql;

namespace CallControl.Bench.CdrQuery;

/// <summary>
/// The plans of the exact statements CallQuery sends, with their parameters: PostgreSQL's auto_explain module,
/// loaded per session, logs each statement's plan (EXPLAIN without ANALYZE, text format) as a NOTICE, which Npgsql
/// logs (<see cref="NoticeLoggerFactory"/>). CallQuery's SQL builder is internal to the service, so this sees the
/// same text the service would run without copying it.
/// </summary>
internal sealed class PlanLog
{
    public string Label { get; set; } = "";
    public ConcurrentQueue<(string Label, string Plan)> Plans { get; } = new();
}

internal static class Explainer
{
    public static (NpgsqlDataSource DataSource, PlanLog Plans) CreateDataSource(NpgsqlConnectionStringBuilder bench)
    {
        var log = new PlanLog();
        var builder = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(bench.ConnectionString)
        {
            // session_preload_libraries needs a superuser; the bench runs as the local cluster's postgres user.
            Options = "-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0 -c auto_explain.log_level=notice "
                + "-c auto_explain.log_analyze=off -c auto_explain.log_format=text -c auto_explain.log_nested_statements=on "
                + "-c client_min_messages=notice",
        }.ConnectionString);
        builder.UseLoggerFactory(new NoticeLoggerFactory(text => Collect(log, text)));
        return (builder.Build(), log);
    }

    // Only the bench's own statements on calls, call_legs and the stats rollup (with the statements inside the
    // rollup's SQL functions); Npgsql's catalog queries at connect are not of interest.
    private static void Collect(PlanLog log, string text)
    {
        if (text.Contains("plan:", StringComparison.Ordinal)
            && (text.Contains("FROM calls", StringComparison.Ordinal) || text.Contains("FROM call_legs", StringComparison.Ordinal)
                || text.Contains("FROM call_stats", StringComparison.Ordinal)))
        {
            log.Plans.Enqueue((log.Label, text));
        }
    }

    public static void PrintSeqScans(PlanLog log)
    {
        var all = log.Plans.ToArray();
        var seq = all.Where(p => p.Plan.Contains("Seq Scan", StringComparison.Ordinal)).ToArray();
        Console.WriteLine($"plans: {all.Length} statements explained ({string.Join(" | ", all.Select(p => p.Label).Distinct())}); {seq.Length} use a Seq Scan");
        foreach (var (label, plan) in seq.DistinctBy(p => p.Label))
        {
            Console.WriteLine($"--- Seq Scan in '{label}':");
            Console.WriteLine(plan);
        }
    }
}
