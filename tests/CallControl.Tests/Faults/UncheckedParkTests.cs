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
/// A caller's leg parks in its room while PostgreSQL cannot check its one-time login (refused once with a transient
/// error; the node's lease holds). The park event comes once: dropped, the caller would wait in the room until the
/// call gave up on a leg that is there all along.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class UncheckedParkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_leg_whose_login_cannot_be_checked_when_it_parks_is_adopted_once_postgresql_answers()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using var rig = await FaultRig.StartAsync(pg.ConnectionString, "parkcheck");
        await ServiceHostWait.UntilAsync(rig.ReadyAsync, s => s == HttpStatusCode.OK, "ready");
        rig.Sim.Switch.SetGatewayRules("carrier", [new FreeSwitchSim.Core.GatewayRule("+1555222", "answer")]);
        // The first consumption of a login fails as a serialization failure would (a sequence is not rolled back).
        await FaultRig.RefuseFirstUpdateAsync(pg.ConnectionString, "verto_logins", "NEW.used_at IS NOT NULL AND OLD.used_at IS NULL");

        var parked = Stopwatch.StartNew();
        var (room, callerLeg) = await rig.CallCarrierAsync("parkcheck-caller", "+15552220111");

        var calls = rig.App.Services.GetRequiredService<CallStore>();
        await ServiceHostWait.UntilAsync(() => calls.GetAsync(room.CallId), c => c?.Status == "answered", "the carrier answered", TimeSpan.FromSeconds(20));
        output.WriteLine($"answered {parked.Elapsed.TotalMilliseconds:F0} ms after the room was asked for");
        var bridged = rig.Sim.Switch.Channel(callerLeg);
        Assert.NotNull(bridged?.OtherLegUuid);
        Assert.Equal(room.CallId.ToString("D"), bridged!.Variables["x_call_id"]);
        Assert.Equal(2L, await FaultRig.ScalarAsync(pg.ConnectionString, "SELECT last_value FROM refusals")); // refused once, then consumed
        Assert.InRange(parked.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }
}
