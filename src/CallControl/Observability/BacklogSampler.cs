using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CallControl.Observability;

/// <summary>
/// Samples the figures that cost a query, so a scrape never waits on PostgreSQL: Hangfire's queue statistics (when a
/// <see cref="JobStorage"/> is registered) and the recordings whose archiving failed. A figure that cannot be read
/// (database down) is dropped from the exposition rather than reported stale.
/// </summary>
public sealed class BacklogSampler(
    IServiceProvider services,
    NpgsqlDataSource database,
    IOptions<ObservabilityOptions> options,
    ILogger<BacklogSampler> logger) : BackgroundService
{
    private const string FailedRecordingsSql = """
        SELECT count(*)
        FROM recordings
        WHERE state = 'failed'
        """;

    private bool _failing;

    /// <summary>Hangfire jobs enqueued, or null when Hangfire is absent or its storage did not answer.</summary>
    public long? JobsEnqueued { get; private set; }

    /// <summary>Hangfire jobs failed, or null.</summary>
    public long? JobsFailed { get; private set; }

    /// <summary>Recordings in state failed, or null when the database did not answer.</summary>
    public long? RecordingsFailed { get; private set; }

    /// <summary>Takes one sample now (the loop calls it every <see cref="ObservabilityOptions.SampleInterval"/>).</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        SampleJobs();
        try
        {
            await using var command = database.CreateCommand(FailedRecordingsSql);
            RecordingsFailed = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            if (_failing)
            {
                _failing = false;
                ObservabilityLog.SamplingRecovered(logger);
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            RecordingsFailed = null;
            if (!_failing)
            {
                _failing = true;
                ObservabilityLog.SamplingFailed(logger, e.Message);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval);
        do
        {
            await SampleAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private void SampleJobs()
    {
        if (services.GetService<JobStorage>() is not { } storage)
        {
            return;
        }

        try
        {
            var statistics = storage.GetMonitoringApi().GetStatistics();
            (JobsEnqueued, JobsFailed) = (statistics.Enqueued, statistics.Failed);
        }
#pragma warning disable CA1031 // Any storage's failure (its own exception types) must only blank the figure.
        catch (Exception)
#pragma warning restore CA1031
        {
            (JobsEnqueued, JobsFailed) = (null, null);
        }
    }
}
