using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallControl.Health;
using CallControl.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Faults;

/// <summary>
/// PostgreSQL stopped for 30 s while calls end, then started again: every CDR (both paths: the ESL
/// CHANNEL_HANGUP_COMPLETE and mod_json_cdr's POST) is in the database afterwards, in hangup order, one row per leg;
/// the service was not ready meanwhile and is ready again by itself. A real outage of a cluster of the test's own.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class PostgresOutageTests
{
    private const int Legs = 6;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Cdrs_of_calls_ending_during_a_30_s_outage_are_all_stored_in_order_once_it_is_back()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        await using var rig = await FaultRig.StartAsync(pg.ConnectionString, "outage");
        var (sim, journal) = (rig.Sim, rig.Journal);
        await ServiceHostWait.UntilAsync(rig.ReadyAsync, s => s == HttpStatusCode.OK, "ready before the outage");

        // Callers parked in rooms (no call of ours: only their CDRs matter here).
        var legs = Enumerable.Range(0, Legs).Select(i => sim.Switch.PlaceSipCall($"+1555123{i:D4}", "Outage", $"room-outage{i}")).ToList();
        await ServiceHostWait.UntilAsync(() => legs.All(l => sim.Switch.Channel(l) is not null), "the legs parked");

        await pg.StopAsync();
        var stoppedAt = DateTime.UtcNow;
        await ServiceHostWait.UntilAsync(rig.ReadyAsync, s => s == HttpStatusCode.ServiceUnavailable, "not ready during the outage");
        var watch = rig.App.Services.GetRequiredService<DatabaseWatch>();
        await ServiceHostWait.UntilAsync(() => watch.Unreachable is not null, "the watch knows the database is down", Generous);
        using var caller = rig.ClientFor("outage-caller");
        using var roomDuring = await caller.PostAsJsonAsync("/api/rooms", new { calleeNumber = "+15552220099" });
        for (var i = 0; i < Legs; i++)
        {
            sim.Switch.Hangup(legs[i]);
            // The leg's json_cdr POST answered (journaled) before the next leg ends: the hangup order is the journal
            // order. Its event-path write is journaled too, in whichever order the two arrive.
            await sim.Switch.WhenCdrsSettledAsync();
            var atLeast = i + 1;
            await ServiceHostWait.UntilAsync(() => journal.Pending >= atLeast, $"{atLeast} journaled CDR writes", Generous);
        }

        await sim.Switch.WhenCdrsSettledAsync();
        var readyDuring = await rig.ReadyAsync();
        var remaining = Outage - (DateTime.UtcNow - stoppedAt);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining); // the scenario's 30 s outage, not a measurement
        }

        await pg.StartAgainAsync();
        await ServiceHostWait.UntilAsync(() => journal.Pending == 0, "the journal replayed", Generous);
        await ServiceHostWait.UntilAsync(rig.ReadyAsync, s => s == HttpStatusCode.OK, "ready again", Generous);

        await ServiceHostWait.UntilAsync(() => watch.Unreachable is null, "the watch knows the database is back", Generous);

        var rows = await FaultRig.LegRowsAsync(pg.ConnectionString, legs);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyDuring);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, roomDuring.StatusCode);
        Assert.Equal("Database unavailable", (await roomDuring.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(legs.Select(Guid.Parse), rows.Select(r => r.Leg));          // every leg, once, in hangup order
        Assert.All(rows, r => Assert.Equal("both", r.Source));                   // from the event and from json_cdr (a fenced owner keeps its CDR path)
        Assert.All(rows, r => Assert.True(r.HasJsonCdr));
        Assert.All(rows, r => Assert.Equal("ORIGINATOR_CANCEL", r.HangupCause));
        // FreeSWITCH's own spool stayed empty: every POST was answered 200 (durable in the journal).
        Assert.False(rig.FreeSwitchSpooled);
        Assert.Equal(0, new FileInfo(journal.FilePath).Length);
    }
}
