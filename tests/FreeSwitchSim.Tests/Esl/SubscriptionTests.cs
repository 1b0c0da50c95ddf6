using System.Text.Json;
using FreeSwitchSim.Core;

namespace FreeSwitchSim.Tests.Esl;

public sealed class SubscriptionTests
{
    private static string? Header(WireFrame f, string name) => Captures.DecodePlainEvent(f.Body)?.Get(name);

    private static async Task<WireFrame> NextEventAsync(EslTestClient client) =>
        await client.ReadUntilAsync(f => f.ContentType.StartsWith("text/event-", StringComparison.Ordinal));

    [Fact]
    public async Task Event_named_delivers_only_those_and_heartbeat_only_when_subscribed()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();
        Assert.Equal("+OK event listener enabled plain", (await client.CommandAsync("event plain CHANNEL_CREATE"))["Reply-Text"]);

        sim.Core.Fire(sim.Core.NewEvent("HEARTBEAT", null, "switch_core.c", "send_heartbeat", 80));
        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_CREATE", "u1"));

        Assert.Equal("CHANNEL_CREATE", Header(await NextEventAsync(client), "Event-Name"));
        await client.CommandAsync("event plain HEARTBEAT");
        sim.Core.Fire(sim.Core.NewEvent("HEARTBEAT", null, "switch_core.c", "send_heartbeat", 80));
        Assert.Equal("HEARTBEAT", Header(await NextEventAsync(client), "Event-Name"));
    }

    [Fact]
    public async Task Custom_subclasses_are_matched_by_name()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();
        await client.CommandAsync("event plain CHANNEL_CREATE CUSTOM verto::login");

        sim.Core.Fire(sim.Core.NewEvent("CUSTOM", "conference::maintenance", "mod_conference.c", "x", 1));
        sim.Core.Fire(sim.Core.NewEvent("CUSTOM", "verto::login", "mod_verto.c", "x", 1));

        Assert.Equal("verto::login", Header(await NextEventAsync(client), "Event-Subclass"));
    }

    [Fact]
    public async Task Nixevent_after_all_removes_only_that_event()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();
        await client.CommandAsync("event plain ALL");
        Assert.Equal("+OK events nixed", (await client.CommandAsync("nixevent HEARTBEAT"))["Reply-Text"]);

        sim.Core.Fire(sim.Core.NewEvent("HEARTBEAT", null, "switch_core.c", "send_heartbeat", 80));
        sim.Core.Fire(sim.Core.NewEvent("CUSTOM", "verto::login", "mod_verto.c", "x", 1));

        Assert.Equal("CUSTOM", Header(await NextEventAsync(client), "Event-Name"));
    }

    [Fact]
    public async Task Unique_id_filter_swallows_background_job_until_a_job_uuid_filter_is_added()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();
        await client.CommandAsync("event plain ALL");
        Assert.Equal("+OK filter added. [Unique-ID]=[abc]", (await client.CommandAsync("filter Unique-ID abc"))["Reply-Text"]);

        await client.SendAsync("bgapi status\nJob-UUID: 11111111-2222-3333-4444-555555555555\n\n");
        await client.ReadReplyAsync();
        await WaitForFiredAsync(sim, "BACKGROUND_JOB");
        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_CREATE", "zzz"));
        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_CREATE", "abc"));
        Assert.Equal("abc", Header(await NextEventAsync(client), "Unique-ID"));

        await client.CommandAsync("filter Job-UUID 22222222-2222-3333-4444-555555555555");
        await client.SendAsync("bgapi status\nJob-UUID: 22222222-2222-3333-4444-555555555555\n\n");
        await client.ReadReplyAsync();
        Assert.Equal("BACKGROUND_JOB", Header(await NextEventAsync(client), "Event-Name"));
    }

    [Fact]
    public async Task Regex_and_negative_filters_and_delete_behave_like_event_handler()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();
        await client.CommandAsync("event plain CHANNEL_CREATE");
        await client.CommandAsync("filter Unique-ID /^abc/");
        await client.CommandAsync("filter Unique-ID -abcbad");

        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_CREATE", "xabc"));
        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_CREATE", "abcbad"));
        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_CREATE", "abcgood"));
        Assert.Equal("abcgood", Header(await NextEventAsync(client), "Unique-ID"));

        Assert.Equal("+OK filter deleted. [all][]", (await client.CommandAsync("filter delete all"))["Reply-Text"]);
        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_CREATE", "xabc"));
        Assert.Equal("xabc", Header(await NextEventAsync(client), "Unique-ID"));
    }

    [Fact]
    public async Task Myevents_with_live_uuid_passes_only_that_channel_and_names_it_at_exit()
    {
        await using var sim = EslHarness.Start();
        sim.Core.AddChannel("chan-a", "sofia/external/a");
        await using var client = await sim.ClientAsync();
        Assert.Equal("+OK Events Enabled", (await client.CommandAsync("myevents chan-a"))["Reply-Text"]);
        Assert.Equal("-ERR aready enabled.", (await client.CommandAsync("myevents chan-a"))["Reply-Text"]);

        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_ANSWER", "chan-b"));
        sim.Core.Fire(sim.Core.NewEvent("HEARTBEAT", null, "switch_core.c", "send_heartbeat", 80));
        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_ANSWER", "chan-a"));
        Assert.Equal("chan-a", Header(await NextEventAsync(client), "Unique-ID"));

        await client.CommandAsync("exit");
        var notice = System.Text.Encoding.UTF8.GetString(await client.ReadToCloseAsync());
        Assert.StartsWith("Content-Type: text/disconnect-notice\nControlled-Session-UUID: chan-a\nContent-Disposition: disconnect\nContent-Length: 67\n\n", notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_format_delivers_text_event_json_with_raw_values()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();
        Assert.Equal("+OK event listener enabled json", (await client.CommandAsync("event json CUSTOM my::sub"))["Reply-Text"]);

        var e = sim.Core.NewEvent("CUSTOM", "my::sub", "test.c", "t", 1).Add("X-Note", "café 100%");
        e.Body = "hello\n";
        sim.Core.Fire(e);

        var frame = await NextEventAsync(client);
        Assert.Equal("text/event-json", frame.ContentType);
        using var doc = JsonDocument.Parse(frame.Body);
        Assert.Equal("café 100%", doc.RootElement.GetProperty("X-Note").GetString());
        Assert.Equal("fd00::2", doc.RootElement.GetProperty("FreeSWITCH-IPv6").GetString());
        Assert.Equal("6", doc.RootElement.GetProperty("Content-Length").GetString());
        Assert.Equal("hello\n", doc.RootElement.GetProperty("_body").GetString());
    }

    [Fact]
    public async Task Noevents_stops_delivery_and_api_blocks_events_until_it_returns()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();
        await client.CommandAsync("event plain CHANNEL_CREATE CHANNEL_ANSWER");
        sim.Core.ApiGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await client.SendAsync("api status\n\n");
        await WaitUntilAsync(() => sim.Core.ApiCalls == 1);
        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_CREATE", "u1"));
        sim.Core.ApiGate.SetResult();
        // The event fired while api ran is written only after the api/response.
        Assert.Equal("api/response", (await client.ReadFrameAsync()).ContentType);
        Assert.Equal("CHANNEL_CREATE", Header(await client.ReadFrameAsync(), "Event-Name"));
        sim.Core.ApiGate = null;

        Assert.Equal("+OK no longer listening for events", (await client.CommandAsync("noevents"))["Reply-Text"]);
        sim.Core.Fire(sim.Core.ChannelEvent("CHANNEL_ANSWER", "u1"));
        var skipped = new List<WireFrame>();
        Assert.Equal("api/response", (await client.CommandAsync("api status", skipped)).ContentType);
        Assert.Empty(skipped);
    }

    [Fact]
    public async Task Sendevent_fires_custom_event_with_command_headers_and_event_uuid()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();
        await client.CommandAsync("event plain CUSTOM callcontrol::body");

        await client.SendAsync("sendevent CUSTOM\nEvent-Subclass: callcontrol::body\nContent-Type: text/plain\nContent-Length: 10\n\nline café");
        var reply = await client.ReadReplyAsync();
        var frame = await NextEventAsync(client);
        var e = Captures.DecodePlainEvent(frame.Body)!;

        Assert.Equal($"+OK {e.Get("Event-UUID")}", reply["Reply-Text"]);
        // FreeSWITCH keeps the command's Content-Length header and adds the body's own: it appears twice.
        Assert.Equal(["Command", "Content-Type", "Content-Length", "Event-UUID", "Event-Subclass", "Event-Name", "Core-UUID"],
            frame.BodyText.Split('\n').Take(7).Select(l => l.Split(": ")[0]));
        Assert.EndsWith("Event-Sequence: " + e.Get("Event-Sequence") + "\nContent-Length: 10\n\nline café", frame.BodyText, StringComparison.Ordinal);
        Assert.Equal("sendevent CUSTOM", e.Get("Command"));
        Assert.Equal("line café", e.Body);
    }

    [Fact]
    public async Task Log_level_filters_lines_and_channel_logs_carry_the_uuid_until_nolog()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();
        Assert.Equal("+OK log level warning [4]", (await client.CommandAsync("log warning"))["Reply-Text"]);

        var now = DateTimeOffset.UtcNow;
        sim.Core.Log(new SimLogLine(7, "switch_core.c", "noise", 1, "debug noise\n", null, now));
        sim.Core.Log(new SimLogLine(4, "mod_sofia.c", "sofia_on_hangup", 42, "Channel hung up\n", "chan-a", now));
        var frame = await client.ReadFrameAsync();

        Assert.Equal("log/data", frame.ContentType);
        Assert.Equal(["Content-Type", "Content-Length", "Log-Level", "Text-Channel", "Log-File", "Log-Func", "Log-Line", "User-Data"], frame.Headers.Select(h => h.Key));
        Assert.Equal("3", frame["Text-Channel"]);
        Assert.Equal("chan-a", frame["User-Data"]);
        Assert.EndsWith(" [WARNING] mod_sofia.c:42 Channel hung up\n", frame.BodyText, StringComparison.Ordinal);

        Assert.Equal("+OK no longer logging", (await client.CommandAsync("nolog"))["Reply-Text"]);
        sim.Core.Log(new SimLogLine(1, "switch_core.c", "alert", 1, "alert\n", null, now));
        var skipped = new List<WireFrame>();
        await client.CommandAsync("api status", skipped);
        Assert.Empty(skipped);
    }

    [Fact]
    public async Task Myevents_unknown_uuid_with_format_is_invalid_uuid()
    {
        await using var sim = EslHarness.Start();
        await using var client = await sim.ClientAsync();

        Assert.Equal("-ERR invalid uuid", (await client.CommandAsync("myevents no-such-uuid json"))["Reply-Text"]);
    }

    private static async Task WaitForFiredAsync(EslHarness sim, string name) =>
        await WaitUntilAsync(() => sim.Core.Fired.Any(e => e.Name == name));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(EslTestClient.Timeout);
        while (!condition())
        {
            await Task.Delay(10, cts.Token);
        }
    }
}
