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
        await rig.App.Services.GetRequiredService<UserStore>().AddAsync(new UserRecord { Id = "parkcheck-caller", DisplayName = "Caller" });
        rig.Sim.Switch.SetGatewayRules("carrier", [new FreeSwitchSim.Core.GatewayRule("+1555222", "answer")]);
        // The first consumption of a login fails as a serialization failure would (a sequence is not rolled back).
        await using (var dataSource = NpgsqlDataSource.Create(pg.ConnectionString))
        {
            await using var command = dataSource.CreateCommand("""
                CREATE SEQUENCE refusals;
                CREATE FUNCTION refuse_first_use() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.used_at IS NOT NULL AND OLD.used_at IS NULL AND nextval('refusals') = 1 THEN
                        RAISE EXCEPTION 'injected: could not serialize access' USING ERRCODE = '40001';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER refuse_first_use BEFORE UPDATE ON verto_logins FOR EACH ROW EXECUTE FUNCTION refuse_first_use();
                """);
            await command.ExecuteNonQueryAsync();
        }

        using var client = rig.ClientFor("parkcheck-caller");
        using var created = await client.PostAsJsonAsync("/api/rooms", new { calleeNumber = "+15552220111" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var room = (await created.Content.ReadFromJsonAsync<CallControl.Rooms.RoomAccess>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
        Assert.True(await rig.Sim.Switch.LoginAsync(room.Verto.Login, room.Verto.Password, CancellationToken.None));
        var parked = Stopwatch.StartNew();
        var callerLeg = rig.Sim.Switch.PlaceCall(room.Verto.Login, room.Verto.Destination);

        var calls = rig.App.Services.GetRequiredService<CallStore>();
        await ServiceHostWait.UntilAsync(() => calls.GetAsync(room.CallId), c => c?.Status == "answered", "the carrier answered", TimeSpan.FromSeconds(20));
        output.WriteLine($"answered {parked.Elapsed.TotalMilliseconds:F0} ms after the caller's leg parked");
        var bridged = rig.Sim.Switch.Channel(callerLeg);
        Assert.NotNull(bridged?.OtherLegUuid);
        Assert.Equal(room.CallId.ToString("D"), bridged!.Variables["x_call_id"]);
        await using (var dataSource = NpgsqlDataSource.Create(pg.ConnectionString))
        {
            await using var refusals = dataSource.CreateCommand("SELECT last_value FROM refusals");
            Assert.Equal(2L, await refusals.ExecuteScalarAsync()); // refused once, then consumed
        }

        Assert.InRange(parked.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }
}
