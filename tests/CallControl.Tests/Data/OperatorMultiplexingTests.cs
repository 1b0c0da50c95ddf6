using System.Net;
using CallControl.Data;
using CallControl.Rooms;
using CallControl.Tests.Jobs;
using CallControl.Tests.Support;
using FreeSwitchSim;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CallControl.Tests.Data;

/// <summary>
/// An operator who writes <c>Multiplexing=true</c> into the connection string themselves: the connections that need a
/// session of their own (migration lock, Hangfire, node lease, LISTEN) must still get one, or the service would not
/// start, steer its node, hear its peers or run a job.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class OperatorMultiplexingTests
{
    [Fact]
    public async Task With_multiplexing_in_the_connection_string_the_service_migrates_steers_its_node_listens_and_runs_jobs()
    {
        var multiplexed = new NpgsqlConnectionStringBuilder(ServiceHostDatabase.ConnectionString) { Multiplexing = true }.ConnectionString;
        await using var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions());
        await using var service = await ServiceHost.StartAsync(
            new Dictionary<string, int> { ["node1"] = sim.EslPort },
            new Dictionary<string, string?> { ["ConnectionStrings:" + DataServiceCollectionExtensions.ConnectionStringName] = multiplexed });

        // Ready means the database answers and the node is steered: its lease (a session's advisory lock) is held.
        using var ready = await ServiceHostWait.UntilAsync(
            () => service.Http.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, "ready");
        await ServiceHostWait.UntilAsync(() => service.Services.GetRequiredService<SignalBus>().Listening, "the signal bus to listen");
        var marker = Guid.NewGuid();
        service.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ProbeJob>(j => j.RunAsync(marker));
        await ProbeJob.Ran.GetOrAdd(marker, _ => new TaskCompletionSource<JobStorage>(TaskCreationOptions.RunContinuationsAsynchronously))
            .Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(new NpgsqlConnectionStringBuilder(service.Database.ConnectionString).Multiplexing);
    }
}
