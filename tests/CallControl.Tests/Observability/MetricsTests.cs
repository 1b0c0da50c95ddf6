using System.Globalization;
using CallControl.Data;
using CallControl.Observability;
using CallControl.Tests.Dtmf;
using CallControl.Tests.Scenarios;
using CallControl.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CallControl.Tests.Observability;

/// <summary><c>/metrics</c> through the real pipeline after simulated calls (the room world: simulator + PostgreSQL).</summary>
[Collection(RoomWorldGroup.Name)]
public sealed class MetricsTests(RoomWorld world)
{
    private const string Node = "esl_node=\"sim1\"";

    [Fact]
    public async Task A_completed_call_shows_in_outcomes_active_calls_esl_events_and_command_latency()
    {
        var before = await Scrape.GetAsync(world.Http);

        var call = await world.AnsweredAppCallAsync("+15551119001");
        var during = await Scrape.GetAsync(world.Http);
        world.Sim.Switch.Hangup(call.CallerLeg);
        await world.ClientFor(call.Caller).UntilStatusAsync(call.Room.RoomId, "completed");
        var after = await Scrape.GetAsync(world.Http);

        Assert.Equal("counter", after.Types["callcontrol_calls_ended_total"]);
        // At least ours: a call an earlier test in this world left may end meanwhile too.
        Assert.True(
            after.Value("callcontrol_calls_ended_total{status=\"completed\"}") >= before.Value("callcontrol_calls_ended_total{status=\"completed\"}") + 1,
            after.Text);
        Assert.True(during.Value("callcontrol_calls_active") >= 1, during.Text);
        Assert.True(after.Value("callcontrol_calls_active") <= during.Value("callcontrol_calls_active") - 1, after.Text);
        Assert.True(after.Value($"esl_events_received_total{{{Node}}}") > before.Value($"esl_events_received_total{{{Node}}}"), after.Text);

        // uuid_setvar, uuid_bridge, ... went through the command connection and were timed.
        Assert.Equal("histogram", after.Types["esl_command_duration_milliseconds"]);
        var count = after.Value($"esl_command_duration_milliseconds_count{{{Node}}}");
        Assert.True(count > before.Value($"esl_command_duration_milliseconds_count{{{Node}}}"), after.Text);
        Assert.Equal(count, after.Value($"esl_command_duration_milliseconds_bucket{{{Node},le=\"+Inf\"}}"));
        Assert.True(after.Value($"esl_command_duration_milliseconds_bucket{{{Node},le=\"1000\"}}") <= count);
        Assert.True(after.Value($"esl_command_duration_milliseconds_sum{{{Node}}}") > 0);

        // The bridge was timed from its later park, and events were timed from their firing on the node.
        Assert.Equal("histogram", after.Types["callcontrol_bridge_reaction_milliseconds"]);
        Assert.True(
            after.Value("callcontrol_bridge_reaction_milliseconds_count") >= before.Value("callcontrol_bridge_reaction_milliseconds_count") + 1,
            after.Text);
        Assert.True(
            after.Value($"esl_events_lag_milliseconds_count{{{Node}}}") > before.Value($"esl_events_lag_milliseconds_count{{{Node}}}"),
            after.Text);

        Assert.Equal(1, after.Value("callcontrol_nodes_connected{node=\"sim1\"}"));
        Assert.True(after.Has($"esl_events_queued{{{Node}}}"), after.Text);
        Assert.True(after.Has("callcontrol_dispatch_backlog"), after.Text);
        Assert.Equal(0, after.Value("callcontrol_cdr_journal_pending"));
    }

    [Fact]
    public async Task Hangfire_jobs_waiting_in_a_queue_are_reported_from_its_storage()
    {
        var sampler = world.Services.GetRequiredService<BacklogSampler>();
        await sampler.SampleAsync(CancellationToken.None);
        var before = await Scrape.GetAsync(world.Http);

        // A job put straight into the real PostgreSQL storage, on a queue no server of this host works on, so it stays
        // enqueued. (Through the storage, not IBackgroundJobClient: the client's filters are Hangfire's process-wide state.)
        var storage = world.Services.GetRequiredService<Hangfire.JobStorage>();
        using (var connection = storage.GetConnection())
        {
            var id = connection.CreateExpiredJob(
                Hangfire.Common.Job.FromExpression(() => Console.WriteLine("metrics probe")),
                new Dictionary<string, string>(), DateTime.UtcNow, TimeSpan.FromHours(1));
            using var transaction = connection.CreateWriteTransaction();
            transaction.SetJobState(id, new Hangfire.States.EnqueuedState("metrics_probe"));
            transaction.AddToQueue("metrics_probe", id);
            transaction.PersistJob(id);
            transaction.Commit();
        }

        await sampler.SampleAsync(CancellationToken.None);
        var after = await Scrape.GetAsync(world.Http);

        Assert.True(before.Has("callcontrol_jobs_enqueued"), before.Text);
        Assert.Equal(before.Value("callcontrol_jobs_enqueued") + 1, after.Value("callcontrol_jobs_enqueued"));
        Assert.True(after.Has("callcontrol_jobs_failed"), after.Text);
    }

    [Fact]
    public async Task Failed_recordings_are_counted_from_the_recordings_table()
    {
        var sampler = world.Services.GetRequiredService<BacklogSampler>();
        await sampler.SampleAsync(CancellationToken.None);
        var before = (await Scrape.GetAsync(world.Http)).Value("callcontrol_recordings_failed");

        var call = await world.AnsweredAppCallAsync("+15551119002");
        await InsertFailedRecordingAsync(world.Database, call.Room.CallId, call.Room.RoomId);
        await sampler.SampleAsync(CancellationToken.None);
        var after = await Scrape.GetAsync(world.Http);
        world.Sim.Switch.Hangup(call.CallerLeg);
        await world.ClientFor(call.Caller).UntilStatusAsync(call.Room.RoomId, "completed");

        Assert.Equal("gauge", after.Types["callcontrol_recordings_failed"]);
        Assert.Equal(before + 1, after.Value("callcontrol_recordings_failed"));
    }

    private static async Task InsertFailedRecordingAsync(NpgsqlDataSource database, Guid callId, string roomId)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO recordings (id, call_id, room_id, node_path, relative_path, state, started_at, failed_at, failure_reason)
            VALUES ($1, $2, $3, $4, $5, 'failed', now(), now(), 'test: archive store unreachable')
            """);
        var id = Guid.NewGuid();
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = callId });
        command.Parameters.Add(new NpgsqlParameter { Value = roomId });
        command.Parameters.Add(new NpgsqlParameter { Value = "/var/lib/freeswitch/recordings/" + id.ToString("N", CultureInfo.InvariantCulture) + ".wav" });
        command.Parameters.Add(new NpgsqlParameter { Value = id.ToString("N", CultureInfo.InvariantCulture) + ".wav" });
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Reconnects are counted per node (the ESL client's meter is process-wide, so the node name is unique).</summary>
[Collection(ServiceHostGroup.Name)]
public sealed class ReconnectMetricsTests
{
    [Fact]
    public async Task A_dropped_event_socket_shows_as_a_reconnect_of_that_node()
    {
        await using var sim = await FreeSwitchSim.SimulatorHost.StartAsync(new FreeSwitchSim.SimulatorHostOptions());
        var node = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        await using var service = await ServiceHost.StartAsync(new Dictionary<string, int> { [node] = sim.EslPort });
        await ServiceHostWait.UntilAsync(() => service.Nodes.AnyConnected, "connected");
        var before = await Scrape.GetAsync(service.Http);

        sim.Faults.Drop();
        await ServiceHostWait.UntilAsync(() => service.Nodes.State(node)!.ReconnectCount == 1 && service.Nodes.AnyConnected, "reconnected");
        var after = await ServiceHostWait.UntilAsync(
            () => Scrape.GetAsync(service.Http), s => s.Value($"esl_reconnects_total{{esl_node=\"{node}\"}}") >= 1, "the reconnect counted");

        Assert.Equal(0, before.Value($"esl_reconnects_total{{esl_node=\"{node}\"}}"));
        Assert.Equal(1, after.Value($"esl_reconnects_total{{esl_node=\"{node}\"}}"));
        Assert.Equal(1, after.Value($"callcontrol_nodes_connected{{node=\"{node}\"}}"));
    }
}

[Collection(ServiceHostGroup.Name)]
public sealed class EarlyCountTests
{
    [Fact]
    public async Task What_was_counted_before_the_first_scrape_is_reported_by_it()
    {
        await using var service = await ServiceHost.StartAsync();
        service.Services.GetRequiredService<ServiceMetrics>().CallEnded(CallControl.Calls.CallStatus.Refused);

        var first = await Scrape.GetAsync(service.Http);

        Assert.Equal(1, first.Value("callcontrol_calls_ended_total{status=\"refused\"}"));
    }
}
