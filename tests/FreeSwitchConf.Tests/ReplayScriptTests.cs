using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using FreeSwitchConf.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace FreeSwitchConf.Tests;

/// <summary>
/// scripts/replay-json-cdr.sh against a stand-in receiver on 127.0.0.1: it posts each spooled CDR as mod_json_cdr
/// does and deletes only what was accepted.
/// </summary>
public sealed class ReplayScriptTests : IAsyncLifetime
{
    private readonly string _spool = Directory.CreateTempSubdirectory("fsconf-spool-").FullName;
    private readonly ConcurrentQueue<(string Uuid, string? Authorization, string Body)> _posts = new();
    private readonly Guid _accepted = Guid.NewGuid();
    private readonly Guid _refused = Guid.NewGuid();
    private WebApplication? _receiver;
    private string _url = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _receiver = builder.Build();
        _receiver.MapPost("/fs/cdr", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var uuid = request.Query["uuid"].ToString();
            _posts.Enqueue((uuid, request.Headers.Authorization.ToString(), body));
            return uuid == _refused.ToString() ? Results.StatusCode(503) : Results.Ok();
        });
        await _receiver.StartAsync();
        _url = _receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public async Task DisposeAsync()
    {
        await _receiver!.DisposeAsync();
        Directory.Delete(_spool, recursive: true);
    }

    [Fact]
    public async Task Accepted_cdrs_are_deleted_and_refused_ones_kept_for_the_next_run()
    {
        var acceptedBody = $"{{\"variables\":{{\"uuid\":\"{_accepted}\",\"x_room_id\":\"0123456789abcdef\"}}}}\n";
        await File.WriteAllTextAsync(Path.Combine(_spool, $"{_accepted}.cdr.json"), acceptedBody);
        await File.WriteAllTextAsync(Path.Combine(_spool, $"{_refused}.cdr.json"), $"{{\"variables\":{{\"uuid\":\"{_refused}\"}}}}\n");
        await File.WriteAllTextAsync(Path.Combine(_spool, "notes.cdr.json"), "{}");

        var (exit, output) = await RunAsync();

        Assert.NotEqual(0, exit);
        Assert.Contains("replayed 1, left 2", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_spool, $"{_accepted}.cdr.json")));
        Assert.True(File.Exists(Path.Combine(_spool, $"{_refused}.cdr.json")));
        Assert.True(File.Exists(Path.Combine(_spool, "notes.cdr.json")));
        var posted = _posts.Single(p => p.Uuid == _accepted.ToString());
        Assert.Equal(acceptedBody, posted.Body);
        Assert.Equal("Basic " + Convert.ToBase64String("fs:s3cret:with-colon"u8.ToArray()), posted.Authorization);
        Assert.Equal(2, _posts.Count);
    }

    [Fact]
    public async Task An_empty_spool_succeeds_without_posting()
    {
        var (exit, output) = await RunAsync();

        Assert.Equal(0, exit);
        Assert.Contains("replayed 0, left 0", output, StringComparison.Ordinal);
        Assert.Empty(_posts);
    }

    private async Task<(int Exit, string Output)> RunAsync()
    {
        var start = new ProcessStartInfo("bash", [ConfTree.PathOf("scripts/replay-json-cdr.sh"), _spool])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["CALLCONTROL_URL"] = _url;
        start.Environment["CALLCONTROL_CALLBACK_USER"] = "fs";
        start.Environment["CALLCONTROL_CALLBACK_SECRET"] = "s3cret:with-colon";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
