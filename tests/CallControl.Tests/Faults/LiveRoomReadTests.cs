using System.Net;
using System.Net.Http.Json;
using CallControl.Data;
using CallControl.Rooms;
using CallControl.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CallControl.Tests.Faults;

/// <summary>
/// A room whose live call this instance created is known without reading its row: its parties and node never change,
/// and it stays open while the call is live. So the room API's checks on it (who may act on it) and its view do not
/// read the <c>rooms</c> table; here that table is locked exclusively (as a migration or VACUUM FULL would), and they
/// still answer. Once the call is over the room is read again.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class LiveRoomReadTests
{
    [Fact]
    public async Task A_live_room_this_instance_created_is_checked_and_shown_without_reading_its_row()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using var rig = await FaultRig.StartAsync(pg.ConnectionString, "liveroom");
        await ServiceHostWait.UntilAsync(rig.ReadyAsync, s => s == HttpStatusCode.OK, "ready");
        var users = rig.App.Services.GetRequiredService<UserStore>();
        await users.AddAsync(new UserRecord { Id = "live-caller", DisplayName = "Caller" });
        await users.AddAsync(new UserRecord { Id = "live-callee", DisplayName = "Callee" });
        await users.AddAsync(new UserRecord { Id = "live-stranger", DisplayName = "Stranger" });
        var (room, callerLeg, calleeApp) = await rig.CallAppAsync("live-caller", "live-callee");
        await using var _ = calleeApp;
        var calls = rig.App.Services.GetRequiredService<CallStore>();
        await ServiceHostWait.UntilAsync(() => calls.GetAsync(room.CallId), c => c?.Status == "ringing", "the call ringing");

        using var caller = rig.ClientFor("live-caller");
        using var stranger = rig.ClientFor("live-stranger");
        await using (var holder = new NpgsqlConnection(pg.ConnectionString))
        {
            await holder.OpenAsync();
            await using var transaction = await holder.BeginTransactionAsync();
            await using (var lockRooms = new NpgsqlCommand("LOCK TABLE rooms IN ACCESS EXCLUSIVE MODE", holder, transaction))
            {
                await lockRooms.ExecuteNonQueryAsync();
            }

            // Any read of the rooms table now waits for the lock; these must not.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(4));
            using var view = await caller.GetAsync($"/api/rooms/{room.RoomId}", deadline.Token);
            using var strangerView = await stranger.GetAsync($"/api/rooms/{room.RoomId}", deadline.Token);
            using var strangerBusy = await stranger.PostAsync($"/api/rooms/{room.RoomId}/busy", null, deadline.Token);
            Assert.Equal(HttpStatusCode.OK, view.StatusCode);
            var shown = await view.Content.ReadFromJsonAsync<RoomView>(cancellationToken: deadline.Token);
            Assert.Equal(("open", "ringing", room.CallId), (shown!.State, shown.Call!.Status, shown.Call.Id));
            Assert.Equal(HttpStatusCode.Forbidden, strangerView.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, strangerBusy.StatusCode);
            await transaction.RollbackAsync();
        }

        // Over: the room is read from PostgreSQL again, and shows closed.
        rig.Sim.Switch.Hangup(callerLeg);
        await ServiceHostWait.UntilAsync(() => calls.GetAsync(room.CallId), c => c?.Status == "canceled", "the call canceled");
        var ended = await caller.GetFromJsonAsync<RoomView>($"/api/rooms/{room.RoomId}");
        Assert.Equal(("closed", "canceled"), (ended!.State, ended.Call!.Status));
        using var strangerAfter = await stranger.GetAsync($"/api/rooms/{room.RoomId}");
        Assert.Equal(HttpStatusCode.Forbidden, strangerAfter.StatusCode);
    }
}
