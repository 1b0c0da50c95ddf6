using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Recording.Jobs;

/// <summary>How the service wires the recording jobs into its Hangfire (it owns the storage and the server).</summary>
public static class RecordingJobs
{
    /// <summary>The recurring job id of <see cref="RecordingRetentionJob"/>.</summary>
    public const string RetentionJobId = "recording-retention";

    /// <summary>Adds the archive job's retry policy (<see cref="ArchiveRetryFilter"/>) to Hangfire; call it in
    /// <c>AddHangfire((sp, config) => config.UsePostgreSqlStorage(...).UseRecordingArchiveFilters(sp))</c>. Without
    /// it a failed archive job is not retried.</summary>
    public static IGlobalConfiguration UseRecordingArchiveFilters(this IGlobalConfiguration configuration, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.UseFilter(services.GetRequiredService<ArchiveRetryFilter>());
    }

    /// <summary>Enqueues the archive of recording <paramref name="recordingId"/>; returns the Hangfire job id.</summary>
    public static string EnqueueArchive(IBackgroundJobClient jobs, Guid recordingId)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return jobs.Enqueue<ArchiveRecordingJob>(job => job.RunAsync(recordingId, CancellationToken.None));
    }

    /// <summary>Schedules the retention sweep (default hourly, at minute 17).</summary>
    public static void RegisterRecurring(IRecurringJobManager manager, string? cron = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        manager.AddOrUpdate<RecordingRetentionJob>(RetentionJobId, job => job.RunAsync(CancellationToken.None), cron ?? Cron.Hourly(17));
    }
}
