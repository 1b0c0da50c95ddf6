using Xunit.Abstractions;
using static FreeSwitchSim.Tests.Fidelity.KnownGaps;
using static FreeSwitchSim.Tests.Fidelity.Scenario;

namespace FreeSwitchSim.Tests.Fidelity;

/// <summary>The SIP scenarios replayed over a real Event Socket connection and compared with the captures.</summary>
public sealed class SipScenarioTests(ITestOutputHelper output)
{
    [Fact]
    public async Task App_to_app_replay_matches_capture()
    {
        const string a = "61d34001-2f0c-4002-9cf5-0a7c8243e39c", b = "3077311f-781b-4220-998b-3fb97cc2646c";
        await ReplayAsync(output, "app-to-app", t =>
        [
            SipCaller(t, a, "alice", "Alice", "room-a1"),
            SipCaller(t, b, "bob", "Bob", "room-a1"),
        ], [OtherLegBridgedTimeFilled, OtherLegHangupTimeFilled]);
    }

    [Fact]
    public async Task Fallback_answer_replay_matches_capture() =>
        await ReplayAsync(output, "fallback-answer", t => [SipCaller(t, "89b67870-cb1f-4c3a-8265-f6e6a85ef05d", "alice", "Alice", "room-f1")],
            [OtherLegBridgedTimeFilled, OtherLegHangupTimeFilled, OtherLegProgressTimeZero, SentCalleeNumberPlain]);

    [Fact]
    public async Task Fallback_busy_replay_matches_capture() =>
        await ReplayAsync(output, "fallback-busy", t => [SipCaller(t, "171e844b-7260-4351-a2ee-7fc407572567", "alice", "Alice", "room-f3")],
            [CalleeIdKeptAfterBusy]);

    [Fact]
    public async Task Fallback_early_media_replay_matches_capture() =>
        await ReplayAsync(output, "fallback-early-media", t => [SipCaller(t, "ecb77e53-b7cc-415d-9965-503949d9c831", "alice", "Alice", "room-f2")],
            [OtherLegBridgedTimeFilled, OtherLegHangupTimeFilled, OtherLegAnsweredTimeFilled, OtherLegProgressMediaTimeZero,
                "CODEC Caller-Channel-Progress-Media-Time: format captured usec simulated int", SentCalleeNumberPlain]);

    [Fact]
    public async Task Fallback_noanswer_replay_matches_capture() =>
        await ReplayAsync(output, "fallback-noanswer", t => [SipCaller(t, "d401a953-0f7a-40c2-a890-b413dcf0ca39", "alice", "Alice", "room-f4")],
            [OtherLegProgressTimeZero]);

    [Fact]
    public async Task Caller_cancel_replay_matches_capture()
    {
        const string a = "0fdaa7f4-e7b8-4231-9b54-795596d96301";
        await ReplayAsync(output, "caller-cancel", t =>
        [
            SipCaller(t, a, "alice", "Alice", "room-f9"),
            // The caller hangs up (a SIP CANCEL/BYE, not an ESL command) while the carrier still rings.
            At(t, Named("CHANNEL_HANGUP", a), r => r.Switch.Hangup(a)),
        ], [OtherLegProgressTimeZero]);
    }

    [Fact]
    public async Task Originate_replay_matches_capture() =>
        await ReplayAsync(output, "originate", _ => [], [OriginateNoNetworkAddr]);

    [Fact]
    public async Task Non_ascii_replay_matches_capture() =>
        await ReplayAsync(output, "non-ascii", t => [SipCaller(t, "dc7a8cdf-a2a0-4fce-8ec0-8349c63958ac", "zoe", "Zoë 测试", "room-n1")]);

    [Fact]
    public async Task Conference_replay_matches_capture()
    {
        await ReplayAsync(output, "conference", t =>
        [
            SipCaller(t, "e56423ec-b18d-422d-9b92-fda69649d9a6", "alice", "Alice", "conf-c1"),
            SipCaller(t, "26b78eb2-fd71-4135-915e-7e781655fd14", "bob", "Bob", "conf-c1"),
        ]);
    }

    [Fact]
    public async Task Commands_replay_matches_capture() =>
        await ReplayAsync(output, "commands", _ => []);
}
