using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using FreeSwitchSim;
using FreeSwitchSim.Core;
using FreeSwitchSim.Switch;

namespace CallControl.Bench.Load;

/// <summary>What the driver needs of the simulated FreeSWITCH node: a verto client's login, call and hangup, the
/// carrier's rules, the live channel count, and (through <see cref="BridgeClock"/>) its channel events.</summary>
internal interface ISimNode : IAsyncDisposable
{
    int EslPort { get; }

    /// <summary>Where its own figures come from: "in this process" or the child's pid.</summary>
    string Where { get; }

    /// <summary>CPU the simulator used so far, when it runs in a process of its own (else null: it is in ours).</summary>
    TimeSpan? ProcessorTime { get; }

    Task<bool> LoginAsync(string login, string password);

    Task<string> PlaceCallAsync(string login, string destination);

    Task HangupAsync(string uuid);

    Task SetCarrierRuleAsync(string prefix, string behaviour, int delayMs);

    Task<int> ChannelCountAsync();

    /// <summary>The simulator process's own runtime figures (GET /runtime), or null when it runs in this process.</summary>
    Task<FreeSwitchSim.Http.RuntimeFigures?> RuntimeAsync();
}

/// <summary>The simulator in the benchmark's own process (its CPU and heap count with the service's).</summary>
internal sealed class InProcessSim(SimulatorHost host, SimSwitchOptions options) : ISimNode
{
    public static async Task<InProcessSim> StartAsync(BridgeClock clock)
    {
        SimSwitchOptions? simOptions = null;
        var host = await SimulatorHost.StartAsync(new SimulatorHostOptions
        {
            ConfigureSwitch = o =>
            {
                o.MaxSessions = ProcessSim.MaxSessions;
                simOptions = o;
            },
        }).ConfigureAwait(false);
        host.Switch.EventFired += e => clock.OnEvent(e.Name, e.UniqueId, e.Get);
        return new InProcessSim(host, simOptions!);
    }

    public int EslPort => host.EslPort;

    public string Where => "in this process";

    public TimeSpan? ProcessorTime => null;

    /// <summary>FreeSWITCH's xml_curl and json_cdr callbacks, once the service's address is known.</summary>
    public void PointAt(Uri service, string user, string password)
    {
        options.XmlCurlDirectoryUrl = new Uri(service, "/fs/directory");
        options.XmlCurlUser = user;
        options.XmlCurlPassword = password;
        options.JsonCdrUrl = new Uri(service, "/fs/cdr");
        options.JsonCdrUser = user;
        options.JsonCdrPassword = password;
    }

    public Task<bool> LoginAsync(string login, string password) => host.Switch.LoginAsync(login, password, CancellationToken.None);

    public Task<string> PlaceCallAsync(string login, string destination) => Task.FromResult(host.Switch.PlaceCall(login, destination));

    public Task HangupAsync(string uuid)
    {
        host.Switch.Hangup(uuid);
        return Task.CompletedTask;
    }

    public Task SetCarrierRuleAsync(string prefix, string behaviour, int delayMs)
    {
        host.Switch.SetGatewayRules("carrier", [new GatewayRule(prefix, behaviour, delayMs)]);
        return Task.CompletedTask;
    }

    public Task<int> ChannelCountAsync() => Task.FromResult(host.Switch.Channels().Count);

    public Task<FreeSwitchSim.Http.RuntimeFigures?> RuntimeAsync() => Task.FromResult<FreeSwitchSim.Http.RuntimeFigures?>(null);

    public ValueTask DisposeAsync() => host.DisposeAsync();
}

/// <summary>
/// The standalone simulator (FreeSwitchSim.dll) as a child process, as FreeSWITCH is beside the service: driven over
/// its control API, the clock's events read from the control API's light event feed, so the benchmark process's CPU and
/// heap are the service's (and the driver's), and the simulator's CPU is read from the child.
/// </summary>
internal sealed class ProcessSim : ISimNode
{
    private readonly Process _process;
    private readonly HttpClient _control;
    // The headers the clock reads, in the order the feed writes them after the event name and Unique-ID.
    private static readonly string[] FeedHeaders = ["Channel-Name", "Bridge-B-Unique-ID", "Other-Leg-Unique-ID", "Event-Date-Timestamp"];

    private readonly HttpClient _feedClient;
    private readonly HttpResponseMessage _feed;
    private readonly Task _pump;

    private ProcessSim(Process process, HttpClient control, HttpClient feedClient, HttpResponseMessage feed, Task pump, int eslPort)
    {
        _process = process;
        _control = control;
        _feedClient = feedClient;
        _feed = feed;
        _pump = pump;
        EslPort = eslPort;
    }

    private static string? FeedValue(string[] fields, string header)
    {
        var i = Array.IndexOf(FeedHeaders, header);
        return i < 0 || fields[2 + i].Length == 0 ? null : Uri.UnescapeDataString(fields[2 + i]);
    }

    /// <summary>The node's max-sessions: FreeSWITCH's default of 1000 is what the service protects (no new rooms at
    /// 90%), and a node meant for hundreds of calls per second is configured far above it.</summary>
    public const int MaxSessions = 20_000;

    public int EslPort { get; }

    public string Where => $"pid {_process.Id}";

    public TimeSpan? ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.HasExited ? null : _process.TotalProcessorTime;
        }
    }

    /// <summary>A free loopback port (bound and released: the child binds it a moment later).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<ProcessSim> StartAsync(BridgeClock clock, Uri service, string user, string password, string logPath)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "FreeSwitchSim.dll");
        if (!File.Exists(Path.Combine(AppContext.BaseDirectory, "FreeSwitchSim.runtimeconfig.json")))
        {
            // Built beside the benchmark by bench/load (--artifacts-path): bin/FreeSwitchSim/release/.
            dll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "FreeSwitchSim", "release", "FreeSwitchSim.dll"));
        }

        var eslPort = FreePort();
        var controlPort = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            dll, "--esl-port", eslPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--password", "ClueCon",
            "--control-port", controlPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--directory-url", new Uri(service, "/fs/directory").ToString(), "--directory-user", user, "--directory-password", password,
            "--json-cdr-url", new Uri(service, "/fs/cdr").ToString(), "--json-cdr-user", user, "--json-cdr-password", password,
            "--max-sessions", MaxSessions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            // SIM_DOTNET_X=v sets the child's DOTNET_X (runtime settings for the simulator alone).
            if (variable.Key is string name && name.StartsWith("SIM_DOTNET_", StringComparison.Ordinal))
            {
                start.Environment[name["SIM_".Length..]] = variable.Value as string;
            }
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("the simulator did not start");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => log.Dispose();

        var control = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{controlPort}"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        // The clock's events come from the simulator's light feed (GET /events), not from an ESL listener of ours:
        // each ESL event carries all of the channel's variables, and parsing four kinds of them here, besides the
        // service's, was driver work counted as the service's CPU (and serialising them was the simulator's).
        var feedClient = new HttpClient { BaseAddress = control.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage? feed = null;
        while (feed is null)
        {
            try
            {
                feed = await feedClient.GetAsync(
                    $"/events?names=CHANNEL_PARK,CHANNEL_ANSWER,CHANNEL_BRIDGE,CHANNEL_DESTROY&headers={string.Join(',', FeedHeaders)}",
                    HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                feed.EnsureSuccessStatusCode();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                feed?.Dispose();
                feed = null;
                await Task.Delay(100).ConfigureAwait(false);
            }
        }

        var lines = new StreamReader(await feed.Content.ReadAsStreamAsync().ConfigureAwait(false));
        var pump = Task.Run(async () =>
        {
            try
            {
                while (await lines.ReadLineAsync().ConfigureAwait(false) is { } line)
                {
                    var fields = line.Split('\t');
                    if (fields.Length == 2 + FeedHeaders.Length)
                    {
                        clock.OnEvent(fields[0], fields[1], header => FeedValue(fields, header));
                    }
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or HttpRequestException or OperationCanceledException)
            {
                // The feed ends when the simulator stops or the benchmark disposes it.
            }
        });
        return new ProcessSim(process, control, feedClient, feed, pump, eslPort);
    }

    public async Task<bool> LoginAsync(string login, string password)
    {
        using var response = await _control.PostAsJsonAsync($"/clients/{Uri.EscapeDataString(login)}/login", new { password }).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    public async Task<string> PlaceCallAsync(string login, string destination)
    {
        using var response = await _control.PostAsJsonAsync($"/clients/{Uri.EscapeDataString(login)}/calls", new { destination }).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"simulator refused the call: {(int)response.StatusCode} {text}");
        }

        return System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("uuid").GetString()!;
    }

    public async Task HangupAsync(string uuid)
    {
        using var response = await _control.PostAsync($"/channels/{uuid}/hangup", null).ConfigureAwait(false);
    }

    public async Task SetCarrierRuleAsync(string prefix, string behaviour, int delayMs)
    {
        using var response = await _control.PutAsJsonAsync("/gateways/carrier/rules", new[] { new { prefix, behaviour, delayMs } }).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    public Task<FreeSwitchSim.Http.RuntimeFigures?> RuntimeAsync() =>
        _control.GetFromJsonAsync<FreeSwitchSim.Http.RuntimeFigures?>("/runtime");

    public async Task<int> ChannelCountAsync()
    {
        using var document = System.Text.Json.JsonDocument.Parse(await _control.GetStringAsync("/channels/").ConfigureAwait(false));
        return document.RootElement.GetArrayLength();
    }

    public async ValueTask DisposeAsync()
    {
        _feed.Dispose();
        _feedClient.Dispose();
        await _pump.ConfigureAwait(false);
        _control.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }
}
