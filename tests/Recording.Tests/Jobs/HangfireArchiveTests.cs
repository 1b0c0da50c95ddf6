using CallControl.Recording.Jobs;
using CallControl.Recording.Tests.Support;
using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Recording.Tests.Jobs;

/// <summary>
/// The archive job enqueued into real Hangfire storage (Hangfire.PostgreSql, its own schema in the test database)
/// and run by a BackgroundJobServer with the archive retry filter, as the service runs it.
/// </summary>
[Collection(DatabaseGroup.Name)]
public sealed class HangfireArchiveTests(DatabaseFixture db)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task An_enqueued_job_archives_the_recording()
    {
        using var host = new ArchiveHost(db);
        using var hangfire = new HangfireRig(db, host);
        var rec = await db.NewRecordingAsync();
        host.WriteRecording(rec, WavFiles.SpeechWav(16000, 2, 1.0));

        var jobId = RecordingJobs.EnqueueArchive(hangfire.Client, rec.Id);

        await WaitFor(async () => (await db.StateAsync(rec.Id)).State == "archived", "archived");
        await WaitFor(() => Task.FromResult(hangfire.StateOf(jobId) == SucceededState.StateName), "job succeeded");
        Assert.Single(host.ArchivedFiles());
    }

    [Fact]
    public async Task A_failing_job_is_retried_with_the_configured_policy_then_marked_failed_once()
    {
        using var host = new ArchiveHost(db, new Dictionary<string, string?>
        {
            ["Recording:Archive:Retries"] = "2",
            ["Recording:Archive:RetryDelaysSeconds:0"] = "0",
        });
        using var hangfire = new HangfireRig(db, host);
        var rec = await db.NewRecordingAsync(); // no WAV: every attempt fails

        var jobId = RecordingJobs.EnqueueArchive(hangfire.Client, rec.Id);

        await WaitFor(() => Task.FromResult(hangfire.StateOf(jobId) == FailedState.StateName), "job failed for good");
        var row = await db.StateAsync(rec.Id);
        Assert.Equal(("failed", 3), (row.State, row.Attempts));
        Assert.StartsWith("Archive failed after 3 attempts: FileNotFoundException", row.FailureReason, StringComparison.Ordinal);
        Assert.Equal(2, hangfire.RetryCount(jobId));
        Assert.Single(host.Sink.Events);
        Assert.StartsWith($"failed {rec.Id}", host.Sink.Events[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_succeeds_once_the_wav_appears()
    {
        using var host = new ArchiveHost(db, new Dictionary<string, string?>
        {
            ["Recording:Archive:Retries"] = "5",
            ["Recording:Archive:RetryDelaysSeconds:0"] = "1",
        });
        using var hangfire = new HangfireRig(db, host);
        var rec = await db.NewRecordingAsync();

        var jobId = RecordingJobs.EnqueueArchive(hangfire.Client, rec.Id);
        // The first attempt has failed once its retry is scheduled (writing the WAV earlier could race the attempt).
        await WaitFor(() => Task.FromResult(hangfire.RetryCount(jobId) >= 1), "first retry scheduled");
        host.WriteRecording(rec, WavFiles.SpeechWav(8000, 1, 0.5));

        await WaitFor(async () => (await db.StateAsync(rec.Id)).State == "archived", "archived on a retry");
        Assert.True((await db.StateAsync(rec.Id)).Attempts >= 2);
        // The job tells the sink only after its UPDATE to archived: a moment after the row shows it.
        await WaitFor(() => Task.FromResult(host.Sink.Events.Count > 0), "the sink told");
        Assert.Single(host.Sink.Events);
        await WaitFor(() => Task.FromResult(hangfire.StateOf(jobId) == SucceededState.StateName), "job succeeded");
    }

    [Fact]
    public async Task A_corrupt_wav_fails_the_job_without_retries()
    {
        using var host = new ArchiveHost(db, new Dictionary<string, string?>
        {
            ["Recording:Archive:Retries"] = "5",
            ["Recording:Archive:RetryDelaysSeconds:0"] = "0",
        });
        using var hangfire = new HangfireRig(db, host);
        var rec = await db.NewRecordingAsync();
        host.WriteRecording(rec, "RIFF....WAVEfmt "u8.ToArray());

        var jobId = RecordingJobs.EnqueueArchive(hangfire.Client, rec.Id);

        await WaitFor(() => Task.FromResult(hangfire.StateOf(jobId) == FailedState.StateName), "job failed");
        var row = await db.StateAsync(rec.Id);
        Assert.Equal(("failed", 1), (row.State, row.Attempts));
        Assert.Equal(0, hangfire.RetryCount(jobId));
        Assert.Contains("Truncated WAV", row.FailureReason, StringComparison.Ordinal);
    }

    private static async Task WaitFor(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting for: {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>Hangfire storage in a schema of its own, a client and a one-worker server that resolves jobs from the
    /// archive host's services and applies <see cref="ArchiveRetryFilter"/>.</summary>
    private sealed class HangfireRig : IDisposable
    {
        private readonly BackgroundJobServer _server;
        private readonly PostgreSqlStorage _storage;

        public HangfireRig(DatabaseFixture db, ArchiveHost host)
        {
            var options = new PostgreSqlStorageOptions
            {
                SchemaName = "hangfire_" + Guid.NewGuid().ToString("N")[..8],
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = TimeSpan.FromMilliseconds(200),
            };
            _storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(db.ConnectionString, options), options);
            var filters = new JobFilterCollection();
            filters.Add(host.Get<ArchiveRetryFilter>());
            var provider = new JobFilterProviderCollection(JobFilterProviders.Providers, filters);
            Client = new BackgroundJobClient(_storage, provider);
            _server = new BackgroundJobServer(
                new BackgroundJobServerOptions
                {
                    WorkerCount = 1,
                    SchedulePollingInterval = TimeSpan.FromMilliseconds(500),
                    Activator = new ServiceJobActivator(host.Services),
                    FilterProvider = provider,
                    ServerName = "recording-tests-" + Guid.NewGuid().ToString("N")[..6],
                },
                _storage);
        }

        public IBackgroundJobClient Client { get; }

        public string? StateOf(string jobId)
        {
            using var connection = _storage.GetConnection();
            return connection.GetStateData(jobId)?.Name;
        }

        public int RetryCount(string jobId)
        {
            using var connection = _storage.GetConnection();
            var value = connection.GetJobParameter(jobId, ArchiveRetryFilter.RetryCountParameter);
            return value is null ? 0 : SerializationHelper.Deserialize<int>(value);
        }

        public void Dispose()
        {
            _server.SendStop();
            _server.Dispose();
        }
    }

    private sealed class ServiceJobActivator(IServiceProvider services) : JobActivator
    {
        public override object ActivateJob(Type jobType) => services.GetRequiredService(jobType);
    }
}
