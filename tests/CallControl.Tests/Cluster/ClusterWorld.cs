using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using CallControl.Auth;
using CallControl.Calls.Router;
using CallControl.Data;
using CallControl.Hosting;
using CallControl.Rooms;
using CallControl.Switch;
using CallControl.Tests.Support;
using FreeSwitchSim;
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

namespace CallControl.Tests.Cluster;

/// <summary>
/// Several simulated FreeSWITCH nodes and several service instances in-process, all against the real test PostgreSQL,
/// sharing one lease namespace of their own (so they compete only with each other). Every instance is configured with
/// every node, as operators deploy it. The simulators' mod_xml_curl and mod_json_cdr point at one live instance (a load
/// balancer in front of the instances would do the same); <see cref="PointNodesAt"/> moves them when it dies. Each
/// instance's ring timers run on its own fake clock.
/// </summary>
public sealed class ClusterWorld : IAsyncDisposable
{
    public const string CallbackUser = "fs";
    public const string CallbackSecret = "cluster-callback-secret";
    public const string SigningKey = "cluster-scenario-signing-key-0123456789abcdef";

    private readonly List<SimSwitchOptions> _simOptions = [];
    private readonly string _namespace = "cluster-" + Guid.NewGuid().ToString("N");
    private readonly string _jobsSchema = JobsSchema.Unique();
    private readonly string _spool = Path.Combine(Path.GetTempPath(), "callcontrol-cluster-spool-" + Guid.NewGuid().ToString("N"));

    public List<SimulatorHost> Nodes { get; } = [];

    public List<string> NodeNames { get; } = [];

    public List<ServiceInstance> Instances { get; } = [];

    /// <summary>The verto URL the service hands out for node <paramref name="i"/>.</summary>
    public static string VertoUrl(int i) => $"ws://127.0.0.1:{18081 + i}/";

    public SimSwitchOptions NodeOptions(int i) => _simOptions[i];

    /// <summary>Starts <paramref name="nodes"/> simulators (HEARTBEAT every 100 ms so load figures move quickly).</summary>
    public static async Task<ClusterWorld> StartAsync(int nodes, int instances, IReadOnlyDictionary<string, string?>? settings = null)
    {
        await ServiceHostDatabase.MigrateOnceAsync();
        var world = new ClusterWorld();
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                var name = $"node-{(char)('a' + i)}-{Guid.NewGuid().ToString("N")[..6]}";
                var spool = Path.Combine(world._spool, name);
                SimSwitchOptions? options = null;
                var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions
                {
                    Hostname = name,
                    ConfigureSwitch = o =>
                    {
                        o.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
                        o.JsonCdrSpoolDir = spool;
                        options = o;
                    },
                });
                world.Nodes.Add(sim);
                world.NodeNames.Add(name);
                world._simOptions.Add(options!);
            }

            for (var i = 0; i < instances; i++)
            {
                world.Instances.Add(await world.StartInstanceAsync($"instance-{i}", settings));
            }

            world.PointNodesAt(world.Instances[0]);
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    /// <summary>FreeSWITCH's callbacks (verto directory, json_cdr) go to <paramref name="instance"/> from now on.</summary>
    public void PointNodesAt(ServiceInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        foreach (var o in _simOptions)
        {
            o.XmlCurlDirectoryUrl = new Uri(instance.BaseAddress, DirectoryApi.Path);
            o.XmlCurlUser = CallbackUser;
            o.XmlCurlPassword = CallbackSecret;
            o.JsonCdrUrl = new Uri(instance.BaseAddress, "/fs/cdr");
            o.JsonCdrUser = CallbackUser;
            o.JsonCdrPassword = CallbackSecret;
        }
    }

    /// <summary>The simulator a room was placed on (by the verto URL the room answer carries).</summary>
    public SimulatorHost NodeOf(RoomAccess access)
    {
        ArgumentNullException.ThrowIfNull(access);
        var i = Enumerable.Range(0, Nodes.Count).Single(i => VertoUrl(i) == access.Verto.Url);
        return Nodes[i];
    }

    /// <summary>The party's verto client logs in on the room's node and calls the room; returns its leg's UUID.</summary>
    public async Task<string> EnterRoomAsync(RoomAccess access)
    {
        ArgumentNullException.ThrowIfNull(access);
        var node = NodeOf(access);
        Assert.True(await node.Switch.LoginAsync(access.Verto.Login, access.Verto.Password, CancellationToken.None), "verto login");
        return node.Switch.PlaceCall(access.Verto.Login, access.Verto.Destination);
    }

    public async Task<ServiceInstance> StartInstanceAsync(string instanceId, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:" + DataServiceCollectionExtensions.ConnectionStringName] = ServiceHostDatabase.ConnectionString,
            ["FreeSwitch:CallbackUser"] = CallbackUser,
            ["FreeSwitch:CallbackSecret"] = CallbackSecret,
            ["Auth:SigningKey"] = SigningKey,
            ["Cluster:InstanceId"] = instanceId,
            ["Cluster:LeaseNamespace"] = _namespace,
            ["Cluster:LeasePollInterval"] = "00:00:00.200",
            // The instances share one Hangfire queue, as a deployment's instances do.
            ["Jobs:Schema"] = _jobsSchema,
            ["Jobs:PollInterval"] = "00:00:00.200",
            ["Rooms:PstnRingTimeout"] = "00:00:02",
            ["Dialing:MaxConcurrentPstnCalls"] = "1000",
            ["Dialing:MaxPstnCallsPerDay"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
            // The signal bus: heartbeats several times a second, a peer dead after 3 s of silence (a loaded 2-core
            // machine must not lose a live peer to one slow heartbeat).
            ["Signaling:HeartbeatInterval"] = "00:00:00.250",
            ["Signaling:PeerTimeout"] = "00:00:03",
        };
        for (var i = 0; i < Nodes.Count; i++)
        {
            config[$"FreeSwitch:Nodes:{i}:Name"] = NodeNames[i];
            config[$"FreeSwitch:Nodes:{i}:Host"] = "127.0.0.1";
            config[$"FreeSwitch:Nodes:{i}:Port"] = Nodes[i].EslPort.ToString(CultureInfo.InvariantCulture);
            config[$"FreeSwitch:Nodes:{i}:Password"] = "ClueCon";
            config[$"FreeSwitch:Nodes:{i}:VertoUrl"] = VertoUrl(i);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var ringClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = ServiceApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.AddProvider(new TestLogFile("cluster-" + Guid.NewGuid().ToString("N")[..6]));
            builder.Services.AddKeyedSingleton<TimeProvider>(CallRouter.TimerClockKey, ringClock);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var instance = new ServiceInstance(instanceId, app, address, ringClock);
        await ServiceHostWait.UntilAsync(() => instance.Nodes.States.All(s => s.Connected), $"{instanceId} to connect to every node");
        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Instances)
        {
            await instance.DisposeAsync();
        }

        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        if (Directory.Exists(_spool))
        {
            Directory.Delete(_spool, recursive: true);
        }
    }
}

/// <summary>One service instance of a <see cref="ClusterWorld"/>.</summary>
public sealed class ServiceInstance(string id, WebApplication app, Uri baseAddress, FakeTimeProvider ringClock) : IAsyncDisposable
{
    private bool _stopped;

    public string Id { get; } = id;

    public Uri BaseAddress { get; } = baseAddress;

    public FakeTimeProvider RingClock { get; } = ringClock;

    public IServiceProvider Services => app.Services;

    public NodePool Nodes => Services.GetRequiredService<NodePool>();

    public CallRouter Router => Services.GetRequiredService<CallRouter>();

    /// <summary>The instance's signal bus: who it sees online across the cluster.</summary>
    public SignalBus Bus => Services.GetRequiredService<SignalBus>();

    public bool Steers(string node) => Nodes.IsSteering(node);

    /// <summary>A new user (unique id) with an optional phone number, optionally an admin.</summary>
    public async Task<string> AddUserAsync(string name, string? phone = null, bool admin = false)
    {
        var userId = name + "-" + Guid.NewGuid().ToString("N")[..10];
        await Services.GetRequiredService<UserStore>().AddAsync(new UserRecord
        {
            Id = userId, DisplayName = name, PhoneNumber = phone, IsAdmin = admin,
        });
        return userId;
    }

    public HttpClient ClientFor(string userId, string? role = null)
    {
        var token = Services.GetRequiredService<TokenService>().Mint(userId, role, TimeSpan.FromHours(1));
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Stops the instance (its lease connection closes with it, as when the process dies).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
