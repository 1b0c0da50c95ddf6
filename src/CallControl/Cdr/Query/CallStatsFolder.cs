using Npgsql;

namespace CallControl.Cdr.Query;

/// <summary>
/// Keeps the hourly stats rollup small. Every <c>Admin:StatsPendingFoldInterval</c> (default 2 s) it adds the rows the
/// calls triggers appended to <c>call_stats_pending</c> (migration 0011) into their hours; every
/// <c>Admin:StatsFoldInterval</c> (default 5 min) it merges the per-writer stripes of the hours before the current one
/// (migration 0008) into one row per hour. The figures are exact without either (the view adds the stripes and what
/// is pending); the folds keep a month's stats at ~720 rows and the pending table to a few seconds of changes. Every
/// instance may run them: each fold is one statement, and a concurrent one finds the rows already moved.
/// </summary>
public sealed partial class CallStatsFolder(NpgsqlDataSource dataSource, IConfiguration configuration, ILogger<CallStatsFolder> logger) : BackgroundService
{
    public TimeSpan Interval { get; } = Positive(configuration["Admin:StatsFoldInterval"]) ?? TimeSpan.FromMinutes(5);

    public TimeSpan PendingInterval { get; } = Positive(configuration["Admin:StatsPendingFoldInterval"]) ?? TimeSpan.FromSeconds(2);

    /// <summary>Adds everything pending into the rollup's hours; how many pending rows it moved.</summary>
    public async Task<int> FoldPendingAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT call_stats_fold_pending()");
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Merges the stripes of every hour before <paramref name="before"/>; how many hours it merged.</summary>
    public async Task<int> FoldAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT call_stats_fold(@before)");
        command.Parameters.AddWithValue("before", before.UtcDateTime);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stripesFoldedAt = DateTimeOffset.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(PendingInterval, stoppingToken).ConfigureAwait(false);
                LogPendingFolded(logger, await FoldPendingAsync(stoppingToken).ConfigureAwait(false));
                var now = DateTimeOffset.UtcNow;
                if (now - stripesFoldedAt < Interval)
                {
                    continue;
                }

                stripesFoldedAt = now;
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
                LogFailed(logger, PendingInterval, ex);
            }
        }
    }

    [LoggerMessage(5300, LogLevel.Debug, "Stats rollup: merged the stripes of {Hours} hour(s)")]
    private static partial void LogFolded(ILogger logger, int hours);

    [LoggerMessage(5301, LogLevel.Warning, "Stats rollup fold failed; trying again in {Interval}")]
    private static partial void LogFailed(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(5302, LogLevel.Trace, "Stats rollup: added {Rows} pending row(s) into their hours")]
    private static partial void LogPendingFolded(ILogger logger, int rows);

    private static TimeSpan? Positive(string? text) =>
        TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var every) && every > TimeSpan.Zero ? every : null;
}
