using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CallControl.Tests.Faults;

/// <summary>
/// A PostgreSQL cluster of its own for a test that stops the database: initdb into a temporary folder, listening on
/// 127.0.0.1 on a free port, started and stopped with pg_ctl as <c>scripts/postgres.sh</c> does (as the
/// <c>postgres</c> OS user when we are root: PostgreSQL refuses to run as root). The shared cluster is never touched.
/// </summary>
internal sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly string _data;

    private ThrowawayPostgres(string bin, string root, int port)
    {
        _bin = bin;
        _root = root;
        _data = Path.Combine(root, "data");
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=callcontrol;Timeout=5;Command Timeout=10";

    public static async Task<ThrowawayPostgres> StartAsync()
    {
        var bin = new[] { 15, 16, 17 }.Select(v => $"/usr/lib/postgresql/{v}/bin").FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL's initdb was not found under /usr/lib/postgresql (scripts/postgres.sh installs it)");
        // /var/tmp: the postgres OS user must be able to reach the folder (a private /tmp or home may not allow it).
        var root = Path.Combine("/var/tmp", "callcontrol-outage-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        var cluster = new ThrowawayPostgres(bin, root, FreePort());
        await cluster.RunAsync("chown", "-R", "postgres:postgres", root);
        await cluster.AsPostgresAsync(Path.Combine(bin, "initdb"), "-D", cluster._data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8");
        await cluster.StartAgainAsync();
        await using var admin = new NpgsqlConnection($"Host=127.0.0.1;Port={cluster.Port};Username=postgres;Database=postgres;Pooling=false");
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand("CREATE DATABASE callcontrol", admin);
        await create.ExecuteNonQueryAsync();
        return cluster;
    }

    /// <summary><c>pg_ctl stop -m fast</c>: sessions are ended, the port closes.</summary>
    public Task StopAsync() => AsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", _data, "-m", "fast", "-w", "stop");

    public Task StartAgainAsync() => AsPostgresAsync(
        Path.Combine(_bin, "pg_ctl"), "-D", _data, "-l", Path.Combine(_root, "postgres.log"), "-w", "-t", "60",
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {_root} -c fsync=off", "start");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_root, recursive: true);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private Task AsPostgresAsync(string program, params string[] args) =>
        Environment.UserName == "root" ? RunAsync("runuser", ["-u", "postgres", "--", program, .. args]) : RunAsync(program, args);

    private async Task RunAsync(string program, params string[] args)
    {
        if (program == "chown" && Environment.UserName != "root")
        {
            return;
        }

        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _root };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {await output} {await error}");
        }
    }
}
