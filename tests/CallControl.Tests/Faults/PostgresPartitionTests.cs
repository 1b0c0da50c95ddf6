using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CallControl.Auth;
using CallControl.Cdr.Journal;
using CallControl.Data;
using CallControl.Health;
using CallControl.Hosting;
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
        var scratch = Directory.CreateTempSubdirectory("callcontrol-partition-");
        FreeSwitchSim.Switch.SimSwitchOptions? simOptions = null;
        await using var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions
        {
            ConfigureSwitch = o =>
            {
                simOptions = o;
                o.JsonCdrSpoolDir = Path.Combine(scratch.FullName, "fs-spool");
            },
        });
        // What an operator writes: where the database is, nothing about timeouts.
        var connectionString = $"Host=127.0.0.1;Port={proxy.Port};Username=postgres;Database=callcontrol";
        await using var app = ServiceApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:" + DataServiceCollectionExtensions.ConnectionStringName] = connectionString,
                ["FreeSwitch:CallbackUser"] = "fs",
                ["FreeSwitch:CallbackSecret"] = "partition-secret",
                ["FreeSwitch:Nodes:0:Name"] = "partition1",
                ["FreeSwitch:Nodes:0:Host"] = "127.0.0.1",
                ["FreeSwitch:Nodes:0:Port"] = sim.EslPort.ToString(CultureInfo.InvariantCulture),
                ["FreeSwitch:Nodes:0:Password"] = "ClueCon",
                ["Auth:SigningKey"] = "partition-test-signing-key-0123456789-abcdef",
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
        simOptions.JsonCdrPassword = "partition-secret";
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var journal = app.Services.GetRequiredService<CdrJournal>();
        await ServiceHostWait.UntilAsync(() => ReadyAsync(http), s => s.Status == HttpStatusCode.OK, "ready before the partition");

        var users = app.Services.GetRequiredService<UserStore>();
        await users.AddAsync(new UserRecord { Id = "partition-caller", DisplayName = "Caller" });
        await users.AddAsync(new UserRecord { Id = "partition-callee", DisplayName = "Callee" });
        var legs = Enumerable.Range(0, Legs).Select(i => sim.Switch.PlaceSipCall($"+1555124{i:D4}", "Partition", $"room-partition{i}")).ToList();
        await ServiceHostWait.UntilAsync(() => legs.All(l => sim.Switch.Channel(l) is not null), "the legs parked");

        proxy.GoDark();
        var dark = Stopwatch.StartNew();
        var probes = new List<(HttpStatusCode Status, TimeSpan Took)> { await ReadyAsync(http) };
        while (probes[^1].Status != HttpStatusCode.ServiceUnavailable && dark.Elapsed < Generous)
        {
            probes.Add(await ReadyAsync(http));
        }

        output.WriteLine($"not ready after {dark.Elapsed.TotalSeconds:F1} s; probes took {string.Join(", ", probes.Select(p => $"{p.Took.TotalSeconds:F1} s"))}");

        // An app asks for a room meanwhile: a clear 503 to retry, soon enough for a client to still be waiting.
        var roomRequest = Stopwatch.StartNew();
        using var room = new HttpRequestMessage(HttpMethod.Post, "/api/rooms") { Content = JsonContent.Create(new { callee = "partition-callee" }) };
        room.Headers.Authorization = new AuthenticationHeaderValue("Bearer", app.Services.GetRequiredService<TokenService>().Mint("partition-caller", null, TimeSpan.FromHours(1)));
        using var roomAnswer = await http.SendAsync(room);
        var roomTook = roomRequest.Elapsed;
        var roomProblem = await roomAnswer.Content.ReadFromJsonAsync<JsonElement>();
        output.WriteLine($"a room request in the partition: {(int)roomAnswer.StatusCode} after {roomTook.TotalSeconds:F1} s");

        var hangups = Stopwatch.StartNew();
        foreach (var leg in legs)
        {
            sim.Switch.Hangup(leg);
        }

        await ServiceHostWait.UntilAsync(() => journal.Pending >= 2 * Legs, "every leg's event and POST journaled", Generous);
        var journaledAfter = hangups.Elapsed;
        await sim.Switch.WhenCdrsSettledAsync();
        var lastProbe = await ReadyAsync(http);
        probes.Add(lastProbe);
        output.WriteLine($"journaled {journal.Pending} writes {journaledAfter.TotalSeconds:F1} s after the hangups; a probe in the partition answered {lastProbe.Status} in {lastProbe.Took.TotalSeconds:F1} s");

        proxy.Heal();
        var healed = Stopwatch.StartNew();
        await ServiceHostWait.UntilAsync(() => journal.Pending == 0, "the journal replayed", Generous);
        await ServiceHostWait.UntilAsync(() => ReadyAsync(http), s => s.Status == HttpStatusCode.OK, "ready again", Generous);
        output.WriteLine($"replayed and ready {healed.Elapsed.TotalSeconds:F1} s after the network came back");

        var rows = await LegRowsAsync(pg.ConnectionString, legs);
        // Every probe answered within the probe's deadline (and some slack for a loaded machine): before the bound,
        // a probe in a partition took 33-45 s, or never answered.
        Assert.All(probes, p => Assert.InRange(p.Took, TimeSpan.Zero, DatabaseProbe.Deadline + TimeSpan.FromSeconds(4)));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lastProbe.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, roomAnswer.StatusCode);
        Assert.NotNull(roomAnswer.Headers.RetryAfter);
        Assert.Equal("Database unavailable", roomProblem.GetProperty("title").GetString());
        Assert.InRange(roomTook, TimeSpan.Zero, TimeSpan.FromSeconds(20)); // 28-43 s with Npgsql's 15 s connect timeout
        Assert.Equal(0, await CountAsync(pg.ConnectionString, "SELECT count(*) FROM rooms")); // nothing half-made
        // The CDRs were taken well inside FreeSWITCH's 5 s POST timeout: the writer's deadline, then the journal.
        Assert.InRange(journaledAfter, TimeSpan.Zero, TimeSpan.FromSeconds(15));
        Assert.Equal(legs.Select(Guid.Parse).Order(), rows.Select(r => r.Leg).Order());
        Assert.All(rows, r => Assert.Equal("both", r.Source));
        Assert.All(rows, r => Assert.True(r.HasJsonCdr));
        // FreeSWITCH never had to spool: every POST was answered 200 (durable in the journal).
        Assert.False(Directory.Exists(simOptions.JsonCdrSpoolDir) && Directory.EnumerateFiles(simOptions.JsonCdrSpoolDir).Any());
        await app.StopAsync();
        scratch.Delete(recursive: true);
    }

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(HttpStatusCode Status, TimeSpan Took)> ReadyAsync(HttpClient http)
    {
        var took = Stopwatch.StartNew();
        using var response = await http.GetAsync("/health/ready");
        return (response.StatusCode, took.Elapsed);
    }

    private static async Task<List<(Guid Leg, string Source, bool HasJsonCdr)>> LegRowsAsync(string connectionString, IReadOnlyList<string> legs)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT leg_uuid, source, json_cdr IS NOT NULL FROM call_legs WHERE leg_uuid = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(Guid.Parse).ToArray() });
        var rows = new List<(Guid, string, bool)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetGuid(0), reader.GetString(1), reader.GetBoolean(2)));
        }

        return rows;
    }
}
