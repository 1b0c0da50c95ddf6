using CallControl.Hosting;
using CallControl.Recording;
using CallControl.Recording.Jobs;
using CallControl.Switch;
using Hangfire;

namespace CallControl.Calls.Recording;

/// <summary>Registers recording control (the API, the RECORD_START/STOP tracking, the archive trigger) and the
/// recording archive of <c>src/Recording</c> on the service's Hangfire.</summary>
public static class RecordingServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="RecordingController"/>, <see cref="RecordingTracker"/> (a FreeSWITCH event handler),
    /// <see cref="RecordingStore"/>, <see cref="RecordingArchiveTrigger"/>, the archive (<c>AddRecordingArchive</c>: section
    /// <c>Recording</c>), its retry filter on this service's jobs, and the recurring retention job
    /// (<c>Recording:RetentionCron</c>, default hourly), and the archive sweep (<see cref="RecordingArchiveSweep"/>).
    /// Call after <c>AddJobs</c>.
    /// </summary>
    public static IServiceCollection AddRecordingControl(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRecordingArchive(configuration);
        services.AddJobFilter<ArchiveRetryFilter>();
        services.AddSingleton<RecordingStore>();
        services.AddSingleton<RecordingArchiveTrigger>();
        services.AddSingleton<RecordingArchiveSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<RecordingArchiveSweep>());
        services.AddSingleton<RecordingController>();
        services.AddSingleton<RecordingTracker>();
        services.AddSingleton<IFreeSwitchEventHandler>(sp => sp.GetRequiredService<RecordingTracker>());
        services.AddHostedService(sp => new RecurringRegistration(
            sp.GetRequiredService<IRecurringJobManager>(), configuration["Recording:RetentionCron"]));
        return services;
    }

    /// <summary>Registers the retention sweep once the job storage is ready (hosted services start in order).</summary>
    private sealed class RecurringRegistration(IRecurringJobManager manager, string? cron) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            RecordingJobs.RegisterRecurring(manager, string.IsNullOrWhiteSpace(cron) ? null : cron);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
