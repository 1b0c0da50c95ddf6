using System.Globalization;
using System.Net;
using CallControl.Cdr.Journal;
using CallControl.Data;
using CallControl.Hosting;
using CallControl.Switch;
using CallControl.Tests.Support;
using FreeSwitchSim;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

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
        var scratch = Directory.CreateTempSubdirectory("callcontrol-outage-");
        FreeSwitchSim.Switch.SimSwitchOptions? simOptions = null;
        await using var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions
        {
            ConfigureSwitch = o =>
            {
                simOptions = o;
                o.JsonCdrSpoolDir = Path.Combine(scratch.FullName, "fs-spool");
            },
        });
        await using var app = ServiceApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:" + DataServiceCollectionExtensions.ConnectionStringName] = pg.ConnectionString,
                ["FreeSwitch:CallbackUser"] = "fs",
                ["FreeSwitch:CallbackSecret"] = "outage-secret",
                ["FreeSwitch:Nodes:0:Name"] = "outage1",
                ["FreeSwitch:Nodes:0:Host"] = "127.0.0.1",
                ["FreeSwitch:Nodes:0:Port"] = sim.EslPort.ToString(CultureInfo.InvariantCulture),
                ["FreeSwitch:Nodes:0:Password"] = "ClueCon",
                ["Auth:SigningKey"] = "outage-test-signing-key-0123456789-abcdef",
                ["Cdr:JournalPath"] = Path.Combine(scratch.FullName, "cdr.journal"),
                ["Cdr:JournalReplayInterval"] = "00:00:00.250",
                ["Jobs:Schema"] = JobsSchema.Unique(),
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Hangfire"] = "None",
            });
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        });
        await app.StartAsync();
        var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        simOptions!.JsonCdrUrl = new Uri(baseAddress, "/fs/cdr");
        simOptions.JsonCdrUser = "fs";
        simOptions.JsonCdrPassword = "outage-secret";
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var journal = app.Services.GetRequiredService<CdrJournal>();
        await ServiceHostWait.UntilAsync(() => ReadyAsync(http), s => s == HttpStatusCode.OK, "ready before the outage");

        // Callers parked in rooms (no call of ours: only their CDRs matter here).
        var legs = Enumerable.Range(0, Legs).Select(i => sim.Switch.PlaceSipCall($"+1555123{i:D4}", "Outage", $"room-outage{i}")).ToList();
        await ServiceHostWait.UntilAsync(() => legs.All(l => sim.Switch.Channel(l) is not null), "the legs parked");

        await pg.StopAsync();
        var stoppedAt = DateTime.UtcNow;
        await ServiceHostWait.UntilAsync(() => ReadyAsync(http), s => s == HttpStatusCode.ServiceUnavailable, "not ready during the outage");
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
        var readyDuring = await ReadyAsync(http);
        var remaining = Outage - (DateTime.UtcNow - stoppedAt);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining); // the scenario's 30 s outage, not a measurement
        }

        await pg.StartAgainAsync();
        await ServiceHostWait.UntilAsync(() => journal.Pending == 0, "the journal replayed", Generous);
        await ServiceHostWait.UntilAsync(() => ReadyAsync(http), s => s == HttpStatusCode.OK, "ready again", Generous);

        var rows = await LegRowsAsync(pg.ConnectionString, legs);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyDuring);
        Assert.Equal(legs.Select(Guid.Parse), rows.Select(r => r.Leg));          // every leg, once, in hangup order
        Assert.All(rows, r => Assert.Equal("both", r.Source));                   // from the event and from json_cdr (a fenced owner keeps its CDR path)
        Assert.All(rows, r => Assert.True(r.HasJsonCdr));
        Assert.All(rows, r => Assert.Equal("ORIGINATOR_CANCEL", r.HangupCause));
        // FreeSWITCH's own spool stayed empty: every POST was answered 200 (durable in the journal).
        Assert.False(Directory.Exists(simOptions.JsonCdrSpoolDir) && Directory.EnumerateFiles(simOptions.JsonCdrSpoolDir).Any());
        Assert.Equal(0, new FileInfo(journal.FilePath).Length);
        await app.StopAsync();
        scratch.Delete(recursive: true);
    }

    private static async Task<HttpStatusCode> ReadyAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/health/ready");
        return response.StatusCode;
    }

    private static async Task<List<(Guid Leg, string Source, bool HasJsonCdr, string? HangupCause)>> LegRowsAsync(string connectionString, IReadOnlyList<string> legs)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("""
            SELECT leg_uuid, source, json_cdr IS NOT NULL, hangup_cause
            FROM call_legs
            WHERE leg_uuid = ANY($1)
            ORDER BY created_at, leg_uuid
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(Guid.Parse).ToArray() });
        var rows = new List<(Guid, string, bool, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetGuid(0), reader.GetString(1), reader.GetBoolean(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return rows;
    }
}
