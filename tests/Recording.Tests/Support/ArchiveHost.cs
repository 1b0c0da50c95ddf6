using CallControl.Recording.Archive;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallControl.Recording.Tests.Support;

/// <summary>
/// The archive as the service wires it (<see cref="RecordingServiceCollectionExtensions.AddRecordingArchive"/>) on the
/// test database, with its own recordings folder, archive folder and work folder under a temp directory, and a
/// recording sink that remembers what it was told.
/// </summary>
public sealed class ArchiveHost : IDisposable
{
    private readonly ServiceProvider _services;

    public ArchiveHost(
        DatabaseFixture db,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        Root = Directory.CreateTempSubdirectory("archive-host-").FullName;
        var config = new Dictionary<string, string?>
        {
            ["Recording:Folder"] = RecordingsFolder,
            ["Recording:Archive:Path"] = ArchiveFolder,
            ["Recording:Archive:WorkFolder"] = Path.Combine(Root, "work"),
            ["Recording:Archive:Retries"] = "2",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            config[k] = v;
        }
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(db.DataSource);
        services.AddSingleton<IRecordingStatusSink>(Sink);
        configure?.Invoke(services);
        services.AddRecordingArchive(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public string Root { get; }

    public string RecordingsFolder => Path.Combine(Root, "recordings");

    public string ArchiveFolder => Path.Combine(Root, "archive");

    public RecordingSink Sink { get; } = new();

    public IServiceProvider Services => _services;

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public IArchiveStore Store => Get<IArchiveStore>();

    /// <summary>Writes <paramref name="wav"/> where FreeSWITCH would have recorded <paramref name="recording"/>.</summary>
    public string WriteRecording(TestRecording recording, byte[] wav) =>
        WavFiles.Write(Path.Combine(RecordingsFolder, recording.RelativePath), wav);

    public string SourceOf(TestRecording recording) => Path.Combine(RecordingsFolder, recording.RelativePath);

    /// <summary>Every file under the archive folder (temporary ones included).</summary>
    public string[] ArchivedFiles() =>
        Directory.Exists(ArchiveFolder) ? Directory.GetFiles(ArchiveFolder, "*", SearchOption.AllDirectories) : [];

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>Replaces the configured store with <paramref name="wrap"/> of it (to inject failures).</summary>
    public static Action<IServiceCollection> WrapStore(Func<IArchiveStore, IArchiveStore> wrap) => services =>
        services.TryAddSingleton<IArchiveStore>(sp =>
            wrap(RecordingServiceCollectionExtensions.CreateStore(
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RecordingOptions>>().Value)));
}

/// <summary>An <see cref="IRecordingStatusSink"/> that records each call.</summary>
public sealed class RecordingSink : IRecordingStatusSink
{
    private readonly List<string> _events = [];

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public Task ArchivedAsync(Guid recordingId, Guid callId, string location, CancellationToken cancellationToken)
    {
        lock (_events)
        {
            _events.Add($"archived {recordingId} {callId} {location}");
        }
        return Task.CompletedTask;
    }

    public Task FailedAsync(Guid recordingId, Guid callId, string reason, CancellationToken cancellationToken)
    {
        lock (_events)
        {
            _events.Add($"failed {recordingId} {callId} {reason}");
        }
        return Task.CompletedTask;
    }
}
