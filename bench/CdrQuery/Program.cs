using System.Globalization;
using CallControl.Bench.CdrQuery;
using CallControl.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

// bench/cdr-query: N calls (default 10,000,000) over one year plus ~2 legs each in database callcontrol_bench, then
// the admin console's queries timed with the service's own CallQuery.
// Usage: cdr-query SERVER_CONNECTION_STRING [--calls N]
if (args.Length < 1)
{
    await Console.Error.WriteLineAsync("usage: cdr-query CONNECTION_STRING [--calls N]").ConfigureAwait(false);
    return 2;
}

var calls = 10_000_000L;
for (var i = 1; i < args.Length; i++)
{
    if (args[i] == "--calls" && i + 1 < args.Length && long.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
    {
        calls = n;
    }
    else
    {
        await Console.Error.WriteLineAsync($"cdr-query: bad argument '{args[i]}'").ConfigureAwait(false);
        return 2;
    }
}

// The service maps snake_case columns onto its rows this way at start; CallQuery relies on it.
DataServiceCollectionExtensions.UseSnakeCaseMapping();
var server = new NpgsqlConnectionStringBuilder(args[0]);
var bench = new NpgsqlConnectionStringBuilder(args[0]) { Database = BenchDatabase.Name, CommandTimeout = 0 };
await BenchDatabase.EnsureExistsAsync(server).ConfigureAwait(false);

await using var dataSource = NpgsqlDataSource.Create(bench);
var migration = System.Diagnostics.Stopwatch.StartNew();
var applied = await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync().ConfigureAwait(false);
if (applied.Count > 0)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"migrated {BenchDatabase.Name}: {string.Join(", ", applied)} in {migration.Elapsed.TotalSeconds:F0} s"));
}

// The year ends at today's midnight (UTC), so "a day" and "a month" fall on whole buckets.
var end = DateTime.UtcNow.Date;
if (await BenchDatabase.FilledCallsAsync(dataSource).ConfigureAwait(false) == calls)
{
    // A fill from an earlier day is reused as it is: the windows follow the stored year, not today's date.
    end = await BenchDatabase.StoredEndAsync(dataSource).ConfigureAwait(false);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reusing {calls:N0} calls already in {BenchDatabase.Name} (year ending {end:yyyy-MM-dd})"));
}
else
{
    await new Generator(dataSource, calls, end.AddDays(-365), end).FillAsync().ConfigureAwait(false);
}

var start = end.AddDays(-365);
var plansSource = Explainer.CreateDataSource(bench);
await using (plansSource.DataSource.ConfigureAwait(false))
{
    var runner = new QueryRuns(dataSource, start, end);
    var summary = await runner.RunAllAsync().ConfigureAwait(false);
    await new QueryRuns(plansSource.DataSource, start, end).RunOnceForPlansAsync(plansSource.Plans).ConfigureAwait(false);
    Explainer.PrintSeqScans(plansSource.Plans);
    await RollupCheck.PrintAsync(dataSource, new DateTime(end.Year, end.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-2),
        new DateTime(end.Year, end.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-1)).ConfigureAwait(false);
    Console.WriteLine(summary);
}

return 0;
