using System.Net;
using CallControl.Data;
using CallControl.Rooms;
using CallControl.Tests.Scenarios;
using CallControl.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CallControl.Tests.Faults;

/// <summary>
/// The dispatcher's event queues are shared by many channels. A park's step (answers, bridge, the answered row) runs
/// in its call's inbox, so a call whose row write is stuck does not hold up another call's park that reads from the
/// same queue. Here there is one queue, and the first call's row is locked while its callee's leg parks.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class ParkQueueTests
{
    [Fact]
    public async Task A_call_whose_answered_write_waits_does_not_hold_up_another_calls_park_on_the_same_queue()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using var rig = await FaultRig.StartAsync(pg.ConnectionString, "parkqueue", new Dictionary<string, string?>
        {
            ["FreeSwitch:DispatchPartitions"] = "1",
        });
        await ServiceHostWait.UntilAsync(rig.ReadyAsync, s => s == HttpStatusCode.OK, "ready");
        var users = rig.App.Services.GetRequiredService<UserStore>();
        foreach (var id in new[] { "q-caller-a", "q-callee-a", "q-caller-b", "q-callee-b" })
        {
            await users.AddAsync(new UserRecord { Id = id, DisplayName = id });
        }

        var calls = rig.App.Services.GetRequiredService<CallStore>();
        var (roomA, callerLegA, calleeAppA) = await rig.CallAppAsync("q-caller-a", "q-callee-a");
        await using var _ = calleeAppA;
        var joinedA = await JoinAsync(rig, roomA.RoomId, "q-callee-a");

        await using var holder = new NpgsqlConnection(pg.ConnectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM calls WHERE id = '{roomA.CallId}' FOR UPDATE", holder, transaction))
        {
            await lockRow.ExecuteScalarAsync();
        }

        // A's callee enters: its legs are answered and bridged, then the answered row waits for the lock.
        var calleeLegA = await rig.EnterAsync(joinedA);
        await ServiceHostWait.UntilAsync(() => Task.FromResult(rig.Sim.Switch.Channel(callerLegA)?.OtherLegUuid), o => o == calleeLegA, "A bridged");

        // B's parks come through the same (only) queue meanwhile, and B is bridged and answered.
        var (roomB, callerLegB, calleeAppB) = await rig.CallAppAsync("q-caller-b", "q-callee-b");
        await using var __ = calleeAppB;
        var calleeLegB = await rig.EnterAsync(await JoinAsync(rig, roomB.RoomId, "q-callee-b"));
        // Within 3 s. With the park run on the queue, as before, B was not bridged within 3 s (checked).
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (rig.Sim.Switch.Channel(callerLegB)?.OtherLegUuid != calleeLegB || (await calls.GetAsync(roomB.CallId))!.Status != "answered")
        {
            Assert.True(DateTime.UtcNow < deadline, "B's parks were held up behind A's step on the shared queue");
            await Task.Delay(50);
        }

        Assert.Equal("ringing", (await calls.GetAsync(roomA.CallId))!.Status);
        await transaction.RollbackAsync();
        await ServiceHostWait.UntilAsync(() => calls.GetAsync(roomA.CallId), c => c?.Status == "answered", "A answered once the lock is gone");
    }

    private static async Task<RoomAccess> JoinAsync(FaultRig rig, string roomId, string calleeId)
    {
        using var callee = rig.ClientFor(calleeId);
        return await callee.JoinAsync(roomId);
    }
}
