using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallControl.Data;
using CallControl.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CallControl.Tests.Faults;

/// <summary>
/// A call's writes do not all land the first time while everything else works and the node's lease holds: its end
/// refused with a transient error, its end meeting a version left by an earlier write whose reply was lost, its
/// answer refused. Nothing later would end the row, so the service must still store the end, complete, without
/// keeping the legs up meanwhile, and a step refused on the way is written with the next write (or, if it had landed
/// after all, taken as written).
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class CallEndWriteTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_calls_end_refused_once_by_postgresql_is_stored_by_a_retry_without_keeping_the_legs_up()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using var rig = await FaultRig.StartAsync(pg.ConnectionString, "finalretry");
        var (room, callerLeg) = await CarrierCallAsync(rig);
        var calls = rig.App.Services.GetRequiredService<CallStore>();

        // The first write that ends this call fails as a serialization failure would (a sequence is not rolled back,
        // so only the first attempt fails).
        await FaultRig.RefuseFirstUpdateAsync(pg.ConnectionString, "calls", $"NEW.id = '{room.CallId}' AND NEW.status <> OLD.status");

        rig.Sim.Switch.Hangup(callerLeg);
        var hungUp = Stopwatch.StartNew();
        await ServiceHostWait.UntilAsync(() => Task.FromResult(rig.Sim.Switch.Channels().Count), n => n == 0, "the carrier leg hung up");
        var legsGone = hungUp.Elapsed;
        var call = await ServiceHostWait.UntilAsync(() => calls.GetWithHistoryAsync(room.CallId), c => c!.Call.Status == "completed", "the end stored", TimeSpan.FromSeconds(30));
        output.WriteLine($"legs gone {legsGone.TotalMilliseconds:F0} ms, end stored {hungUp.Elapsed.TotalMilliseconds:F0} ms after the caller hung up");

        Assert.Equal(2L, await FaultRig.ScalarAsync(pg.ConnectionString, "SELECT last_value FROM refusals")); // refused once, then stored
        Assert.Equal(["ringing", "answered", "completed"], call!.History.Select(h => h.ToStatus));
        // Which hangup the machine hears first (the caller's, or the bridged carrier leg's) decides the reason.
        Assert.Matches("^(caller|network)_hung_up$", call.History[^1].Reason);
        Assert.NotNull(call.Call.EndedAt);
        Assert.NotNull(call.Call.Billsec);
        Assert.Equal("closed", await FaultRig.ScalarAsync(pg.ConnectionString, $"SELECT state FROM rooms WHERE id = '{room.RoomId}'"));
        Assert.InRange(legsGone, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_calls_end_written_after_an_earlier_write_whose_answer_was_lost_is_stored_over_it()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using var rig = await FaultRig.StartAsync(pg.ConnectionString, "finalover");
        var (room, callerLeg) = await CarrierCallAsync(rig);
        var calls = rig.App.Services.GetRequiredService<CallStore>();

        // What a write that landed but whose reply never came leaves: the row one version past what the service knows.
        await FaultRig.ScalarAsync(pg.ConnectionString, $"UPDATE calls SET version = version + 1 WHERE id = '{room.CallId}'");

        rig.Sim.Switch.Hangup(callerLeg);
        var call = await ServiceHostWait.UntilAsync(() => calls.GetWithHistoryAsync(room.CallId), c => c!.Call.Status == "completed", "the end stored", TimeSpan.FromSeconds(30));
        Assert.Equal(["ringing", "answered", "completed"], call!.History.Select(h => h.ToStatus));
        Assert.NotNull(call.Call.EndedAt);
        Assert.Equal("closed", await FaultRig.ScalarAsync(pg.ConnectionString, $"SELECT state FROM rooms WHERE id = '{room.RoomId}'"));
        await ServiceHostWait.UntilAsync(() => Task.FromResult(rig.Sim.Switch.Channels().Count), n => n == 0, "both legs hung up");
    }

    [Fact]
    public async Task A_call_whose_answered_write_was_refused_keeps_the_step_in_its_history_with_its_answer_time_and_billsec()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using var rig = await FaultRig.StartAsync(pg.ConnectionString, "answerlost");
        // Every move to answered is refused once (a sequence is not rolled back with the failed statement).
        await FaultRig.RefuseFirstUpdateAsync(pg.ConnectionString, "calls", "NEW.status = 'answered' AND OLD.status <> 'answered'");
        var (room, callerLeg) = await CarrierCallAsync(rig, "ringing");
        var calls = rig.App.Services.GetRequiredService<CallStore>();
        await ServiceHostWait.UntilAsync(() => Task.FromResult(rig.Sim.Switch.Channels().Count(c => c.AnswerState == "answered")), n => n == 2, "both legs answered");
        await Task.Delay(1100); // a billable second
        rig.Sim.Switch.Hangup(callerLeg);

        var call = await ServiceHostWait.UntilAsync(() => calls.GetWithHistoryAsync(room.CallId), c => c!.Call.Status == "completed", "the end stored", TimeSpan.FromSeconds(30));
        // The refused step was written with the call's next write (its end), at the time it happened.
        Assert.Equal(["ringing", "answered", "completed"], call!.History.Select(h => h.ToStatus));
        Assert.Equal([null, "ringing", "answered"], call.History.Select(h => h.FromStatus));
        Assert.NotNull(call.Call.AnsweredAt);
        Assert.InRange(call.History[1].At, call.Call.AnsweredAt.Value.AddMilliseconds(-50), call.Call.AnsweredAt.Value.AddMilliseconds(50));
        Assert.True(call.History[2].At - call.History[1].At >= TimeSpan.FromSeconds(1), "the answered step keeps its own time, not its write's");
        Assert.Equal(2L, await FaultRig.ScalarAsync(pg.ConnectionString, "SELECT last_value FROM refusals")); // refused once, then stored
        Assert.Equal("pstn", call.Call.AnsweredVia);
        Assert.InRange(call.Call.Billsec!.Value, 1, 10);
    }

    [Fact]
    public async Task A_calls_end_held_up_by_a_row_lock_hangs_up_the_caller_meanwhile_and_is_stored_once_the_lock_goes()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using var rig = await FaultRig.StartAsync(pg.ConnectionString, "finalslow", new Dictionary<string, string?> { ["Rooms:RingTimeout"] = "00:00:02" });
        await ServiceHostWait.UntilAsync(rig.ReadyAsync, s => s == HttpStatusCode.OK, "ready");
        // An app call to a callee who is online and has no phone on file: when the ring time runs out, only the
        // service ends it (the caller is parked in the room, not bridged to anything that could end it).
        var users = rig.App.Services.GetRequiredService<UserStore>();
        await users.AddAsync(new UserRecord { Id = "slow-caller", DisplayName = "Caller" });
        await users.AddAsync(new UserRecord { Id = "slow-callee", DisplayName = "Callee" });
        var (room, callerLeg, calleeApp) = await rig.CallAppAsync("slow-caller", "slow-callee");
        await using var _ = calleeApp;
        var calls = rig.App.Services.GetRequiredService<CallStore>();
        await ServiceHostWait.UntilAsync(() => calls.GetAsync(room.CallId), c => c?.RingDeadline is not null, "the caller parked and the callee alerted");

        // Another session holds the call's row (a long transaction elsewhere) past the ring deadline: the end's write
        // waits for it without failing, while PostgreSQL answers everything else.
        await using var holder = new NpgsqlConnection(pg.ConnectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM calls WHERE id = '{room.CallId}' FOR NO KEY UPDATE", holder, transaction))
        {
            await lockRow.ExecuteScalarAsync();
        }

        var locked = Stopwatch.StartNew();
        await ServiceHostWait.UntilAsync(() => Task.FromResult(rig.Sim.Switch.Channel(callerLeg)), c => c is null, "the caller hung up while the end waits", TimeSpan.FromSeconds(20));
        var callerGone = locked.Elapsed;
        var statusWhileLocked = await FaultRig.ScalarAsync(pg.ConnectionString, $"SELECT status FROM calls WHERE id = '{room.CallId}'");
        await transaction.CommitAsync();
        var call = await ServiceHostWait.UntilAsync(() => calls.GetWithHistoryAsync(room.CallId), c => c!.Call.Status == "no_answer", "the end stored once the lock went", TimeSpan.FromSeconds(30));
        output.WriteLine($"caller hung up {callerGone.TotalSeconds:F1} s after the row was locked (ring time 2 s, the end's wait {CallControl.Calls.Router.CallRouter.FinalWriteWait.TotalSeconds} s)");

        Assert.Equal("ringing", statusWhileLocked); // the end was not stored yet when the caller was hung up
        // The ring time, the end's wait, and slack for a loaded machine: 3.0 s measured. Without the bound, the caller
        // stayed until the write itself gave up on the lock (7.0 s here, when Npgsql's read timed out).
        Assert.InRange(callerGone, TimeSpan.Zero, TimeSpan.FromSeconds(5.5));
        Assert.Equal(["ringing", "no_answer"], call!.History.Select(h => h.ToStatus));
        Assert.Equal("closed", await FaultRig.ScalarAsync(pg.ConnectionString, $"SELECT state FROM rooms WHERE id = '{room.RoomId}'"));
    }

    [Fact]
    public async Task A_step_that_landed_though_its_reply_was_lost_counts_as_written_and_the_next_step_follows_it()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using var rig = await FaultRig.StartAsync(pg.ConnectionString, "steplanded");
        await ServiceHostWait.UntilAsync(rig.ReadyAsync, s => s == HttpStatusCode.OK, "ready");
        // The callee is offline with a phone on file: the call goes to the carrier, whose leg rings until answered here.
        var users = rig.App.Services.GetRequiredService<UserStore>();
        await users.AddAsync(new UserRecord { Id = "landed-caller", DisplayName = "Caller" });
        await users.AddAsync(new UserRecord { Id = "landed-callee", DisplayName = "Callee", PhoneNumber = "+15552220177", PstnFallbackAllowed = true });
        rig.Sim.Switch.SetGatewayRules("carrier", [new FreeSwitchSim.Core.GatewayRule("+1555222", "noanswer")]);
        // The move to fallback-dialing fails once (a sequence is not rolled back with the failed statement).
        await FaultRig.RefuseFirstUpdateAsync(pg.ConnectionString, "calls", "NEW.status = 'fallback-dialing' AND OLD.status <> 'fallback-dialing'");

        using var caller = rig.ClientFor("landed-caller");
        using var created = await caller.PostAsJsonAsync("/api/rooms", new { callee = "landed-callee" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var room = (await created.Content.ReadFromJsonAsync<CallControl.Rooms.RoomAccess>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
        var callerLeg = await rig.EnterAsync(room);
        var carrierLeg = await ServiceHostWait.UntilAsync(
            () => Task.FromResult(rig.Sim.Switch.Channels().FirstOrDefault(c => c.Name.StartsWith("sofia/", StringComparison.Ordinal))),
            c => c is not null, "the carrier leg dialed");
        Assert.Equal(1L, await FaultRig.ScalarAsync(pg.ConnectionString, "SELECT last_value FROM refusals"));

        // What that write would have left had it landed with its reply lost on the way back: the step stored, the row
        // one version past what the service knows. The service kept the step to write with the call's next write.
        var calls = rig.App.Services.GetRequiredService<CallStore>();
        var before = (await calls.GetAsync(room.CallId))!;
        Assert.Equal("ringing", before.Status);
        var landed = await calls.ApplyAsync(room.CallId, before.Version, new CallChange
        {
            ToStatus = "fallback-dialing",
            Reason = "callee_offline",
            At = DateTime.UtcNow,
            FallbackReason = "offline",
        });
        Assert.Equal(TransitionOutcome.Applied, landed.Outcome);

        // The carrier answers: the kept step is found stored, and the answer is written after it. Were the conflict
        // taken as the row moving on without the service, the answer would be dropped and the row left dialing.
        rig.Sim.Switch.Answer(carrierLeg!.Uuid);
        var answered = await ServiceHostWait.UntilAsync(() => calls.GetWithHistoryAsync(room.CallId), c => c!.Call.Status == "answered", "the answer stored", TimeSpan.FromSeconds(15));
        Assert.Equal(["ringing", "fallback-dialing", "answered"], answered!.History.Select(h => h.ToStatus));
        Assert.Equal([null, "ringing", "fallback-dialing"], answered.History.Select(h => h.FromStatus));
        Assert.Equal(before.Version + 2, answered.Call.Version);
        Assert.Equal("pstn", answered.Call.AnsweredVia);

        rig.Sim.Switch.Hangup(callerLeg);
        var ended = await ServiceHostWait.UntilAsync(() => calls.GetWithHistoryAsync(room.CallId), c => c!.Call.Status == "completed", "the end stored", TimeSpan.FromSeconds(15));
        Assert.Equal(["ringing", "fallback-dialing", "answered", "completed"], ended!.History.Select(h => h.ToStatus));
        Assert.Equal(2L, await FaultRig.ScalarAsync(pg.ConnectionString, "SELECT last_value FROM refusals")); // the refusal, and the stand-in write above
    }

    /// <summary>A carrier call that answers, once the call has <paramref name="status"/>.</summary>
    private static async Task<(CallControl.Rooms.RoomAccess Room, string CallerLeg)> CarrierCallAsync(FaultRig rig, string status = "answered")
    {
        await ServiceHostWait.UntilAsync(rig.ReadyAsync, s => s == HttpStatusCode.OK, "ready");
        rig.Sim.Switch.SetGatewayRules("carrier", [new FreeSwitchSim.Core.GatewayRule("+1555222", "answer")]);
        var (room, callerLeg) = await rig.CallCarrierAsync("final-caller", "+15552220099");
        var calls = rig.App.Services.GetRequiredService<CallStore>();
        await ServiceHostWait.UntilAsync(() => calls.GetAsync(room.CallId), c => c?.Status == status, $"the call {status}");
        return (room, callerLeg);
    }
}
