using CallControl.Recording.Archive;
using CallControl.Recording.Data;
using CallControl.Recording.Jobs;
using CallControl.Recording.Transcoding;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CallControl.Recording;

public static class RecordingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the recording archive: <see cref="RecordingOptions"/> (section <c>Recording</c>, checked at start),
    /// the configured <see cref="IArchiveStore"/>, the transcoder, <see cref="RecordingRepository"/> (it needs an
    /// <c>NpgsqlDataSource</c> registered), <see cref="ArchiveRecordingJob"/>, <see cref="RecordingRetentionJob"/> and
    /// <see cref="ArchiveRetryFilter"/>. Hangfire itself is the service's: see <see cref="RecordingJobs"/>.
    /// </summary>
    public static IServiceCollection AddRecordingArchive(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RecordingOptions>()
            .Bind(configuration.GetSection(RecordingOptions.SectionName))
            .Validate(o => o.Archive.Store is ArchiveOptions.FileSystemStore or ArchiveOptions.S3Store,
                "Recording:Archive:Store must be 'filesystem' or 's3'.")
            .Validate(o => o.Archive.Store != ArchiveOptions.S3Store
                    || (!string.IsNullOrWhiteSpace(o.Archive.S3.ServiceUrl) && !string.IsNullOrWhiteSpace(o.Archive.S3.BucketName)),
                "Recording:Archive:S3:ServiceUrl and BucketName are required for the s3 store.")
            .Validate(o => o.RetentionDays > 0, "Recording:RetentionDays must be positive.")
            .Validate(o => o.Archive.Retries >= 0, "Recording:Archive:Retries must not be negative.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IArchiveStore>(sp => CreateStore(sp.GetRequiredService<IOptions<RecordingOptions>>().Value));
        services.TryAddSingleton<OggOpusTranscoder>();
        services.TryAddSingleton<RecordingRepository>();
        services.TryAddSingleton<ArchiveRetryFilter>();
        services.TryAddTransient<ArchiveRecordingJob>();
        services.TryAddTransient<RecordingRetentionJob>();
        return services;
    }

    /// <summary>The store <paramref name="options"/> configure.</summary>
    public static IArchiveStore CreateStore(RecordingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Archive.Store switch
        {
            ArchiveOptions.S3Store => new S3ArchiveStore(options.Archive.S3),
            _ => new FileSystemArchiveStore(string.IsNullOrWhiteSpace(options.Archive.Path)
                ? throw new InvalidOperationException("Recording:Archive:Path is not configured: the filesystem archive needs a folder.")
                : options.Archive.Path),
        };
    }
}
