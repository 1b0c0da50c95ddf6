using System.Text.Json;
using FreeSwitchSim.Tests.Support;

namespace FreeSwitchSim.Tests.Switch;

/// <summary>mod_json_cdr: the POST each leg's end produces, and the spool when the receiver is down.</summary>
public sealed class CdrTests
{
    [Fact]
    public async Task Leg_end_posts_json_cdr_shaped_like_the_captured_posts()
    {
        using var receiver = new HttpReceiver();
        using var h = new SwitchHarness(o =>
        {
            o.JsonCdrUrl = receiver.Url("/fs/cdr");
            o.JsonCdrUser = "fs";
            o.JsonCdrPassword = "cdrsecret";
        });
        var o1 = Guid.NewGuid().ToString();
        var busy = h.Switch.ExecuteApiAsync("originate", $"{{origination_uuid={o1}}}sofia/gateway/carrier_busy/+15550001111 &park()", CancellationToken.None);
        h.Advance(1000);
        Assert.Equal("-ERR USER_BUSY\n", await busy.WaitAsync(TimeSpan.FromSeconds(10)));
        await h.Switch.WhenCdrsSettledAsync();
        await receiver.WaitForAsync(1);

        var post = Assert.Single(receiver.Requests);
        var captured = File.ReadAllText(CaptureStream.PathOf("json_cdr/caps-v3-001.post.txt"));
        var capturedHead = captured[..captured.IndexOf("\n\n", StringComparison.Ordinal)].Split('\n');
        Assert.Equal("POST", post.Method);
        Assert.Equal($"/fs/cdr?uuid={o1}", post.Url);
        Assert.Equal(capturedHead.Single(l => l.StartsWith("Authorization:", StringComparison.Ordinal))["Authorization: ".Length..], post.Headers["Authorization"]);
        Assert.Equal("freeswitch-json/1.0", post.Headers["User-Agent"]);
        Assert.Equal("application/x-www-form-urlencoded", post.Headers["Content-Type"]);

        using var ours = JsonDocument.Parse(post.Body);
        using var theirs = JsonDocument.Parse(captured[(captured.IndexOf("\n\n", StringComparison.Ordinal) + 2)..]);
        Assert.Equal(Keys(theirs.RootElement), Keys(ours.RootElement));
        Assert.Equal(Keys(theirs.RootElement.GetProperty("channel_data")), Keys(ours.RootElement.GetProperty("channel_data")));
        var cf = ours.RootElement.GetProperty("callflow")[0];
        var tcf = theirs.RootElement.GetProperty("callflow")[0];
        Assert.Equal(Keys(tcf.GetProperty("caller_profile")), Keys(cf.GetProperty("caller_profile")));
        Assert.Equal(Keys(tcf.GetProperty("times")), Keys(cf.GetProperty("times")));
        var vars = ours.RootElement.GetProperty("variables");
        Assert.Equal("USER_BUSY", vars.GetProperty("hangup_cause").GetString());
        Assert.Equal("sofia/external/%2B15550001111", vars.GetProperty("channel_name").GetString());
        Assert.Equal(h.Switch.CoreUuid, ours.RootElement.GetProperty("core-uuid").GetString());
    }

    [Fact]
    public async Task Cdr_values_are_escaped_as_cjson_and_variables_percent_encoded_from_their_utf8()
    {
        using var receiver = new HttpReceiver();
        using var h = new SwitchHarness(o => o.JsonCdrUrl = receiver.Url("/fs/cdr"));
        var a = h.Switch.PlaceSipCall("alice", "O\"Neil \\ Zoë", "room-s1");
        Assert.Equal("+OK\n", h.Api("uuid_setvar", $"{a} x_note say \"hi\" \\ café & 100%"));
        h.Api("uuid_kill", a);
        await h.Switch.WhenCdrsSettledAsync();
        await receiver.WaitForAsync(1);

        var post = Assert.Single(receiver.Requests);
        using var cdr = JsonDocument.Parse(post.Body);
        // The caller profile's values are JSON strings as they are (cJSON escapes the quote and the backslash, and
        // leaves the UTF-8); the variables are switch_url_encode'd first, byte by byte of their UTF-8.
        Assert.Equal("O\"Neil \\ Zoë", cdr.RootElement.GetProperty("callflow")[0].GetProperty("caller_profile").GetProperty("caller_id_name").GetString());
        Assert.Equal("say%20%22hi%22%20%5C%20caf%C3%A9%20%26%20100%25", cdr.RootElement.GetProperty("variables").GetProperty("x_note").GetString());
        Assert.Contains("\"caller_id_name\":\"O\\\"Neil \\\\ Zoë\"", post.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cdr_is_spooled_while_the_receiver_is_down_and_delivered_when_it_is_back()
    {
        var port = HttpReceiver.FreePort();
        using var h = new SwitchHarness(o => o.JsonCdrUrl = new Uri($"http://127.0.0.1:{port}/fs/cdr"));
        var a = h.Switch.PlaceSipCall("alice", "Alice", "room-s1");
        h.Api("uuid_kill", a);
        await h.Switch.WhenCdrsSettledAsync();
        var spooled = Directory.GetFiles(h.Options.JsonCdrSpoolDir!, "*.cdr.json");
        Assert.Equal(Path.Combine(h.Options.JsonCdrSpoolDir!, a + ".cdr.json"), Assert.Single(spooled));

        using var receiver = new HttpReceiver(port: port);
        Assert.Equal(1, await h.Switch.FlushCdrSpoolAsync(CancellationToken.None));
        var post = Assert.Single(receiver.Requests);
        Assert.Equal($"/fs/cdr?uuid={a}", post.Url);
        Assert.Empty(Directory.GetFiles(h.Options.JsonCdrSpoolDir!, "*.cdr.json"));
    }

    [Fact]
    public async Task Hangup_complete_and_destroy_wait_for_the_cdr_post_as_in_the_reporting_state()
    {
        // switch_core_session_reporting_state: mod_json_cdr's on_reporting posts (in the session's thread when
        // queue-capacity is unset) before CHANNEL_HANGUP_COMPLETE is created and fired.
        using var arrived = new ManualResetEventSlim();
        using var answer = new ManualResetEventSlim();
        using var receiver = new HttpReceiver(_ =>
        {
            arrived.Set();
            answer.Wait(TimeSpan.FromSeconds(10));
            return "";
        });
        using var h = new SwitchHarness(o => o.JsonCdrUrl = receiver.Url("/fs/cdr"));
        var a = h.Switch.PlaceSipCall("alice", "Alice", "room-s1");
        h.Api("uuid_kill", a);

        Assert.True(arrived.Wait(TimeSpan.FromSeconds(10)), "the CDR POST");
        await Task.Delay(200);
        Assert.Contains("CHANNEL_HANGUP", h.NamesOf(a));
        Assert.DoesNotContain("CHANNEL_HANGUP_COMPLETE", h.NamesOf(a));   // FreeSWITCH has no answer yet
        Assert.Equal("CS_REPORTING", h.Switch.Channel(a)?.State);

        answer.Set();
        await h.Switch.WhenCdrsSettledAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!h.NamesOf(a).Contains("CHANNEL_DESTROY"))
        {
            Assert.True(DateTime.UtcNow < deadline, "CHANNEL_DESTROY after the POST was answered");
            await Task.Delay(20);
        }
        var names = h.NamesOf(a);
        Assert.Equal(["CHANNEL_HANGUP_COMPLETE", "CHANNEL_DESTROY"], names.Where(n => n is "CHANNEL_HANGUP_COMPLETE" or "CHANNEL_DESTROY"));
        Assert.Null(h.Switch.Channel(a));
    }

    private static string[] Keys(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToArray();
}
