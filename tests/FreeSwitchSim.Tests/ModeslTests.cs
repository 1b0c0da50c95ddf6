using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using FreeSwitchSim.Tests.Esl;

namespace FreeSwitchSim.Tests;

/// <summary>Installs modesl once (skipped when node_modules/modesl exists) for the tests that drive the simulator with it.</summary>
public sealed class ModeslFixture
{
    public ModeslFixture()
    {
        Directory = Path.Combine(SourceDirectory(), "modesl");
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "modesl")))
        {
            var (code, output) = ModeslTests.Run("sh", [Path.Combine(Directory, "install.sh")], Directory, TimeSpan.FromMinutes(5));
            Assert.True(code == 0, $"npm install modesl failed: {output}");
        }
    }

    public string Directory { get; }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}

/// <summary>
/// modesl (npm, 1.2.1) is a popular ESL client written without any knowledge of this simulator: if it can
/// authenticate, run api and bgapi, and parse plain and json events from us, a real-world client accepts our framing.
/// </summary>
public sealed class ModeslTests : IClassFixture<ModeslFixture>
{
    private readonly ModeslFixture _fixture;

    public ModeslTests(ModeslFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Modesl_authenticates_runs_api_and_bgapi_and_parses_plain_and_json_events()
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorHostOptions { ControlPort = 0, Hostname = "modesl-node" });

        var (code, output) = await Task.Run(() => Run("node",
            ["drive.js", host.EslPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "ClueCon",
             host.ControlPort!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            _fixture.Directory, TimeSpan.FromSeconds(60)));

        Assert.True(code == 0, output);
        using var doc = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var r = doc.RootElement;
        Assert.Equal("api/response", r.GetProperty("status").GetProperty("contentType").GetString());
        Assert.StartsWith("UP ", r.GetProperty("status").GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal("BACKGROUND_JOB", r.GetProperty("bgapi").GetProperty("eventName").GetString());
        Assert.Equal("status", r.GetProperty("bgapi").GetProperty("jobCommand").GetString());
        Assert.StartsWith("UP ", r.GetProperty("bgapi").GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal("+OK event listener enabled plain", r.GetProperty("plainReply").GetString());
        var plain = r.GetProperty("plainEvent");
        Assert.Equal("CHANNEL_CREATE", plain.GetProperty("eventName").GetString());
        Assert.Equal(plain.GetProperty("uuid").GetString(), plain.GetProperty("uniqueId").GetString());
        Assert.Equal("modesl-node", plain.GetProperty("hostname").GetString());
        Assert.Equal("fd00::2", plain.GetProperty("ipv6").GetString());
        Assert.Equal("+OK event listener enabled json", r.GetProperty("jsonReply").GetString());
        var json = r.GetProperty("jsonEvent");
        Assert.Equal("CHANNEL_CREATE", json.GetProperty("eventName").GetString());
        Assert.Equal(json.GetProperty("uuid").GetString(), json.GetProperty("uniqueId").GetString());
        Assert.Equal("room-m2", json.GetProperty("destination").GetString());
    }

    internal static (int Code, string Output) Run(string file, string[] args, string directory, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            return (-1, $"timed out\n{stdout.Result}\n{stderr.Result}");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
