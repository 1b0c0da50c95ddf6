using FreeSwitchSim.Tests.Support;

namespace FreeSwitchSim.Tests.Switch;

/// <summary>HEARTBEAT on the clock, restart as after a crash, verto logins checked through xml_curl.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public void Heartbeat_comes_every_twenty_seconds_with_the_captured_headers()
    {
        using var h = new SwitchHarness();
        h.Advance(19_990);
        Assert.DoesNotContain(h.Events, e => e.Name == "HEARTBEAT");
        h.Advance(20);
        var beat = Assert.Single(h.Events, e => e.Name == "HEARTBEAT");
        CaptureCompare.SameShape(CaptureStream.Events("app-to-app").First(e => e.Name == "HEARTBEAT"), beat, "HEARTBEAT");
        Assert.Equal("20000", beat.Get("Uptime-msec"));
        Assert.Equal("RE_SCHEDULE", h.Events[^1].Name);
        h.Advance(20_000);
        Assert.Equal(2, h.Events.Count(e => e.Name == "HEARTBEAT"));
    }

    [Fact]
    public void Restart_drops_channels_silently_and_changes_core_uuid()
    {
        using var h = new SwitchHarness();
        var a = h.Switch.PlaceSipCall("alice", "Alice", "room-x1");
        var before = h.Switch.CoreUuid;
        var count = h.Events.Count;
        h.Switch.Restart();
        Assert.Equal(count, h.Events.Count);
        Assert.False(h.Switch.ChannelExists(a));
        Assert.Empty(h.Switch.Channels());
        Assert.NotEqual(before, h.Switch.CoreUuid);
        var b = h.Switch.PlaceSipCall("bob", "Bob", "room-x1");
        var first = h.Events.First(e => e.UniqueId == b);
        Assert.Equal("1", first.Get("Event-Sequence"));
        Assert.Equal(h.Switch.CoreUuid, first.Get("Core-UUID"));
    }

    [Fact]
    public void Unknown_destination_is_hung_up_with_no_route()
    {
        using var h = new SwitchHarness();
        var a = h.Switch.PlaceSipCall("alice", "Alice", "nowhere");
        Assert.False(h.Switch.ChannelExists(a));
        Assert.Equal("NO_ROUTE_DESTINATION", h.Last(a, "CHANNEL_HANGUP_COMPLETE").Get("Hangup-Cause"));
    }

    [Fact]
    public async Task Verto_login_asks_the_xml_curl_directory_as_captured()
    {
        var found = File.ReadAllText(CaptureStream.PathOf("xml_curl/004.response.xml"));
        var notFound = File.ReadAllText(CaptureStream.PathOf("xml_curl/006.response.xml"));
        using var directory = new HttpReceiver(r => r.Body.Contains("user=room-a1b2c3", StringComparison.Ordinal) ? found : notFound);
        using var h = new SwitchHarness(o =>
        {
            o.XmlCurlDirectoryUrl = directory.Url("/fs/directory");
            o.XmlCurlUser = "fs";
            o.XmlCurlPassword = "dirsecret";
        });
        Assert.True(await h.Switch.LoginAsync("room-a1b2c3", "one-time-9f8e7d", CancellationToken.None));
        Assert.False(await h.Switch.LoginAsync("room-a1b2c3", "wrong", CancellationToken.None));
        Assert.False(await h.Switch.LoginAsync("nobody-x", "x", CancellationToken.None));
        var results = h.Events.Where(e => e.Subclass == "verto::login").Select(e => e.Get("verto_result_txt")).ToArray();
        Assert.Equal(new string?[] { "Logged in", "Authentication Failure", "Login Incorrect" }, results);

        var captured = File.ReadAllText(CaptureStream.PathOf("xml_curl/004.request.txt"));
        var capturedHead = captured[..captured.IndexOf("\n\n", StringComparison.Ordinal)].Split('\n');
        var capturedBody = captured[(captured.IndexOf("\n\n", StringComparison.Ordinal) + 2)..].TrimEnd('\n');
        var ours = directory.Requests[0];
        Assert.Equal("POST", ours.Method);
        Assert.Equal("/fs/directory", ours.Url);
        Assert.Equal(capturedHead.Single(l => l.StartsWith("Authorization:", StringComparison.Ordinal))["Authorization: ".Length..], ours.Headers["Authorization"]);
        Assert.Equal("freeswitch-xml/1.0", ours.Headers["User-Agent"]);
        Assert.Equal(Names(capturedBody), Names(ours.Body));
        Assert.Contains("&action=jsonrpc-authenticate&key=id&user=room-a1b2c3&domain=127.0.0.1", ours.Body, StringComparison.Ordinal);
    }

    private static string[] Names(string form) => form.Split('&').Select(p => p.Split('=')[0]).ToArray();
}
