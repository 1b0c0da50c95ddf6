using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using CallControl.Data;
using CallControl.Hosting;
using CallControl.Switch;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallControl.Tests.Support;

/// <summary>
/// The real service pipeline (<see cref="ServiceApp"/>) in-process on Kestrel 127.0.0.1:0, against the real test
/// PostgreSQL (<see cref="ServiceHostDatabase"/>) and whatever FreeSWITCH nodes (simulators) the test names.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    public const string CallbackUser = "fs";
    public const string CallbackSecret = "cdrsecret";

    private readonly WebApplication _app;

    private ServiceHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    /// <summary>mod_json_cdr's target on this host.</summary>
    public Uri CdrUrl => new(BaseAddress, "/fs/cdr");

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public NodePool Nodes => Services.GetRequiredService<NodePool>();

    public LegStore Legs => Services.GetRequiredService<LegStore>();

    public NpgsqlDataSource Database => Services.GetRequiredService<NpgsqlDataSource>();

    /// <summary>Starts the service with these nodes (name → ESL port on 127.0.0.1, password ClueCon).</summary>
    public static async Task<ServiceHost> StartAsync(IReadOnlyDictionary<string, int>? nodes = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        await ServiceHostDatabase.MigrateOnceAsync();
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:" + DataServiceCollectionExtensions.ConnectionStringName] = ServiceHostDatabase.ConnectionString,
            ["FreeSwitch:CallbackUser"] = CallbackUser,
            ["FreeSwitch:CallbackSecret"] = CallbackSecret,
            ["Auth:SigningKey"] = "service-host-test-signing-key-0123456789-abcdef",
            ["Logging:LogLevel:Default"] = "Warning",
            // Each in-process host gets its own Hangfire schema, so hosts running in parallel never run each other's jobs.
            ["Jobs:Schema"] = JobsSchema.Unique(),
            ["Jobs:PollInterval"] = "00:00:00.200",
            // Node leases are advisory locks in the shared test database: each host competes only with its own peers.
            ["Cluster:LeaseNamespace"] = "test-" + Guid.NewGuid().ToString("N"),
        };
        var i = 0;
        foreach (var (name, port) in nodes ?? new Dictionary<string, int>())
        {
            config[$"FreeSwitch:Nodes:{i}:Name"] = name;
            config[$"FreeSwitch:Nodes:{i}:Host"] = "127.0.0.1";
            config[$"FreeSwitch:Nodes:{i}:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            config[$"FreeSwitch:Nodes:{i}:Password"] = "ClueCon";
            i++;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var app = ServiceApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.AddProvider(new TestLogFile("host-" + Guid.NewGuid().ToString("N")[..6]));
        });
        // A start that cannot finish (a failing dependency) fails the test instead of hanging the run.
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            await app.StartAsync(timeout.Token);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServiceHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
