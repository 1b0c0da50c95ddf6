using System.Diagnostics;
using System.Globalization;
using System.Text;
using CallControl.Cdr.Query;
using Npgsql;

namespace CallControl.Bench.CdrQuery;

/// <summary>
/// Times the admin console's queries with the service's own <see cref="CallQuery"/>: first page of a day, a filtered
/// page followed by cursor deep into a month, the CSV export of a day, stats for a month by day. Each runs
/// <see cref="Runs"/> times over different days or months (so not one cached window), after one untimed warm-up.
/// </summary>
internal sealed class QueryRuns(NpgsqlDataSource dataSource, DateTime start, DateTime end)
{
    public const int Runs = 20;
    public const int PageSize = 50; // AdminApi.DefaultLimit
    public const int DeepPages = 20;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly CallQuery _query = new(dataSource);

    // The heaviest caller (the skew puts most rooms on the lowest user ids) and the most common country prefix.
    private static readonly CallFilter[] DeepFilters =
    [
        new() { Statuses = ["completed"], Caller = Generator.UserId(0) },
        new() { Statuses = ["completed"], CalleeNumber = "+49" },
    ];

    public async Task<string> RunAllAsync()
    {
        var random = new Random(6);
        var days = Enumerable.Range(0, Runs + 1).Select(_ => start.AddDays(random.Next((end - start).Days))).ToArray();
        var months = Months();

        var first = new List<double>();
        for (var i = 0; i <= Runs; i++)
        {
            var ms = await TimeAsync(() => _query.PageAsync(DayFilter(days[i]), null, PageSize, false, CancellationToken.None)).ConfigureAwait(false);
            if (i > 0) first.Add(ms);
        }

        Print("first page of a day", first, 50);

        var deep = new List<double>();
        var depths = new List<int>();
        for (var i = 0; i <= Runs; i++)
        {
            var (times, pages) = await DeepAsync(DeepFilters[i % DeepFilters.Length], months[i % months.Length]).ConfigureAwait(false);
            if (i > 0)
            {
                deep.AddRange(times);
                depths.Add(pages);
            }
        }

        Print($"filtered page deep in a month (pages 2..{depths.Max()}, avg depth {depths.Average():F1})", deep, 50);

        var rates = new List<double>();
        var csvTimes = new List<double>();
        var rowsTotal = 0L;
        for (var i = 0; i <= Runs; i++)
        {
            var rows = await CountAsync(days[i]).ConfigureAwait(false);
            await using var writer = new StreamWriter(Stream.Null, new UTF8Encoding(false));
            var ms = await TimeAsync(() => _query.WriteCsvAsync(DayFilter(days[i]), writer, CancellationToken.None)).ConfigureAwait(false);
            if (i > 0)
            {
                csvTimes.Add(ms);
                rates.Add(rows / (ms / 1000));
                rowsTotal += rows;
            }
        }

        Print($"CSV export of a day ({rowsTotal / Runs:N0} rows average)", csvTimes, null);
        var csvRate = Percentile(rates, 50);
        Console.WriteLine(string.Create(Inv, $"  CSV rate: p50 {csvRate:N0} rows/s, worst {rates.Min():N0} rows/s (target >= 50,000 rows/s: {(csvRate >= 50_000 ? "met" : "MISSED")})"));

        var stats = new List<double>();
        for (var i = 0; i <= Runs; i++)
        {
            var (from, to) = months[i % months.Length];
            var ms = await TimeAsync(() => _query.StatsAsync(from, to, "day", CancellationToken.None)).ConfigureAwait(false);
            if (i > 0) stats.Add(ms);
        }

        Print("stats for a month by day", stats, 500);

        // A console's "today so far": a day by hour, ending off the hour (the partial hour is computed from calls).
        var hourly = new List<double>();
        for (var i = 0; i <= Runs; i++)
        {
            var ms = await TimeAsync(() => _query.StatsAsync(days[i], days[i].AddHours(23.5), "hour", CancellationToken.None)).ConfigureAwait(false);
            if (i > 0) hourly.Add(ms);
        }

        Print("stats for a day by hour", hourly, 500);
        return string.Create(Inv,
            $"cdr-query: page p95 {Percentile(first, 95):F1} ms, deep page p95 {Percentile(deep, 95):F1} ms, stats month {Percentile(stats, 95):F0} ms, stats day {Percentile(hourly, 95):F0} ms, csv {csvRate:F0} rows/s");
    }

    /// <summary>Each query kind once, on the auto_explain data source; the plans land in <paramref name="log"/>.</summary>
    public async Task RunOnceForPlansAsync(PlanLog log)
    {
        var day = start.AddDays(180);
        var month = Months()[6];
        log.Label = "first page of a day";
        await _query.PageAsync(DayFilter(day), null, PageSize, true, CancellationToken.None).ConfigureAwait(false);
        foreach (var filter in DeepFilters)
        {
            log.Label = filter.Caller is null ? "deep page, status + calleeNumber prefix" : "deep page, status + caller";
            await DeepAsync(filter, month, 3).ConfigureAwait(false);
        }

        log.Label = "CSV export of a day";
        await using (var writer = new StreamWriter(Stream.Null))
        {
            await _query.WriteCsvAsync(DayFilter(day), writer, CancellationToken.None).ConfigureAwait(false);
        }

        log.Label = "stats for a month by day";
        await _query.StatsAsync(month.From, month.To, "day", CancellationToken.None).ConfigureAwait(false);
        log.Label = "stats for a day by hour";
        await _query.StatsAsync(day, day.AddHours(23.5), "hour", CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Follows next cursors from the first page up to <paramref name="maxPages"/>; times pages 2 onwards.</summary>
    private async Task<(List<double> Times, int Pages)> DeepAsync(CallFilter filter, (DateTime From, DateTime To) month, int maxPages = DeepPages)
    {
        filter = filter with { From = month.From, To = month.To };
        var times = new List<double>();
        var page = await _query.PageAsync(filter, null, PageSize, false, CancellationToken.None).ConfigureAwait(false);
        var pages = 1;
        while (page.NextCursor is { } next && pages < maxPages)
        {
            var cursor = CallCursor.Decode(next, filter) ?? throw new InvalidOperationException("the query's own cursor did not decode");
            var watch = Stopwatch.StartNew();
            page = await _query.PageAsync(filter, cursor, PageSize, false, CancellationToken.None).ConfigureAwait(false);
            times.Add(watch.Elapsed.TotalMilliseconds);
            pages++;
        }

        return (times, pages);
    }

    private (DateTime From, DateTime To)[] Months()
    {
        var list = new List<(DateTime, DateTime)>();
        for (var m = new DateTime(start.Year, start.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1); m.AddMonths(1) <= end; m = m.AddMonths(1))
        {
            list.Add((m, m.AddMonths(1)));
        }

        return [.. list];
    }

    private static CallFilter DayFilter(DateTime day) => new() { From = day, To = day.AddDays(1) };

    private async Task<long> CountAsync(DateTime day)
    {
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM calls WHERE created_at >= @from AND created_at < @to");
        count.Parameters.AddWithValue("from", day);
        count.Parameters.AddWithValue("to", day.AddDays(1));
        return (long)(await count.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    private static async Task<double> TimeAsync(Func<Task> run)
    {
        var watch = Stopwatch.StartNew();
        await run().ConfigureAwait(false);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static void Print(string name, List<double> ms, double? targetP95)
    {
        var p95 = Percentile(ms, 95);
        var verdict = targetP95 is { } t ? string.Create(Inv, $" (target p95 < {t:F0} ms: {(p95 < t ? "met" : "MISSED")})") : "";
        Console.WriteLine(string.Create(Inv, $"{name}: {ms.Count} runs, p50 {Percentile(ms, 50):F1} ms, p95 {p95:F1} ms, max {ms.Max():F1} ms{verdict}"));
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(List<double> values, int p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
