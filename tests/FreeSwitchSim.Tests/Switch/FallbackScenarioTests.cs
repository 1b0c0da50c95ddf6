namespace FreeSwitchSim.Tests.Switch;

/// <summary>The bridge-to-carrier scenarios, driven as the capture's client drove real FreeSWITCH.</summary>
public sealed class FallbackScenarioTests
{
    private static string BridgeArg(string b, string room, string gateway, string extra = "") =>
        $"{{origination_uuid={b},ignore_early_media=false,x_call_id=c-{room},room_id={room},origination_caller_id_number=+15551110000,hangup_after_bridge=true{extra}}}sofia/gateway/{gateway}/+15552220001";

    [Fact]
    public void Bridge_to_busy_carrier_matches_fallback_busy_capture()
    {
        using var h = new SwitchHarness();
        var a = h.Switch.PlaceSipCall("alice", "Alice", "room-f3");
        var b = Guid.NewGuid().ToString();
        Assert.Equal("+OK", h.Execute(a, "bridge", BridgeArg(b, "f3", "carrier_busy"), Guid.NewGuid().ToString()));
        h.Advance(2000);

        Compare(h, "fallback-busy", a, "171e844b-7260-4351-a2ee-7fc407572567", b, "f12e6418-3253-4889-9da7-307ec026d591");
    }

    [Fact]
    public void Bridge_to_answering_carrier_matches_fallback_answer_capture()
    {
        using var h = new SwitchHarness();
        var a = h.Switch.PlaceSipCall("alice", "Alice", "room-f1");
        var b = Guid.NewGuid().ToString();
        h.Execute(a, "bridge", BridgeArg(b, "f1", "carrier"), Guid.NewGuid().ToString());
        h.Advance(1500);
        Assert.Equal($"+OK {b} sent DTMF 1234#@250.\n", h.Api("uuid_send_dtmf", $"{b} 1234#@250"));
        var wav = Path.Combine(h.Options.RecordingsDir, "f1.wav");
        Assert.Equal("+OK Success\n", h.Api("uuid_record", $"{a} start {wav}"));
        h.Advance(1500);
        Assert.Equal("+OK Success\n", h.Api("uuid_record", $"{a} stop {wav}"));
        Assert.Equal("+OK\n", h.Api("uuid_kill", $"{b} NORMAL_CLEARING"));
        h.Advance(100);
        Assert.Equal("+OK\n", h.Api("uuid_kill", a));

        Compare(h, "fallback-answer", a, "89b67870-cb1f-4c3a-8265-f6e6a85ef05d", b, "a4bcffd2-ec09-4543-b715-d01e7d4ed10b");
    }

    [Fact]
    public void Bridge_to_early_media_carrier_matches_fallback_early_media_capture()
    {
        using var h = new SwitchHarness();
        var a = h.Switch.PlaceSipCall("alice", "Alice", "room-f2");
        var b = Guid.NewGuid().ToString();
        h.Execute(a, "bridge", BridgeArg(b, "f2", "carrier_early"), Guid.NewGuid().ToString());
        h.Advance(3000);
        h.Api("uuid_send_dtmf", $"{b} 1234#@250");
        var wav = Path.Combine(h.Options.RecordingsDir, "f2.wav");
        h.Api("uuid_record", $"{a} start {wav}");
        h.Advance(1500);
        h.Api("uuid_record", $"{a} stop {wav}");
        h.Api("uuid_kill", $"{b} NORMAL_CLEARING");
        h.Advance(100);
        h.Api("uuid_kill", a);

        Compare(h, "fallback-early-media", a, "ecb77e53-b7cc-415d-9965-503949d9c831", b, "cd8ca7f0-a476-454a-95f1-1812e7cae4b6");
    }

    [Fact]
    public void Bridge_to_unanswered_carrier_times_out_as_fallback_noanswer_capture()
    {
        using var h = new SwitchHarness();
        var a = h.Switch.PlaceSipCall("alice", "Alice", "room-f4");
        var b = Guid.NewGuid().ToString();
        h.Execute(a, "bridge", BridgeArg(b, "f4", "carrier_noanswer", ",originate_timeout=5"), Guid.NewGuid().ToString());
        h.Advance(6000);
        Assert.True(h.Switch.ChannelExists(a), "NO_ANSWER must not hang the caller up (switch_channel_handle_cause)");
        var hangup = new List<KeyValuePair<string, string>> { new("call-command", "hangup"), new("hangup-cause", "NO_ANSWER") };
        Assert.Equal("+OK", h.Switch.SendMessage(a, hangup, null));

        Compare(h, "fallback-noanswer", a, "d401a953-0f7a-40c2-a890-b413dcf0ca39", b, "de7a2a85-b39f-4bb6-b3de-ef98be94e376");
    }

    [Fact]
    public void Caller_hanging_up_while_carrier_rings_matches_caller_cancel_capture()
    {
        using var h = new SwitchHarness();
        var a = h.Switch.PlaceSipCall("alice", "Alice", "room-f9");
        var b = Guid.NewGuid().ToString();
        h.Execute(a, "bridge", BridgeArg(b, "f9", "carrier_noanswer", ",originate_timeout=30"), Guid.NewGuid().ToString());
        h.Advance(500);
        h.Switch.Hangup(a);
        h.Advance(100);

        Compare(h, "caller-cancel", a, "0fdaa7f4-e7b8-4231-9b54-795596d96301", b, "7b487862-963b-40e3-a615-49d7bcc13d7f");
    }

    private static void Compare(SwitchHarness h, string scenario, string a, string capturedA, string b, string capturedB)
    {
        CaptureCompare.SameSequence(CaptureCompare.CapturedNames(scenario, capturedA), h.NamesOf(a), "caller leg");
        CaptureCompare.SameSequence(CaptureCompare.CapturedNames(scenario, capturedB), h.NamesOf(b), "carrier leg");
        CaptureCompare.SameHangup(CaptureCompare.CapturedLast(scenario, capturedA, "CHANNEL_HANGUP_COMPLETE"), h.Last(a, "CHANNEL_HANGUP_COMPLETE"), "caller leg");
        CaptureCompare.SameHangup(CaptureCompare.CapturedLast(scenario, capturedB, "CHANNEL_HANGUP_COMPLETE"), h.Last(b, "CHANNEL_HANGUP_COMPLETE"), "carrier leg");
        Assert.Empty(h.Switch.Channels());
    }
}
