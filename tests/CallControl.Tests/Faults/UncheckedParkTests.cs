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
/// A caller's leg parks in its room while PostgreSQL refuses, once, to mark its one-time login used (a transient error;
/// the node's lease holds). The park event comes once: dropped, the caller would wait in the room until the call gave up
/// on a leg that is there all along.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class UncheckedParkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_leg_on_a_login_this_instance_issued_is_adopted_at_once_and_its_claim_stored_once_postgresql_answers()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using var rig = await StartRigAsync(pg, "parkclaim");

        var (room, callerLeg) = await rig.CallCarrierAsync("parkclaim-caller", "+15552220111");

        // The call checked its own login: the leg is adopted and the carrier dialed without waiting for PostgreSQL.
        var calls = rig.App.Services.GetRequiredService<CallStore>();
        await ServiceHostWait.UntilAsync(() => calls.GetAsync(room.CallId), c => c?.Status == "answered", "the carrier answered", TimeSpan.FromSeconds(20));
        Assert.Equal(room.CallId.ToString("D"), rig.Sim.Switch.Channel(callerLeg)!.Variables["x_call_id"]);
        // Storing the claim was refused once, then tried again and stored.
        await ServiceHostWait.UntilAsync(
            () => FaultRig.ScalarAsync(pg.ConnectionString, $"SELECT used_by_leg FROM verto_logins WHERE login = '{room.Verto.Login}'"),
            used => used as string == callerLeg, "the login to be marked used by the leg", TimeSpan.FromSeconds(10));
        Assert.Equal(2L, await FaultRig.ScalarAsync(pg.ConnectionString, "SELECT last_value FROM refusals"));
    }

    [Fact]
    public async Task A_leg_on_a_login_issued_elsewhere_that_cannot_be_checked_when_it_parks_is_adopted_once_postgresql_answers()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using var rig = await StartRigAsync(pg, "parkcheck");
        var parked = Stopwatch.StartNew();
        await rig.App.Services.GetRequiredService<UserStore>().AddAsync(new UserRecord { Id = "parkcheck-caller", DisplayName = "Caller" });
        using var client = rig.ClientFor("parkcheck-caller");
        using var created = await client.PostAsJsonAsync("/api/rooms", new { calleeNumber = "+15552220111" });
        var room = (await created.Content.ReadFromJsonAsync<CallControl.Rooms.RoomAccess>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;

        // A login for the caller that the call did not see issued (as one issued by another instance would be): only
        // PostgreSQL can check it, and it refuses once.
        var elsewhere = await rig.App.Services.GetRequiredService<VertoLoginStore>().IssueAsync(room.RoomId, "parkcheck-caller", TimeSpan.FromMinutes(1));
        var callerLeg = await rig.EnterAsync(room with { Verto = room.Verto with { Login = elsewhere.Login, Password = elsewhere.Password } });

        var calls = rig.App.Services.GetRequiredService<CallStore>();
        await ServiceHostWait.UntilAsync(() => calls.GetAsync(room.CallId), c => c?.Status == "answered", "the carrier answered", TimeSpan.FromSeconds(20));
        output.WriteLine($"answered {parked.Elapsed.TotalMilliseconds:F0} ms after the room was asked for");
        var bridged = rig.Sim.Switch.Channel(callerLeg);
        Assert.NotNull(bridged?.OtherLegUuid);
        Assert.Equal(room.CallId.ToString("D"), bridged!.Variables["x_call_id"]);
        Assert.Equal(2L, await FaultRig.ScalarAsync(pg.ConnectionString, "SELECT last_value FROM refusals")); // refused once, then consumed
        Assert.Equal(callerLeg, await FaultRig.ScalarAsync(pg.ConnectionString, $"SELECT used_by_leg FROM verto_logins WHERE login = '{elsewhere.Login}'"));
        Assert.InRange(parked.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    // The service and a node on pg, ready; the carrier answers +1555222…; the first consumption of a login fails as a
    // serialization failure would (a sequence is not rolled back).
    private static async Task<FaultRig> StartRigAsync(ThrowawayPostgres pg, string name)
    {
        var rig = await FaultRig.StartAsync(pg.ConnectionString, name);
        await ServiceHostWait.UntilAsync(rig.ReadyAsync, s => s == HttpStatusCode.OK, "ready");
        rig.Sim.Switch.SetGatewayRules("carrier", [new FreeSwitchSim.Core.GatewayRule("+1555222", "answer")]);
        await FaultRig.RefuseFirstUpdateAsync(pg.ConnectionString, "verto_logins", "NEW.used_at IS NOT NULL AND OLD.used_at IS NULL");
        return rig;
    }
}
