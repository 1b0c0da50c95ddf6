using System.Globalization;
using System.Net;
using CallControl.Data;
using CallControl.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallControl.Bench.Load;

/// <summary>
/// A fresh database (callcontrol_load_&lt;random&gt;, migrated), one simulated node (a child process by default, or in
/// this process) and the service (ServiceApp.Build) on Kestrel on loopback, wired as FreeSWITCH would be (xml_curl
/// directory, json_cdr).
/// </summary>
internal sealed class LoadWorld : IAsyncDisposable
{
    private const string CallbackUser = "fs";
    private const string CallbackSecret = "load-callback-secret";
    private readonly NpgsqlConnectionStringBuilder _server;
    private readonly string _database = "callcontrol_load_" + Guid.NewGuid().ToString("N")[..12];
    private WebApplication? _app;
    private bool _created;

    private readonly int? _pool;

    /// <summary><paramref name="pool"/>: the service's Npgsql pool size (Maximum Pool Size); null for its default.</summary>
    public LoadWorld(string serverConnectionString, int? pool)
    {
        _server = new NpgsqlConnectionStringBuilder(serverConnectionString);
        _pool = pool;
    }

    public ISimNode Sim { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public string DatabaseName => _database;

    /// <summary>Creates the database, starts the simulator (in this process, or as a child process when
    /// <paramref name="simProcess"/>) and the service, and waits until the service steers the node.</summary>
    public async Task StartAsync(BridgeClock clock, bool simProcess, string artifacts)
    {
        await AdminAsync($"CREATE DATABASE {_database}").ConfigureAwait(false);
        _created = true;
        var builder = new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = _database };
        if (_pool is { } pool)
        {
            builder.MaxPoolSize = pool;
        }

        var connectionString = builder.ConnectionString;
        await using (var migrate = NpgsqlDataSource.Create(connectionString))
        {
            await new DatabaseMigrator(migrate, NullLogger<DatabaseMigrator>.Instance).MigrateAsync().ConfigureAwait(false);
        }

        // A child simulator needs the service's address for its callbacks before either runs: the port is chosen first.
        var servicePort = simProcess ? ProcessSim.FreePort() : 0;
        InProcessSim? inProcess = null;
        if (simProcess)
        {
            Sim = await ProcessSim.StartAsync(clock, new Uri($"http://127.0.0.1:{servicePort}/"), CallbackUser, CallbackSecret,
                Path.Combine(artifacts, "simulator.log")).ConfigureAwait(false);
        }
        else
        {
            Sim = inProcess = await InProcessSim.StartAsync(clock).ConfigureAwait(false);
        }

        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:" + DataServiceCollectionExtensions.ConnectionStringName] = connectionString,
            ["FreeSwitch:CallbackUser"] = CallbackUser,
            ["FreeSwitch:CallbackSecret"] = CallbackSecret,
            ["FreeSwitch:Nodes:0:Name"] = "sim1",
            ["FreeSwitch:Nodes:0:Host"] = "127.0.0.1",
            ["FreeSwitch:Nodes:0:Port"] = Sim.EslPort.ToString(CultureInfo.InvariantCulture),
            ["FreeSwitch:Nodes:0:Password"] = "ClueCon",
            ["FreeSwitch:Nodes:0:VertoUrl"] = "ws://127.0.0.1:8081",
            ["Auth:SigningKey"] = "load-bench-signing-key-0123456789abcdef0123",
            ["Dialing:MaxConcurrentPstnCalls"] = "100000",
            ["Dialing:MaxPstnCallsPerDay"] = "10000000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Jobs:Schema"] = "hangfire_load",
            // The router keeps an ended call for a grace (1 minute by default), then forgets it. 20 s here, so that
            // forgetting is part of the measured steady state even after a short warm-up (Rooms__EndedCallGrace in
            // the environment sets another).
            ["Rooms:EndedCallGrace"] = Environment.GetEnvironmentVariable("Rooms__EndedCallGrace") ?? "00:00:20",
        };
        _app = ServiceApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, servicePort));
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        });
        await _app.StartAsync().ConfigureAwait(false);
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        inProcess?.PointAt(BaseAddress, CallbackUser, CallbackSecret);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!Services.GetRequiredService<CallControl.Switch.NodePool>().AnyConnected)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the service did not connect to the simulator");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_app is not null)
            {
                try
                {
                    await _app.StopAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The shutdown timeout ran out (Hangfire's server waits for its workers): the figures are printed
                    // already; what matters now is that the database goes.
                }

                await _app.DisposeAsync().ConfigureAwait(false);
            }

            if (Sim is not null)
            {
                await Sim.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (_created)
            {
                NpgsqlConnection.ClearAllPools();
                await AdminAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)").ConfigureAwait(false);
            }
        }
    }

    /// <summary>CREATE/DROP DATABASE take no parameters; the name is generated above from a GUID.</summary>
    private async Task AdminAsync(string sql)
    {
        var admin = new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
