using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using CallControl.Auth;
using CallControl.Calls.Router;
using CallControl.Data;
using CallControl.Hosting;
using CallControl.Tests.Support;
using FreeSwitchSim;
using FreeSwitchSim.Core;
using FreeSwitchSim.Switch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CallControl.Tests.Scenarios;

/// <summary>
/// The whole product in-process: one simulated FreeSWITCH node (ESL on 127.0.0.1:0) and the real service pipeline
/// (<see cref="ServiceApp"/>) on Kestrel 127.0.0.1:0 against the real test PostgreSQL. The simulator logs verto users
/// in through the service's <c>/fs/directory</c> and posts its CDRs to <c>/fs/cdr</c>, as FreeSWITCH would. The ring
/// timers run on <see cref="RingClock"/>, a fake clock, so a 30 s ring timeout takes no wall time.
/// (Built here rather than with Support/ServiceHost because the rooms need a verto URL, a signing key and the fake
/// ring clock, which that host does not take.)
/// </summary>
public sealed class RoomWorld : IAsyncLifetime
{
    public const string CallbackUser = "fs";
    public const string CallbackSecret = "rooms-callback-secret";
    public const string SigningKey = "rooms-scenario-signing-key-0123456789abcdef";
    private const string Node = "sim1";
    private readonly IReadOnlyDictionary<string, string?> _extraSettings;
    private WebApplication? _app;
    private SimSwitchOptions? _simOptions;

    public RoomWorld()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>A world whose service also gets <paramref name="extraSettings"/> (e.g. <c>Webhooks:*</c>), for a fixture that wraps it.</summary>
    internal RoomWorld(IReadOnlyDictionary<string, string?> extraSettings) => _extraSettings = extraSettings;

    public SimulatorHost Sim { get; private set; } = null!;

    /// <summary>The recordings folder, shared by the simulated node (it writes WAVs there) and the service (the archive
    /// job reads them): FreeSwitch:Nodes:0:RecordingsPath and Recording:Folder.</summary>
    public string RecordingsFolder { get; } = Path.Combine(Path.GetTempPath(), "callcontrol-tests", "recordings-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>The filesystem archive store's folder (Recording:Archive:Path).</summary>
    public string ArchiveFolder { get; } = Path.Combine(Path.GetTempPath(), "callcontrol-tests", "archive-" + Guid.NewGuid().ToString("N")[..10]);

    public FakeTimeProvider RingClock { get; } = new(DateTimeOffset.UtcNow);

    public HttpClient Http { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public NpgsqlDataSource Database => Services.GetRequiredService<NpgsqlDataSource>();

    /// <summary>Every event the simulator fired, in order (for "the caller's leg got early media", "nothing was originated").</summary>
    public ConcurrentQueue<SimEvent> Events { get; } = new();

    public async Task InitializeAsync()
    {
        await ServiceHostDatabase.MigrateOnceAsync();
        Directory.CreateDirectory(RecordingsFolder);
        Directory.CreateDirectory(ArchiveFolder);
        Sim = await SimulatorHost.StartAsync(new SimulatorHostOptions
        {
            ConfigureSwitch = o =>
            {
                _simOptions = o;
                o.RecordingsDir = RecordingsFolder;
            },
            ControlPort = 0,
        });
        Sim.Switch.EventFired += e => Events.Enqueue(e);
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:" + DataServiceCollectionExtensions.ConnectionStringName] = ServiceHostDatabase.ConnectionString,
            ["FreeSwitch:CallbackUser"] = CallbackUser,
            ["FreeSwitch:CallbackSecret"] = CallbackSecret,
            ["FreeSwitch:Nodes:0:Name"] = Node,
            ["FreeSwitch:Nodes:0:Host"] = "127.0.0.1",
            ["FreeSwitch:Nodes:0:Port"] = Sim.EslPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FreeSwitch:Nodes:0:Password"] = "ClueCon",
            ["FreeSwitch:Nodes:0:VertoUrl"] = "ws://127.0.0.1:8081",
            ["FreeSwitch:Nodes:0:RecordingsPath"] = RecordingsFolder,
            ["Recording:Folder"] = RecordingsFolder,
            ["Recording:Archive:Path"] = ArchiveFolder,
            ["Auth:SigningKey"] = SigningKey,
            ["Rooms:PstnRingTimeout"] = "00:00:02",
            ["Dialing:MaxConcurrentPstnCalls"] = "1000",
            ["Dialing:MaxPstnCallsPerDay"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Jobs:Schema"] = JobsSchema.Unique(),
            ["Jobs:PollInterval"] = "00:00:00.200",
            // Node leases are advisory locks in the shared test database: this world competes with nobody.
            ["Cluster:LeaseNamespace"] = "room-world-" + Guid.NewGuid().ToString("N"),
        };
        foreach (var (key, value) in _extraSettings)
        {
            config[key] = value;
        }

        _app = ServiceApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.AddProvider(new TestLogFile("room-" + Guid.NewGuid().ToString("N")[..6]));
            builder.Services.AddKeyedSingleton<TimeProvider>(CallRouter.TimerClockKey, RingClock);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        });
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        // FreeSWITCH's mod_xml_curl and mod_json_cdr point at the service, with the shared secret.
        _simOptions!.XmlCurlDirectoryUrl = new Uri(BaseAddress, DirectoryApi.Path);
        _simOptions.XmlCurlUser = CallbackUser;
        _simOptions.XmlCurlPassword = CallbackSecret;
        _simOptions.JsonCdrUrl = new Uri(BaseAddress, "/fs/cdr");
        _simOptions.JsonCdrUser = CallbackUser;
        _simOptions.JsonCdrPassword = CallbackSecret;

        await ServiceHostWait.UntilAsync(
            () => Services.GetRequiredService<CallControl.Switch.NodePool>().AnyConnected, "the service to connect to the simulator");
    }

    /// <summary>A new user (unique id) with an optional phone number.</summary>
    public async Task<string> AddUserAsync(string name, string? phone = null, bool fallbackAllowed = true)
    {
        var id = name + "-" + Guid.NewGuid().ToString("N")[..10];
        await Services.GetRequiredService<UserStore>().AddAsync(new UserRecord
        {
            Id = id, DisplayName = name, PhoneNumber = phone, PstnFallbackAllowed = fallbackAllowed,
        });
        return id;
    }

    /// <summary>A client acting as <paramref name="userId"/> with a valid bearer token.</summary>
    public HttpClient ClientFor(string userId)
    {
        var token = Services.GetRequiredService<TokenService>().Mint(userId, null, TimeSpan.FromHours(1));
        return ClientWithToken(token);
    }

    public HttpClient ClientWithToken(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public string TokenFor(string userId) => Services.GetRequiredService<TokenService>().Mint(userId, null, TimeSpan.FromHours(1));

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (Sim is not null)
        {
            await Sim.DisposeAsync();
        }

        foreach (var folder in new[] { RecordingsFolder, ArchiveFolder })
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
