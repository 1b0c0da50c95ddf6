using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallControl.Data;
using CallControl.Health;
using CallControl.Tests.Support;
using FreeSwitchSim.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CallControl.Tests.Faults;

/// <summary>
/// The network to PostgreSQL goes dark (packets dropped, nothing refused, nothing closed) while calls end, then comes
/// back: the service's own connection defaults, not the test's. Unlike a stopped server, a partition fails nothing at
/// once; every command simply never hears back. The service must still tell its probes it is not ready within
/// seconds, keep answering FreeSWITCH's CDR POSTs (journaled), lose no CDR, and recover by itself.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class PostgresPartitionTests(ITestOutputHelper output)
{
    private const int Legs = 4;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_dark_network_to_PostgreSQL_is_reported_journaled_and_recovered_from_without_losing_a_cdr()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using var proxy = new BlackholeProxy(pg.Port);
        // What an operator writes: where the database is, nothing about timeouts.
        await using var rig = await FaultRig.StartAsync($"Host=127.0.0.1;Port={proxy.Port};Username=postgres;Database=callcontrol", "partition");
        var (sim, app, journal) = (rig.Sim, rig.App, rig.Journal);
        await ServiceHostWait.UntilAsync(() => TimedReadyAsync(rig), s => s.Status == HttpStatusCode.OK, "ready before the partition");

        var users = app.Services.GetRequiredService<UserStore>();
        await users.AddAsync(new UserRecord { Id = "partition-caller", DisplayName = "Caller" });
        await users.AddAsync(new UserRecord { Id = "partition-callee", DisplayName = "Callee" });
        var legs = Enumerable.Range(0, Legs).Select(i => sim.Switch.PlaceSipCall($"+1555124{i:D4}", "Partition", $"room-partition{i}")).ToList();
        await ServiceHostWait.UntilAsync(() => legs.All(l => sim.Switch.Channel(l) is not null), "the legs parked");

        proxy.GoDark();
        var dark = Stopwatch.StartNew();
        // A room request sent as the network goes dark gets as far as PostgreSQL and finds out itself.
        using var caller = rig.ClientFor("partition-caller");
        var early = TimedRoomRequestAsync(caller);
        var probes = new List<(HttpStatusCode Status, TimeSpan Took)> { await TimedReadyAsync(rig) };
        while (probes[^1].Status != HttpStatusCode.ServiceUnavailable && dark.Elapsed < Generous)
        {
            probes.Add(await TimedReadyAsync(rig));
        }

        output.WriteLine($"not ready after {dark.Elapsed.TotalSeconds:F1} s; probes took {string.Join(", ", probes.Select(p => $"{p.Took.TotalSeconds:F1} s"))}");

        // The watch knows within one unanswered ping (3 s) and the rest of its interval.
        var watch = app.Services.GetRequiredService<DatabaseWatch>();
        await ServiceHostWait.UntilAsync(() => watch.Unreachable is not null, "the watch knows PostgreSQL is unreachable", Generous);
        var knownAfter = dark.Elapsed;
        output.WriteLine($"the watch knew after {knownAfter.TotalSeconds:F1} s");

        // An app asks for a room meanwhile: a clear 503 to retry, at once (7-13 s before the watch, each request
        // waiting out its own connection attempt).
        var roomRequest = Stopwatch.StartNew();
        using var roomAnswer = await caller.PostAsJsonAsync("/api/rooms", new { callee = "partition-callee" });
        var roomTook = roomRequest.Elapsed;
        var roomProblem = await roomAnswer.Content.ReadFromJsonAsync<JsonElement>();
        output.WriteLine($"a room request in the partition: {(int)roomAnswer.StatusCode} after {roomTook.TotalSeconds:F3} s");
        var shedDuring = await ShedAsync(rig);
        var (earlyStatus, earlyTitle, earlyTook) = await early;
        output.WriteLine($"a room request sent as it went dark: {(int)earlyStatus} after {earlyTook.TotalSeconds:F1} s");

        var hangups = Stopwatch.StartNew();
        foreach (var leg in legs)
        {
            sim.Switch.Hangup(leg);
        }

        await ServiceHostWait.UntilAsync(() => journal.Pending >= 2 * Legs, "every leg's event and POST journaled", Generous);
        var journaledAfter = hangups.Elapsed;
        await sim.Switch.WhenCdrsSettledAsync();
        var lastProbe = await TimedReadyAsync(rig);
        probes.Add(lastProbe);
        output.WriteLine($"journaled {journal.Pending} writes {journaledAfter.TotalSeconds:F1} s after the hangups; a probe in the partition answered {lastProbe.Status} in {lastProbe.Took.TotalSeconds:F1} s");

        proxy.Heal();
        var healed = Stopwatch.StartNew();
        await ServiceHostWait.UntilAsync(() => journal.Pending == 0, "the journal replayed", Generous);
        await ServiceHostWait.UntilAsync(() => TimedReadyAsync(rig), s => s.Status == HttpStatusCode.OK, "ready again", Generous);
        output.WriteLine($"replayed and ready {healed.Elapsed.TotalSeconds:F1} s after the network came back");
        // Rooms are served again (the gate let go by itself).
        Assert.Null(watch.Unreachable);
        using var afterwards = await caller.PostAsJsonAsync("/api/rooms", new { callee = "partition-callee" });

        var rows = await FaultRig.LegRowsAsync(pg.ConnectionString, legs);
        // Every probe answered within the probe's deadline (and some slack for a loaded machine): before the bound,
        // a probe in a partition took 33-45 s, or never answered.
        Assert.All(probes, p => Assert.InRange(p.Took, TimeSpan.Zero, DatabaseProbe.Deadline + TimeSpan.FromSeconds(4)));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lastProbe.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, roomAnswer.StatusCode);
        Assert.NotNull(roomAnswer.Headers.RetryAfter);
        Assert.Equal("Database unavailable", roomProblem.GetProperty("title").GetString());
        Assert.InRange(knownAfter, TimeSpan.Zero, DatabaseProbe.Deadline + DatabaseWatch.Interval + TimeSpan.FromSeconds(6));
        Assert.InRange(roomTook, TimeSpan.Zero, TimeSpan.FromSeconds(2)); // 7-13 s without the watch, 28-43 s with Npgsql's 15 s connect timeout
        Assert.Equal(1, shedDuring); // the gate answered it, not the request's own failure
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Database unavailable"), (earlyStatus, earlyTitle)); // found out itself
        // 5.1 s alone; 20.0 s once in a CI run beside the other test projects. Npgsql's multiplexing write loop opens
        // connections one at a time and a failed attempt (the 5 s connect timeout) fails only the first queued
        // command, so the n-th statement queued in the dark fails after about n x 5 s. Npgsql's default 15 s made
        // it 28-43 s.
        Assert.InRange(earlyTook, TimeSpan.Zero, TimeSpan.FromSeconds(25));
        Assert.Equal(HttpStatusCode.Created, afterwards.StatusCode);
        Assert.Equal(1, await CountAsync(pg.ConnectionString, "SELECT count(*) FROM rooms")); // nothing half-made in the partition
        // The CDRs were taken well inside FreeSWITCH's 5 s POST timeout: the writer's deadline, then the journal.
        Assert.InRange(journaledAfter, TimeSpan.Zero, TimeSpan.FromSeconds(15));
        Assert.Equal(legs.Select(Guid.Parse).Order(), rows.Select(r => r.Leg).Order());
        Assert.All(rows, r => Assert.Equal("both", r.Source));
        Assert.All(rows, r => Assert.True(r.HasJsonCdr));
        // FreeSWITCH never had to spool: every POST was answered 200 (durable in the journal).
        Assert.False(rig.FreeSwitchSpooled);
    }

    [Fact]
    public async Task An_unanswered_ping_sheds_nothing_while_PostgreSQL_answers_other_commands()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using var proxy = new BlackholeProxy(pg.Port);
        await using var rig = await FaultRig.StartAsync($"Host=127.0.0.1;Port={proxy.Port};Username=postgres;Database=callcontrol", "partslow");
        await ServiceHostWait.UntilAsync(() => TimedReadyAsync(rig), s => s.Status == HttpStatusCode.OK, "ready before the partition");
        var watch = rig.App.Services.GetRequiredService<DatabaseWatch>();

        // The ping goes unanswered, while other commands in this process keep being answered (what a loaded but
        // working database looks like from here): not grounds to turn requests away.
        proxy.GoDark();
        using var stop = new CancellationTokenSource();
        var others = Task.Run(async () =>
        {
            await using var direct = NpgsqlDataSource.Create(pg.ConnectionString);
            while (!stop.IsCancellationRequested)
            {
                await using var command = direct.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync();
                await Task.Delay(100);
            }
        });
        var checks = watch.Checks;
        await ServiceHostWait.UntilAsync(() => watch.Checks >= checks + 3, "three windows checked in the dark", Generous);
        var readyWhileOthersAnswered = (await TimedReadyAsync(rig)).Status;
        var unreachableWhileOthersAnswered = watch.Unreachable;

        // Nothing is answered any more: now it is unreachable.
        await stop.CancelAsync();
        await others;
        await ServiceHostWait.UntilAsync(() => watch.Unreachable is not null, "unreachable once nothing is answered", Generous);
        proxy.Heal();
        await ServiceHostWait.UntilAsync(() => watch.Unreachable is null, "reachable after the heal", Generous);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyWhileOthersAnswered); // the ping itself failed
        Assert.Null(unreachableWhileOthersAnswered);
    }

    [Fact]
    public async Task A_call_that_ends_while_the_network_is_dark_is_completed_once_it_is_back()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using var proxy = new BlackholeProxy(pg.Port);
        await using var rig = await FaultRig.StartAsync($"Host=127.0.0.1;Port={proxy.Port};Username=postgres;Database=callcontrol", "partcall");
        await ServiceHostWait.UntilAsync(rig.ReadyAsync, s => s == HttpStatusCode.OK, "ready before the partition");
        var (room, callerLeg) = await rig.CallCarrierAsync("partcall-caller", "+15552220077");
        await ServiceHostWait.UntilAsync(() => CallStatusAsync(pg.ConnectionString, room.CallId), s => s == "answered", "the carrier answered");

        proxy.GoDark();
        rig.Sim.Switch.Hangup(callerLeg);
        await rig.Sim.Switch.WhenCdrsSettledAsync();
        await Task.Delay(TimeSpan.FromSeconds(3)); // the router's writes of the hangup fail meanwhile
        Assert.Equal("answered", await CallStatusAsync(pg.ConnectionString, room.CallId)); // (read past the relay)
        proxy.Heal();
        var healed = Stopwatch.StartNew();

        await ServiceHostWait.UntilAsync(() => CallStatusAsync(pg.ConnectionString, room.CallId), s => s == "completed", "the call completed after the partition", Generous);
        var steps = await StepsAsync(pg.ConnectionString, room.CallId);
        output.WriteLine($"completed {healed.Elapsed.TotalSeconds:F1} s after the heal: {string.Join(", ", steps)}");
        Assert.Equal(["->ringing", "ringing>answered", "answered>completed"], steps);
        var rows = await ServiceHostWait.UntilAsync(
            () => LegsOfCallAsync(pg.ConnectionString, room.CallId), r => r.Count == 2 && r.All(l => l == "both"), "both legs' CDRs from both paths", Generous);
        Assert.Equal(2, rows.Count);
        Assert.False(rig.FreeSwitchSpooled);
    }

    [Fact]
    public async Task A_call_ringing_when_the_network_goes_dark_ends_at_its_ring_deadline_once_it_is_back()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using var proxy = new BlackholeProxy(pg.Port);
        await using var rig = await FaultRig.StartAsync(
            $"Host=127.0.0.1;Port={proxy.Port};Username=postgres;Database=callcontrol", "partring", new Dictionary<string, string?> { ["Rooms:PstnRingTimeout"] = "00:00:02" });
        await ServiceHostWait.UntilAsync(rig.ReadyAsync, s => s == HttpStatusCode.OK, "ready before the partition");
        rig.Sim.Switch.SetGatewayRules("carrier", [new GatewayRule("+1555222", "noanswer")]);
        var (room, callerLeg) = await rig.CallCarrierAsync("partring-caller", "+15552220088");
        var carrierLeg = await ServiceHostWait.UntilAsync(
            () => Task.FromResult(rig.Sim.Switch.Channels().FirstOrDefault(c => c.Uuid != callerLeg)), c => c is { CallState: "RINGING" }, "the carrier leg ringing");

        // The carrier's ring time (2 s) runs out in the dark: the router's record of the end and its hangup of the
        // caller race the loss of the node's lease. Whichever wins, the caller must not be left in the room.
        proxy.GoDark();
        await Task.Delay(TimeSpan.FromSeconds(5));
        output.WriteLine($"in the dark: [{string.Join(" ", rig.Sim.Switch.Channels().Select(c => $"{(c.Uuid == callerLeg ? "caller" : "carrier")}:{c.CallState}"))}]");
        proxy.Heal();
        var healed = Stopwatch.StartNew();

        await ServiceHostWait.UntilAsync(() => CallStatusAsync(pg.ConnectionString, room.CallId), s => s == "no_answer", "the call ended no-answer after the partition", Generous);
        await ServiceHostWait.UntilAsync(() => Task.FromResult(rig.Sim.Switch.Channels().Count), n => n == 0, "no leg left on the node", Generous);
        output.WriteLine($"no_answer and no leg left {healed.Elapsed.TotalSeconds:F1} s after the heal");
        Assert.Equal(["->ringing", "ringing>no_answer"], await StepsAsync(pg.ConnectionString, room.CallId));
        var rows = await ServiceHostWait.UntilAsync(
            () => FaultRig.LegRowsAsync(pg.ConnectionString, [callerLeg, carrierLeg!.Uuid]), r => r.Count == 2 && r.All(l => l.Source == "both"), "both legs' CDRs from both paths", Generous);
        Assert.Equal("NO_ANSWER", rows.Single(r => r.Leg == Guid.Parse(callerLeg)).HangupCause);
        Assert.False(rig.FreeSwitchSpooled);
    }

    [Fact]
    public async Task An_app_call_whose_ring_time_runs_out_in_the_dark_reaches_the_callees_phone_once_it_is_back()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using var proxy = new BlackholeProxy(pg.Port);
        await using var rig = await FaultRig.StartAsync(
            $"Host=127.0.0.1;Port={proxy.Port};Username=postgres;Database=callcontrol", "partfb", new Dictionary<string, string?> { ["Rooms:RingTimeout"] = "00:00:02" });
        await ServiceHostWait.UntilAsync(rig.ReadyAsync, s => s == HttpStatusCode.OK, "ready before the partition");
        var users = rig.App.Services.GetRequiredService<UserStore>();
        await users.AddAsync(new UserRecord { Id = "partfb-caller", DisplayName = "Caller" });
        await users.AddAsync(new UserRecord { Id = "partfb-callee", DisplayName = "Callee", PhoneNumber = "+15552230001", PstnFallbackAllowed = true });
        rig.Sim.Switch.SetGatewayRules("carrier", [new GatewayRule("+1555223", "answer", 300)]);
        var (room, callerLeg, calleeApp) = await rig.CallAppAsync("partfb-caller", "partfb-callee");
        await using var _ = calleeApp;
        await calleeApp.UntilAsync("invite"); // the callee's app rings, and nobody answers it

        // The 2 s ring time runs out in the dark; the phone must still be rung, once, when the network is back.
        proxy.GoDark();
        await Task.Delay(TimeSpan.FromSeconds(5));
        proxy.Heal();
        var healed = Stopwatch.StartNew();
        await ServiceHostWait.UntilAsync(() => CallStatusAsync(pg.ConnectionString, room.CallId), s => s == "answered", "the callee's phone answered", Generous);
        output.WriteLine($"answered {healed.Elapsed.TotalSeconds:F1} s after the heal: {string.Join(", ", await StepsAsync(pg.ConnectionString, room.CallId))}");
        Assert.Single(rig.Sim.Switch.Channels(), c => c.Uuid != callerLeg);

        rig.Sim.Switch.Hangup(callerLeg);
        await ServiceHostWait.UntilAsync(() => CallStatusAsync(pg.ConnectionString, room.CallId), s => s == "completed", "the call completed", Generous);
        var steps = await StepsAsync(pg.ConnectionString, room.CallId);
        output.WriteLine(string.Join(", ", steps));
        Assert.Equal("->ringing", steps[0]);
        // Through fallback-dialing, unless its write was lost in the dark (then the answer follows ringing).
        Assert.Matches("^(ringing|fallback-dialing)>answered$", steps[^2]);
        Assert.Equal("answered>completed", steps[^1]);
        var legs = await ServiceHostWait.UntilAsync(
            () => LegsOfCallAsync(pg.ConnectionString, room.CallId), r => r.Count == 2 && r.All(l => l == "both"), "the caller's and the phone's CDRs", Generous);
        Assert.Equal(2, legs.Count); // one phone leg: the fallback was dialed once
        Assert.Equal(["no_answer"], await StringsAsync(pg.ConnectionString, "SELECT fallback_reason FROM calls WHERE id = $1", room.CallId));
        Assert.False(rig.FreeSwitchSpooled);
    }

    private static Task<List<string>> StepsAsync(string connectionString, Guid callId) => StringsAsync(
        connectionString,
        "SELECT coalesce(from_status, '') || CASE WHEN from_status IS NULL THEN '->' ELSE '>' END || to_status FROM call_state_history WHERE call_id = $1 ORDER BY id",
        callId);

    private static Task<List<string>> LegsOfCallAsync(string connectionString, Guid callId) =>
        StringsAsync(connectionString, "SELECT source FROM call_legs WHERE call_id = $1", callId);

    private static async Task<List<string>> StringsAsync(string connectionString, string sql, Guid callId)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = callId });
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static async Task<string?> CallStatusAsync(string connectionString, Guid callId)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT status FROM calls WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = callId });
        return (string?)await command.ExecuteScalarAsync();
    }

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(HttpStatusCode Status, string? Title, TimeSpan Took)> TimedRoomRequestAsync(HttpClient caller)
    {
        var took = Stopwatch.StartNew();
        using var answer = await caller.PostAsJsonAsync("/api/rooms", new { callee = "partition-callee" });
        var title = answer.IsSuccessStatusCode ? null : (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString();
        return (answer.StatusCode, title, took.Elapsed);
    }

    // callcontrol_requests_shed_total from the service's /metrics (0 before the first).
    private static async Task<long> ShedAsync(FaultRig rig)
    {
        var text = await rig.Http.GetStringAsync("/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("callcontrol_requests_shed_total", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<(HttpStatusCode Status, TimeSpan Took)> TimedReadyAsync(FaultRig rig)
    {
        var took = Stopwatch.StartNew();
        return (await rig.ReadyAsync(), took.Elapsed);
    }
}
