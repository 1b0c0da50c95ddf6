using System.Globalization;
using System.Net;
using CallControl.Auth;
using CallControl.Data;
using CallControl.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CallControl.BrowserTests.Support;

/// <summary>
/// The real service (<see cref="ServiceApp"/>: admin API, console, auth) in-process on Kestrel 127.0.0.1:0, against
/// a fresh PostgreSQL database made for this run on the server <c>CALLCONTROL_TEST_DB</c> names (default the local
/// cluster) and dropped at the end. The service migrates it at start. No FreeSWITCH node: the console only reads.
/// </summary>
public sealed class ConsoleHost : IAsyncDisposable
{
    public const string DefaultServer = "Host=127.0.0.1;Port=55432;Username=postgres;Database=callcontrol";

    private readonly WebApplication _app;
    private readonly string _serverConnectionString;
    private readonly string _databaseName;
    private readonly string _folder;

    private ConsoleHost(WebApplication app, Uri baseAddress, string serverConnectionString, string databaseName, NpgsqlDataSource database, string folder)
    {
        _app = app;
        _folder = folder;
        BaseAddress = baseAddress;
        _serverConnectionString = serverConnectionString;
        _databaseName = databaseName;
        Database = database;
    }

    public Uri BaseAddress { get; }

    /// <summary>The run's database (for seeding).</summary>
    public NpgsqlDataSource Database { get; }

    public static async Task<ConsoleHost> StartAsync()
    {
        var server = Environment.GetEnvironmentVariable("CALLCONTROL_TEST_DB") ?? DefaultServer;
        var name = "callcontrol_browser_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(AdminConnectionString(server)))
        {
            // An unreachable server throws here and fails every test with the reason; nothing skips.
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        // The recording download resolves the archive store, which needs its folders (empty here: nothing is archived).
        var folder = Directory.CreateTempSubdirectory("callcontrol-browser-").FullName;
        var app = ServiceApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:" + DataServiceCollectionExtensions.ConnectionStringName] = connectionString,
                ["FreeSwitch:CallbackUser"] = "fs",
                ["FreeSwitch:CallbackSecret"] = "browser-test-callback-secret",
                ["Auth:SigningKey"] = "browser-test-signing-key-0123456789-abcdefghij",
                ["Logging:LogLevel:Default"] = "Warning",
                // The console only reads: no job workers needed (the job storage is still installed).
                ["Jobs:Enabled"] = "false",
                ["Recording:Folder"] = Directory.CreateDirectory(System.IO.Path.Combine(folder, "recordings")).FullName,
                ["Recording:Archive:Path"] = Directory.CreateDirectory(System.IO.Path.Combine(folder, "archive")).FullName,
            });
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        });
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await app.StartAsync(timeout.Token);
        }
        catch
        {
            await app.DisposeAsync();
            await DropAsync(server, name);
            Directory.Delete(folder, recursive: true);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ConsoleHost(app, new Uri(address), server, name, app.Services.GetRequiredService<NpgsqlDataSource>(), folder);
    }

    /// <summary>A token the service accepts, for <paramref name="userId"/> with <paramref name="role"/>.</summary>
    public string Token(string userId, string? role) =>
        _app.Services.GetRequiredService<TokenService>().Mint(userId, role, TimeSpan.FromHours(1));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await DropAsync(_serverConnectionString, _databaseName);
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task DropAsync(string server, string name)
    {
        await using var admin = new NpgsqlConnection(AdminConnectionString(server));
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static string AdminConnectionString(string server) =>
        new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;

    internal static string Iso(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
