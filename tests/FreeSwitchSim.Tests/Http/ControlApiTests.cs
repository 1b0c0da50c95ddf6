using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FreeSwitchSim.Tests.Esl;

namespace FreeSwitchSim.Tests.Http;

public sealed class ControlApiTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = await SimulatorHost.StartAsync(new SimulatorHostOptions { ControlPort = 0 });
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_host.ControlPort}"), Timeout = EslTestClient.Timeout };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<string> LoginAndCallAsync(string destination = "room-a1")
    {
        var login = await _http.PostAsJsonAsync("/clients/1000/login", new { password = "1234" });
        Assert.True((await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("loggedIn").GetBoolean());
        var call = await _http.PostAsJsonAsync("/clients/1000/calls", new { destination });
        Assert.Equal(HttpStatusCode.Created, call.StatusCode);
        return (await call.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("uuid").GetString()!;
    }

    [Fact]
    public async Task Runtime_reports_the_process_own_collections_allocation_and_pause_time()
    {
        var before = await _http.GetFromJsonAsync<JsonElement>("/runtime");
        // This host runs in the test's process, so what the test allocates and collects is what the endpoint reports.
        var garbage = new List<byte[]>();
        for (var i = 0; i < 64; i++)
        {
            garbage.Add(new byte[256 * 1024]);
        }

        garbage.Clear();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        var after = await _http.GetFromJsonAsync<JsonElement>("/runtime");

        Assert.True(after.GetProperty("allocatedBytes").GetInt64() - before.GetProperty("allocatedBytes").GetInt64() >= 64 * 256 * 1024);
        Assert.True(after.GetProperty("gen2Collections").GetInt32() > before.GetProperty("gen2Collections").GetInt32());
        Assert.True(after.GetProperty("gen0Collections").GetInt32() > before.GetProperty("gen0Collections").GetInt32());
        Assert.True(after.GetProperty("gcPauseMs").GetDouble() > before.GetProperty("gcPauseMs").GetDouble());
    }

    [Fact]
    public async Task Runtime_counts_events_fired_and_builds_none_while_nobody_listens()
    {
        var before = await _http.GetFromJsonAsync<JsonElement>("/runtime");
        var uuid = await LoginAndCallAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PostAsJsonAsync($"/channels/{uuid}/hangup", new { cause = "NORMAL_CLEARING" })).StatusCode);
        await WaitUntilAsync(() => _host.Switch.Channel(uuid) is null);
        var after = await _http.GetFromJsonAsync<JsonElement>("/runtime");

        // No ESL listener, no feed: the call's events took their sequence numbers and nothing was built.
        Assert.True(after.GetProperty("eventsFired").GetInt64() - before.GetProperty("eventsFired").GetInt64() > 10);
        Assert.Equal(before.GetProperty("eventsBuilt").GetInt64(), after.GetProperty("eventsBuilt").GetInt64());
    }

    [Fact]
    public async Task Login_call_list_get_answer_dtmf_hangup_drive_the_switch()
    {
        var uuid = await LoginAndCallAsync();

        var list = await _http.GetFromJsonAsync<JsonElement>("/channels");
        Assert.Contains(list.EnumerateArray(), c => c.GetProperty("uuid").GetString() == uuid);
        var channel = await _http.GetFromJsonAsync<JsonElement>($"/channels/{uuid}");
        Assert.Equal("a1", channel.GetProperty("variables").GetProperty("room_id").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await _http.PostAsync($"/channels/{uuid}/answer", null)).StatusCode);
        Assert.Equal("answered", _host.Switch.Channel(uuid)!.AnswerState);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PostAsJsonAsync($"/channels/{uuid}/dtmf", new { digits = "12#" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PostAsJsonAsync($"/channels/{uuid}/hangup", new { cause = "NORMAL_CLEARING" })).StatusCode);
        await WaitUntilAsync(() => _host.Switch.Channel(uuid) is null || _host.Switch.Channel(uuid)!.State != "CS_EXECUTE");
    }

    [Fact]
    public async Task Login_user_variables_reach_the_clients_legs()
    {
        var login = await _http.PostAsJsonAsync("/clients/1001/login", new { password = "1234", userVariables = new Dictionary<string, string> { ["user_name"] = "1002" } });
        Assert.True((await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("loggedIn").GetBoolean());
        var call = await _http.PostAsJsonAsync("/clients/1001/calls", new { destination = "room-a2" });
        var uuid = (await call.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("uuid").GetString()!;

        var channel = await _http.GetFromJsonAsync<JsonElement>($"/channels/{uuid}");
        Assert.Equal("1002", channel.GetProperty("variables").GetProperty("user_name").GetString());
    }

    [Fact]
    public async Task Unknown_channel_is_404_and_bad_input_is_400_with_a_message()
    {
        var missing = await _http.PostAsync("/channels/no-such-uuid/answer", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/channels/no-such-uuid")).StatusCode);

        var noDestination = await _http.PostAsJsonAsync("/clients/1000/calls", new { });
        Assert.Equal(HttpStatusCode.BadRequest, noDestination.StatusCode);
        Assert.Contains("destination", await noDestination.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var uuid = await LoginAndCallAsync();
        var badDigits = await _http.PostAsJsonAsync($"/channels/{uuid}/dtmf", new { digits = "12x" });
        Assert.Equal(HttpStatusCode.BadRequest, badDigits.StatusCode);
        Assert.Contains("digits", await badDigits.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsJsonAsync($"/channels/{uuid}/hangup", new { cause = "drop table" })).StatusCode);

        var badRule = await _http.PutAsJsonAsync("/gateways/carrier/rules", new[] { new { prefix = "+1555", behaviour = "explode", delayMs = 0 } });
        Assert.Equal(HttpStatusCode.BadRequest, badRule.StatusCode);
        Assert.Contains("behaviour", await badRule.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsync("/faults/explode", null)).StatusCode);
    }

    [Fact]
    public async Task Gateway_rules_are_accepted()
    {
        var ok = await _http.PutAsJsonAsync("/gateways/carrier/rules", new[] { new { prefix = "+1555", behaviour = "busy", delayMs = 100 } });

        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
    }

    [Fact]
    public async Task Drop_and_refuse_faults_act_on_the_event_socket()
    {
        await using var client = await EslTestClient.ConnectAuthedAsync(_host.EslPort);

        Assert.Equal(HttpStatusCode.NoContent, (await _http.PostAsync("/faults/drop", null)).StatusCode);
        Assert.Empty(await client.ReadToCloseAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await _http.PostAsJsonAsync("/faults/refuse", new { seconds = 30, acl = true })).StatusCode);
        await using var rejected = await EslTestClient.ConnectAsync(_host.EslPort);
        Assert.Equal("text/rude-rejection", (await rejected.ReadFrameAsync()).ContentType);
    }

    [Fact]
    public async Task Logout_is_accepted_and_bad_user_names_are_rejected()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PostAsync("/clients/1000/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsync("/clients/a%20b/logout", null)).StatusCode);
    }

    [Fact]
    public async Task Events_feed_streams_the_named_events_in_order_with_the_asked_headers()
    {
        using var response = await _http.GetAsync(
            "/events?names=CHANNEL_PARK,CHANNEL_HANGUP_COMPLETE&headers=Channel-Name,Hangup-Cause,No-Such-Header",
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var lines = new StreamReader(await response.Content.ReadAsStreamAsync());

        // The subscription is in place once the response has started: nothing fired after it is missed.
        var uuid = await LoginAndCallAsync("room-feed1");
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PostAsync($"/channels/{uuid}/answer", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.PostAsJsonAsync($"/channels/{uuid}/hangup", new { cause = "NORMAL_CLEARING" })).StatusCode);
        using var timeout = new CancellationTokenSource(EslTestClient.Timeout);
        var park = (await lines.ReadLineAsync(timeout.Token))!.Split('\t');
        var hangup = (await lines.ReadLineAsync(timeout.Token))!.Split('\t');

        // Only the named events (no CHANNEL_CREATE, CHANNEL_STATE, ... between them), values percent-encoded,
        // an absent header empty.
        Assert.Equal(["CHANNEL_PARK", uuid, "verto.rtc%2Froom-feed1", "", ""], park);
        Assert.Equal(["CHANNEL_HANGUP_COMPLETE", uuid, "verto.rtc%2Froom-feed1", "NORMAL_CLEARING", ""], hangup);
    }

    [Theory]
    [InlineData("/events")]
    [InlineData("/events?names=")]
    [InlineData("/events?names=CHANNEL_PARK%0ACHANNEL_BRIDGE")]
    [InlineData("/events?names=CHANNEL_PARK&headers=Bad%20Header")]
    public async Task Events_feed_refuses_a_bad_subscription(string path)
    {
        using var response = await _http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(EslTestClient.Timeout);
        while (!condition())
        {
            await Task.Delay(20, cts.Token);
        }
    }
}
