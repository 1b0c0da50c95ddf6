using CallControl.Tests.Support;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Jobs;

/// <summary>
/// Hangfire keeps some state process-wide (its log provider among it). Several service hosts in one process (the
/// tests, the load bench) must not depend on each other: a host that stops must not break the jobs of another.
/// </summary>
public sealed class JobsManyHostsTests
{
    [Fact]
    public async Task A_host_still_enqueues_and_runs_jobs_after_a_host_configured_later_was_disposed()
    {
        await using var first = await ServiceHost.StartAsync();
        var second = await ServiceHost.StartAsync();
        // The second host configured Hangfire last; its logger factory goes away with it.
        await second.DisposeAsync();

        // A client built now constructs Hangfire's job factory, which asks the process-wide log provider for a logger.
        var storage = first.Services.GetRequiredService<JobStorage>();
        var client = first.Services.GetRequiredService<IBackgroundJobClientFactory>().GetClient(storage);
        var marker = Guid.NewGuid();
        var jobId = client.Enqueue<ProbeJob>(j => j.RunAsync(marker));

        var seen = await ProbeJob.Ran.GetOrAdd(marker, _ => new TaskCompletionSource<JobStorage>(TaskCreationOptions.RunContinuationsAsynchronously))
            .Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Same(storage, seen);
        await ServiceHostWait.UntilAsync(
            () => storage.GetMonitoringApi().JobDetails(jobId)?.History.FirstOrDefault()?.StateName == "Succeeded",
            "the job to be recorded as succeeded");
    }
}
