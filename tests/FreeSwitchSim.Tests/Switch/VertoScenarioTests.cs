using FreeSwitchSim.Tests.Support;

namespace FreeSwitchSim.Tests.Switch;

/// <summary>Browser (verto) scenarios replayed in-process and compared with the captures.</summary>
public sealed class VertoScenarioTests
{
    [Fact]
    public async Task Verto_call_to_a_room_matches_verto_room_call_capture()
    {
        using var h = new SwitchHarness();
        Assert.True(await h.Switch.LoginAsync("1000", "1234", CancellationToken.None));
        var a = h.Switch.PlaceCall("1000", "room-v1");
        Assert.Equal("+OK\n", h.Api("uuid_answer", a));
        h.Advance(3000);
        Assert.Equal($"+OK {a} sent DTMF 12@200.\n", h.Api("uuid_send_dtmf", $"{a} 12@200"));
        Assert.Equal([new Core.ReceivedDigit('1', 200), new Core.ReceivedDigit('2', 200)], h.Switch.Channel(a)!.DigitsReceived);
        h.Switch.PressDigits(a, "3");
        h.Advance(1000);
        h.Switch.Hangup(a);
        h.Switch.Logout("1000");

        const string cap = "781e556b-3b95-4045-be4a-774b373467d9";
        CaptureCompare.SameSequence(CaptureCompare.CapturedNames("verto-room-call", cap), h.NamesOf(a), "verto leg");
        CaptureCompare.SameHangup(CaptureCompare.CapturedLast("verto-room-call", cap, "CHANNEL_HANGUP_COMPLETE"), h.Last(a, "CHANNEL_HANGUP_COMPLETE"), "verto leg");
        var customs = h.Events.Where(e => e.Name == "CUSTOM").Select(e => e.Subclass).ToArray();
        Assert.Equal(new string?[] { "verto::client_connect", "verto::login", "verto::client_disconnect" }, customs);
    }

    [Fact]
    public async Task Two_verto_legs_bridged_match_verto_two_party_capture()
    {
        using var h = new SwitchHarness();
        Assert.True(await h.Switch.LoginAsync("1000", "1234", CancellationToken.None));
        Assert.True(await h.Switch.LoginAsync("1001", "1234", CancellationToken.None));
        var a = h.Switch.PlaceCall("1000", "room-v2");
        var b = h.Switch.PlaceCall("1001", "room-v2");
        Assert.Equal("+OK\n", h.Api("uuid_answer", a));
        Assert.Equal("+OK\n", h.Api("uuid_answer", b));
        Assert.Equal($"+OK {b}\n", h.Api("uuid_bridge", $"{a} {b}"));
        h.Advance(3000);
        Assert.Equal("+OK\n", h.Api("uuid_kill", a));

        const string capA = "f4e643fa-2cf9-4a14-a0b9-b12561d33abd", capB = "64b5f4e1-3e58-4549-99fe-5df5e9236cab";
        CaptureCompare.SameSequence(CaptureCompare.CapturedNames("verto-two-party", capA), h.NamesOf(a), "caller");
        CaptureCompare.SameSequence(CaptureCompare.CapturedNames("verto-two-party", capB), h.NamesOf(b), "callee");
        CaptureCompare.SameHangup(CaptureCompare.CapturedLast("verto-two-party", capA, "CHANNEL_HANGUP_COMPLETE"), h.Last(a, "CHANNEL_HANGUP_COMPLETE"), "caller");
        CaptureCompare.SameHangup(CaptureCompare.CapturedLast("verto-two-party", capB, "CHANNEL_HANGUP_COMPLETE"), h.Last(b, "CHANNEL_HANGUP_COMPLETE"), "callee");
    }

    [Fact]
    public async Task Login_user_variables_become_leg_variables_but_the_caller_username_stays_the_login()
    {
        using var h = new SwitchHarness();
        var userVariables = new Dictionary<string, string>
        {
            ["user_name"] = "1001",
            ["verto_user"] = "1001@127.0.0.1",
            ["x_note"] = "from the browser",
            ["record_stereo"] = "false",
            ["x_empty"] = "",
        };
        Assert.True(await h.Switch.LoginAsync("1000", "1234", userVariables, CancellationToken.None));
        var a = h.Switch.PlaceCall("1000", "room-v1");

        // mod_verto sets jsock->user_vars after switch_ivr_set_user: the browser's values win over user_name and
        // verto_user; the directory user's own variables come after them in user_vars and win over theirs.
        var vars = h.Switch.Channel(a)!.Variables;
        Assert.Equal("1001", vars["user_name"]);
        Assert.Equal("1001@127.0.0.1", vars["verto_user"]);
        Assert.Equal("from the browser", vars["x_note"]);
        Assert.Equal("true", vars["record_stereo"]);
        Assert.False(vars.ContainsKey("x_empty"));
        var park = h.Last(a, "CHANNEL_PARK");
        Assert.Equal("1001", park.Get("variable_user_name"));
        Assert.Equal("1000@127.0.0.1", park.Get("Caller-Username"));
        using var dump = System.Text.Json.JsonDocument.Parse(h.Api("uuid_dump", $"{a} json"));
        Assert.Equal("1000@127.0.0.1", dump.RootElement.GetProperty("Caller-Username").GetString());
        Assert.Equal("1001", dump.RootElement.GetProperty("variable_user_name").GetString());

        // Another client's legs carry none of them.
        Assert.True(await h.Switch.LoginAsync("1002", "1234", CancellationToken.None));
        var other = h.Switch.Channel(h.Switch.PlaceCall("1002", "room-v1"))!.Variables;
        Assert.Equal("1002", other["user_name"]);
        Assert.False(other.ContainsKey("x_note"));
    }

    [Fact]
    public async Task Originated_verto_leg_carries_the_login_user_variables_too()
    {
        using var h = new SwitchHarness();
        Assert.True(await h.Switch.LoginAsync("1001", "1234", new Dictionary<string, string> { ["x_note"] = "callee" }, CancellationToken.None));
        var b = Guid.NewGuid().ToString();
        var result = h.Switch.ExecuteApiAsync("expand", $"originate {{origination_uuid={b}}}${{verto_contact(1001@127.0.0.1)}} &park()", CancellationToken.None);
        h.Advance(500);
        // verto_connect sets jsock->user_vars on the outbound leg before it sends verto.invite.
        Assert.Equal("callee", h.Switch.Channel(b)!.Variables["x_note"]);
        h.Switch.Answer(b);
        Assert.Equal($"+OK {b}\n", await result.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Verto_login_and_logout_fire_the_captured_custom_events()
    {
        using var h = new SwitchHarness();
        Assert.True(await h.Switch.LoginAsync("1000", "1234", CancellationToken.None));
        h.Switch.Logout("1000");
        var ours = h.Events.Where(e => e.Name == "CUSTOM").ToList();
        var captured = CaptureStream.Events("verto-login");
        Assert.Equal(captured.Count, ours.Count);
        for (var i = 0; i < captured.Count; i++)
        {
            CaptureCompare.SameShape(captured[i], ours[i], "verto-login");
            Assert.Equal(captured[i].Get("Event-Calling-Function"), ours[i].Get("Event-Calling-Function"));
            Assert.Equal(captured[i].Get("verto_success"), ours[i].Get("verto_success"));
        }
    }

    [Fact]
    public async Task Verto_login_with_wrong_password_matches_verto_login_fail_capture()
    {
        using var h = new SwitchHarness();
        Assert.False(await h.Switch.LoginAsync("1000", "wrong", CancellationToken.None));
        h.Switch.Logout("1000");
        var ours = h.Events.Where(e => e.Name == "CUSTOM").ToList();
        var captured = CaptureStream.Events("verto-login-fail");
        Assert.Equal(captured.Count, ours.Count);
        for (var i = 0; i < captured.Count; i++)
        {
            CaptureCompare.SameShape(captured[i], ours[i], "verto-login-fail");
        }
        Assert.Equal("Authentication Failure", ours[1].Get("verto_result_txt"));
        Assert.Throws<InvalidOperationException>(() => h.Switch.PlaceCall("1000", "room-x"));
    }

    [Fact]
    public async Task Originate_to_a_verto_user_matches_verto_ring_user_capture()
    {
        using var h = new SwitchHarness();
        Assert.True(await h.Switch.LoginAsync("1001", "1234", CancellationToken.None));
        var refused = await h.Switch.ExecuteApiAsync("originate", $"{{origination_uuid={Guid.NewGuid()}}}${{verto_contact(1001@127.0.0.1)}} &park()", CancellationToken.None);
        Assert.Equal("-ERR CHAN_NOT_IMPLEMENTED\n", refused);
        var b = Guid.NewGuid().ToString();
        var result = h.Switch.ExecuteApiAsync("expand", $"originate {{origination_uuid={b}}}${{verto_contact(1001@127.0.0.1)}} &park()", CancellationToken.None);
        h.Advance(2000);
        Assert.False(result.IsCompleted);
        h.Switch.Answer(b);
        Assert.Equal($"+OK {b}\n", await result.WaitAsync(TimeSpan.FromSeconds(10)));
        h.Advance(3000);
        Assert.Equal("+OK\n", h.Api("uuid_kill", b));

        const string cap = "e03dc65a-118c-4cba-b55a-a4b3556f9cb6";
        // Real FreeSWITCH also reports the video codecs (4 CODEC events); the simulator negotiates audio only.
        var expected = CaptureCompare.CapturedNames("verto-ring-user", cap);
        expected.RemoveAt(expected.IndexOf("CODEC"));
        expected.RemoveAt(expected.IndexOf("CODEC"));
        CaptureCompare.SameSequence(expected, h.NamesOf(b), "verto callee");
        CaptureCompare.SameHangup(CaptureCompare.CapturedLast("verto-ring-user", cap, "CHANNEL_HANGUP_COMPLETE"), h.Last(b, "CHANNEL_HANGUP_COMPLETE"), "verto callee");
    }
}
