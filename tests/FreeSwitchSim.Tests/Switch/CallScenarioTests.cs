using FreeSwitchSim.Tests.Support;

namespace FreeSwitchSim.Tests.Switch;

/// <summary>Two-leg and originate scenarios replayed in-process and compared with the captures.</summary>
public sealed class CallScenarioTests
{
    [Fact]
    public void Two_sip_callers_bridged_by_uuid_bridge_match_app_to_app_capture()
    {
        using var h = new SwitchHarness();
        var a = h.Switch.PlaceSipCall("alice", "Alice", "room-a1");
        var b = h.Switch.PlaceSipCall("bob", "Bob", "room-a1");
        Assert.Equal("-ERR Invalid uuid\n", h.Api("uuid_bridge", $"{a} {b}"));
        Assert.Equal("+OK\n", h.Api("uuid_setvar", $"{a} x_call_id c-a1"));
        Assert.Equal("+OK\n", h.Api("uuid_setvar", $"{b} x_call_id c-a1"));
        Assert.Equal("+OK\n", h.Api("uuid_answer", b));
        Assert.Equal("+OK\n", h.Api("uuid_answer", a));
        Assert.Equal($"+OK {b}\n", h.Api("uuid_bridge", $"{a} {b}"));
        h.Api("uuid_setvar", $"{a} RECORD_STEREO true");
        var wav = Path.Combine(h.Options.RecordingsDir, "a1.wav");
        Assert.Equal("+OK Success\n", h.Api("uuid_record", $"{a} start {wav}"));
        Assert.Equal($"+OK {b} received DTMF 42#.\n", h.Api("uuid_recv_dtmf", $"{b} 42#"));
        Assert.Equal($"+OK {b} sent DTMF 1234@300.\n", h.Api("uuid_send_dtmf", $"{b} 1234@300"));
        h.Advance(3500);
        Assert.Equal("+OK Success\n", h.Api("uuid_record", $"{a} stop {wav}"));
        var dump = h.Api("uuid_dump", a);
        Assert.StartsWith("Event-Name: CHANNEL_DATA\n", dump, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", dump, StringComparison.Ordinal);
        Assert.Equal("+OK\n", h.Api("uuid_kill", $"{b} NORMAL_CLEARING"));

        const string capA = "61d34001-2f0c-4002-9cf5-0a7c8243e39c", capB = "3077311f-781b-4220-998b-3fb97cc2646c";
        CaptureCompare.SameSequence(CaptureCompare.CapturedNames("app-to-app", capA), h.NamesOf(a), "caller");
        CaptureCompare.SameSequence(CaptureCompare.CapturedNames("app-to-app", capB), h.NamesOf(b), "callee");
        CaptureCompare.SameHangup(CaptureCompare.CapturedLast("app-to-app", capA, "CHANNEL_HANGUP_COMPLETE"), h.Last(a, "CHANNEL_HANGUP_COMPLETE"), "caller");
        CaptureCompare.SameHangup(CaptureCompare.CapturedLast("app-to-app", capB, "CHANNEL_HANGUP_COMPLETE"), h.Last(b, "CHANNEL_HANGUP_COMPLETE"), "callee");
        var dtmf = h.Events.Where(e => e.UniqueId == b && e.Name == "DTMF").Select(e => e.Get("DTMF-Digit")).ToArray();
        Assert.Equal(new string?[] { "4", "2", "#" }, dtmf);
    }

    [Fact]
    public async Task Originate_api_matches_originate_capture()
    {
        using var h = new SwitchHarness();
        var o1 = Guid.NewGuid().ToString();
        var answered = h.Switch.ExecuteApiAsync("originate", $"{{origination_uuid={o1},x_call_id=c-o1,originate_timeout=15}}sofia/gateway/carrier/+15552220001 &park()", CancellationToken.None);
        h.Advance(1500);
        Assert.Equal($"+OK {o1}\n", await answered.WaitAsync(TimeSpan.FromSeconds(10)));
        var busy = h.Switch.ExecuteApiAsync("originate", "{x_call_id=c-o2}sofia/gateway/carrier_busy/+15552220002 &park()", CancellationToken.None);
        h.Advance(1000);
        Assert.Equal("-ERR USER_BUSY\n", await busy.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("c-o1", h.Api("uuid_getvar", $"{o1} x_call_id"));
        Assert.Equal("+OK\n", h.Api("uuid_setvar", $"{o1} note 100%41 done"));
        Assert.Equal("100%41 done", h.Api("uuid_getvar", $"{o1} note"));
        Assert.Equal("_undef_", h.Api("uuid_getvar", $"{o1} nosuchvariable"));
        Assert.Equal("+OK\n", h.Api("uuid_kill", o1));

        const string capO1 = "1670bdc0-84a1-473c-8bdd-4f9e80f73e65", capO2 = "96662c65-3a4e-4f36-9f54-55140f7c6468";
        CaptureCompare.SameSequence(CaptureCompare.CapturedNames("originate", capO1), h.NamesOf(o1), "answered leg");
        var o2 = h.Events.First(e => e.Name == "CHANNEL_CREATE" && e.Get("Caller-Destination-Number") == "+15552220002").UniqueId!;
        CaptureCompare.SameSequence(CaptureCompare.CapturedNames("originate", capO2), h.NamesOf(o2), "busy leg");
        CaptureCompare.SameHangup(CaptureCompare.CapturedLast("originate", capO2, "CHANNEL_HANGUP_COMPLETE"), h.Last(o2, "CHANNEL_HANGUP_COMPLETE"), "busy leg");
    }

    [Fact]
    public async Task Show_channels_as_json_has_the_captured_columns_in_order()
    {
        using var h = new SwitchHarness();
        Assert.Equal("{\"row_count\": 0}\n", h.Api("show", "channels as json"));
        var o1 = Guid.NewGuid().ToString();
        var answered = h.Switch.ExecuteApiAsync("originate", $"{{origination_uuid={o1}}}sofia/gateway/carrier/+15552220001 &park()", CancellationToken.None);
        h.Advance(1500);
        Assert.StartsWith("+OK", await answered.WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
        foreach (var (args, index) in new[] { ("channels as json", 0), ("calls as json", 1) })
        {
            var captured = System.Text.Json.JsonDocument.Parse(CaptureStream.ApiResponses("originate")[index]).RootElement.GetProperty("rows")[0];
            var ours = System.Text.Json.JsonDocument.Parse(h.Api("show", args)).RootElement;
            Assert.Equal(1, ours.GetProperty("row_count").GetInt32());
            var row = ours.GetProperty("rows")[0];
            Assert.Equal(captured.EnumerateObject().Select(p => p.Name), row.EnumerateObject().Select(p => p.Name));
            // After the answer of an API originate the caller id is flipped, as the capture shows.
            Assert.Equal(captured.GetProperty("cid_name").GetString(), row.GetProperty("cid_name").GetString());
            Assert.Equal(captured.GetProperty("callee_direction").GetString(), row.GetProperty("callee_direction").GetString());
            Assert.Equal(o1, row.GetProperty("uuid").GetString());
        }
    }

    [Fact]
    public void Uuid_dump_json_of_non_ascii_caller_matches_non_ascii_capture_shape()
    {
        using var h = new SwitchHarness();
        var a = h.Switch.PlaceSipCall("zoe", "Zoë 测试", "room-n1");
        Assert.Equal("+OK\n", h.Api("uuid_setvar", $"{a} note 50%25 café %zz"));
        var ours = System.Text.Json.JsonDocument.Parse(h.Api("uuid_dump", $"{a} json")).RootElement;
        var captured = System.Text.Json.JsonDocument.Parse(CaptureStream.ApiResponses("non-ascii")[1]).RootElement;
        Assert.Equal("50%25 café %zz", ours.GetProperty("variable_note").GetString());
        Assert.Equal("Zoë 测试", ours.GetProperty("Caller-Caller-ID-Name").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Array, ours.GetProperty("variable_DP_MATCH").ValueKind);
        var capturedNames = captured.EnumerateObject().Select(p => p.Name).Where(n => !n.StartsWith("variable_", StringComparison.Ordinal));
        var ourNames = ours.EnumerateObject().Select(p => p.Name).Where(n => !n.StartsWith("variable_", StringComparison.Ordinal));
        Assert.Equal(capturedNames, ourNames);
        Assert.Equal("+OK\n", h.Api("uuid_kill", $"{a} CALL_REJECTED"));
        const string capA = "dc7a8cdf-a2a0-4fce-8ec0-8349c63958ac";
        CaptureCompare.SameHangup(CaptureCompare.CapturedLast("non-ascii", capA, "CHANNEL_HANGUP_COMPLETE"), h.Last(a, "CHANNEL_HANGUP_COMPLETE"), "caller");
    }
}
