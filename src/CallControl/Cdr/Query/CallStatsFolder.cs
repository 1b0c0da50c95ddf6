using Npgsql;

namespace CallControl.Cdr.Query;

/// <summary>
/// Merges the per-writer stripes of the hourly stats rollup (migration 0008) into one row per hour, for every hour
/// before the current one, every <c>Admin:StatsFoldInterval</c> (default 5 min). The figures are exact without it
/// (the view sums the stripes); it keeps a month's stats at ~720 rows. Every instance may run it: the fold is one
/// statement, and a concurrent one finds the rows already merged.
/// </summary>
public sealed partial class CallStatsFolder(NpgsqlDataSource dataSource, IConfiguration configuration, ILogger<CallStatsFolder> logger) : BackgroundService
{
    public TimeSpan Interval { get; } = TimeSpan.TryParse(
        configuration["Admin:StatsFoldInterval"], System.Globalization.CultureInfo.InvariantCulture, out var every) && every > TimeSpan.Zero
        ? every
        : TimeSpan.FromMinutes(5);

    /// <summary>Merges the stripes of every hour before <paramref name="before"/>; how many hours it merged.</summary>
    public async Task<int> FoldAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT call_stats_fold(@before)");
        command.Parameters.AddWithValue("before", before.UtcDateTime);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, stoppingToken).ConfigureAwait(false);
                var now = DateTimeOffset.UtcNow;
                var hours = await FoldAsync(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero), stoppingToken)
                    .ConfigureAwait(false);
                LogFolded(logger, hours);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A database outage: try again next time; the stats stay exact meanwhile.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(logger, Interval, ex);
            }
        }
    }

    [LoggerMessage(5300, LogLevel.Debug, "Stats rollup: merged the stripes of {Hours} hour(s)")]
    private static partial void LogFolded(ILogger logger, int hours);

    [LoggerMessage(5301, LogLevel.Warning, "Stats rollup fold failed; trying again in {Interval}")]
    private static partial void LogFailed(ILogger logger, TimeSpan interval, Exception exception);
}
