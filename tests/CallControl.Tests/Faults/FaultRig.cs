using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallControl.Cdr.Journal;
using CallControl.Data;
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

namespace CallControl.Tests.Faults;

/// <summary>
/// What the database fault tests share: a simulated node whose mod_json_cdr posts to the service and spools into a
/// scratch folder, and the service on a given connection string with its CDR journal in that folder.
/// </summary>
internal sealed class FaultRig : IAsyncDisposable
{
    private const string CallbackSecret = "fault-secret";

    private FaultRig(DirectoryInfo scratch, SimulatorHost sim, FreeSwitchSim.Switch.SimSwitchOptions simOptions, WebApplication app, HttpClient http)
    {
        Scratch = scratch;
        Sim = sim;
        SimOptions = simOptions;
        App = app;
        Http = http;
    }

    public DirectoryInfo Scratch { get; }

    public SimulatorHost Sim { get; }

    public FreeSwitchSim.Switch.SimSwitchOptions SimOptions { get; }

    public WebApplication App { get; }

    /// <summary>A client of the service's HTTP API.</summary>
    public HttpClient Http { get; }

    public CdrJournal Journal => App.Services.GetRequiredService<CdrJournal>();

    /// <summary>Whether FreeSWITCH had to spool a CDR the service did not take.</summary>
    public bool FreeSwitchSpooled => Directory.Exists(SimOptions.JsonCdrSpoolDir) && Directory.EnumerateFiles(SimOptions.JsonCdrSpoolDir).Any();

    /// <summary>Starts the node and the service; <paramref name="settings"/> adds to or overrides the service's configuration.</summary>
    public static async Task<FaultRig> StartAsync(string connectionString, string name, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var scratch = Directory.CreateTempSubdirectory($"callcontrol-{name}-");
        FreeSwitchSim.Switch.SimSwitchOptions? simOptions = null;
        var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions
        {
            ConfigureSwitch = o =>
            {
                simOptions = o;
                o.JsonCdrSpoolDir = Path.Combine(scratch.FullName, "fs-spool");
            },
        });
        var app = ServiceApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:" + DataServiceCollectionExtensions.ConnectionStringName] = connectionString,
                ["FreeSwitch:CallbackUser"] = "fs",
                ["FreeSwitch:CallbackSecret"] = CallbackSecret,
                ["FreeSwitch:Nodes:0:Name"] = name + "1",
                ["FreeSwitch:Nodes:0:Host"] = "127.0.0.1",
                ["FreeSwitch:Nodes:0:Port"] = sim.EslPort.ToString(CultureInfo.InvariantCulture),
                ["FreeSwitch:Nodes:0:Password"] = "ClueCon",
                ["Auth:SigningKey"] = $"{name}-test-signing-key-0123456789-abcdef",
                ["Cdr:JournalPath"] = Path.Combine(scratch.FullName, "cdr.journal"),
                ["Cdr:JournalReplayInterval"] = "00:00:00.250",
                ["Jobs:Schema"] = JobsSchema.Unique(),
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Hangfire"] = "None",
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            // The host's default. Stopping takes well under a second here alone, but a fresh-clone CI run (other test
            // projects and Chromium busy beside it) ran out of 5 s stopping after a partition (in Hangfire's server).
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        });
        await app.StartAsync();
        var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        simOptions!.XmlCurlDirectoryUrl = new Uri(baseAddress, CallControl.Auth.DirectoryApi.Path);
        simOptions.XmlCurlUser = "fs";
        simOptions.XmlCurlPassword = CallbackSecret;
        simOptions.JsonCdrUrl = new Uri(baseAddress, "/fs/cdr");
        simOptions.JsonCdrUser = "fs";
        simOptions.JsonCdrPassword = CallbackSecret;
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        return new FaultRig(scratch, sim, simOptions, app, http);
    }

    /// <summary>A client of the service's HTTP API signed in as <paramref name="userId"/>.</summary>
    public HttpClient ClientFor(string userId)
    {
        var client = new HttpClient { BaseAddress = Http.BaseAddress, Timeout = Http.Timeout };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", App.Services.GetRequiredService<CallControl.Auth.TokenService>().Mint(userId, null, TimeSpan.FromHours(1)));
        return client;
    }

    /// <summary>A new user asks for a room calling <paramref name="number"/> and its verto client enters it.</summary>
    public async Task<(CallControl.Rooms.RoomAccess Room, string CallerLeg)> CallCarrierAsync(string userId, string number)
    {
        await App.Services.GetRequiredService<UserStore>().AddAsync(new UserRecord { Id = userId, DisplayName = "Caller" });
        using var client = ClientFor(userId);
        using var created = await client.PostAsJsonAsync("/api/rooms", new { calleeNumber = number });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var room = (await created.Content.ReadFromJsonAsync<CallControl.Rooms.RoomAccess>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
        return (room, await EnterAsync(room));
    }

    /// <summary>
    /// The callee's app connects to signaling, then <paramref name="callerId"/> asks for a room calling
    /// <paramref name="calleeId"/> (both already users) and its verto client enters it. The caller's leg, and the
    /// callee's app (dispose it).
    /// </summary>
    public async Task<(CallControl.Rooms.RoomAccess Room, string CallerLeg, CallControl.Tests.Scenarios.SignalClient CalleeApp)> CallAppAsync(
        string callerId, string calleeId)
    {
        var tokens = App.Services.GetRequiredService<CallControl.Auth.TokenService>();
        var calleeApp = await CallControl.Tests.Scenarios.SignalClient.ConnectAsync(
            Http.BaseAddress!, App.Services, calleeId, tokens.Mint(calleeId, null, TimeSpan.FromHours(1)));
        using var caller = ClientFor(callerId);
        using var created = await caller.PostAsJsonAsync("/api/rooms", new { callee = calleeId });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var room = (await created.Content.ReadFromJsonAsync<CallControl.Rooms.RoomAccess>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
        return (room, await EnterAsync(room), calleeApp);
    }

    /// <summary>The party's verto client logs in with the room's one-time login and calls the room; its leg.</summary>
    public async Task<string> EnterAsync(CallControl.Rooms.RoomAccess access)
    {
        Assert.True(await Sim.Switch.LoginAsync(access.Verto.Login, access.Verto.Password, CancellationToken.None));
        return Sim.Switch.PlaceCall(access.Verto.Login, access.Verto.Destination);
    }

    /// <summary>Runs <paramref name="sql"/> on the database directly (what a test injects), its scalar result.</summary>
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// Makes PostgreSQL refuse the first UPDATE of <paramref name="table"/> whose row matches <paramref name="when"/>
    /// (a condition on <c>NEW</c> and <c>OLD</c>) with a serialization failure (40001, transient), and let every later
    /// one through. The sequence <c>refusals</c> counts the matching updates tried (a sequence is not rolled back with
    /// the failed statement), so <c>SELECT last_value FROM refusals</c> tells how many there were.
    /// </summary>
    public static Task RefuseFirstUpdateAsync(string connectionString, string table, string when) => ScalarAsync(connectionString, $"""
        CREATE SEQUENCE refusals;
        CREATE FUNCTION refuse_first() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF ({when}) AND nextval('refusals') = 1 THEN
                RAISE EXCEPTION 'injected: could not serialize access' USING ERRCODE = '40001';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_first BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_first();
        """);

    public async Task<HttpStatusCode> ReadyAsync()
    {
        using var response = await Http.GetAsync("/health/ready");
        return response.StatusCode;
    }

    /// <summary>The legs' rows in the order they were created.</summary>
    public static async Task<List<LegRow>> LegRowsAsync(string connectionString, IReadOnlyList<string> legs)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("""
            SELECT leg_uuid, source, json_cdr IS NOT NULL, hangup_cause
            FROM call_legs
            WHERE leg_uuid = ANY($1)
            ORDER BY created_at, leg_uuid
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(Guid.Parse).ToArray() });
        var rows = new List<LegRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new LegRow(reader.GetGuid(0), reader.GetString(1), reader.GetBoolean(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Sim.DisposeAsync();
        Scratch.Delete(recursive: true);
    }
}

/// <summary>A stored leg, as the fault tests check it.</summary>
internal sealed record LegRow(Guid Leg, string Source, bool HasJsonCdr, string? HangupCause);
