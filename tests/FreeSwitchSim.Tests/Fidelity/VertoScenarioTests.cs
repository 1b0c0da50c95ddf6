using Xunit.Abstractions;
using static FreeSwitchSim.Tests.Fidelity.KnownGaps;
using static FreeSwitchSim.Tests.Fidelity.Scenario;

namespace FreeSwitchSim.Tests.Fidelity;

/// <summary>The browser (verto) scenarios replayed over a real Event Socket connection and compared with the
/// captures. The browsers' actions (login, invite, DTMF, bye, closing the WebSocket) go through SimSwitch.</summary>
public sealed class VertoScenarioTests(ITestOutputHelper output)
{
    private static Func<WireEvent, bool> Disconnect(string user) => e => e.Subclass == "verto::client_disconnect" && e.Get("verto_login") == user;

    [Fact]
    public async Task Verto_room_call_replay_matches_capture()
    {
        const string a = "781e556b-3b95-4045-be4a-774b373467d9";
        await ReplayAsync(output, "verto-room-call", t =>
        [
            At(t, Custom("verto::client_connect"), async r => Assert.True(await r.Switch.LoginAsync("1000", "1234", CancellationToken.None))),
            At(t, e => e.UniqueId == a, r => r.Switch.PlaceCall("1000", "room-v1")),
            At(t, Named("DTMF", a), r => r.Switch.PressDigits(r.SimUuid(0), "3")),
            At(t, Named("CHANNEL_HANGUP", a), r => r.Switch.Hangup(r.SimUuid(0))),
            At(t, Custom("verto::client_disconnect"), r => r.Switch.Logout("1000")),
        ], [PresenceLogin]);
    }

    [Fact]
    public async Task Verto_two_party_replay_matches_capture()
    {
        const string a = "f4e643fa-2cf9-4a14-a0b9-b12561d33abd", b = "64b5f4e1-3e58-4549-99fe-5df5e9236cab";
        await ReplayAsync(output, "verto-two-party", t =>
        [
            At(t, Custom("verto::client_connect"), async r => Assert.True(await r.Switch.LoginAsync("1000", "1234", CancellationToken.None))),
            At(t, Custom("verto::client_connect"), async r => Assert.True(await r.Switch.LoginAsync("1001", "1234", CancellationToken.None)), occurrence: 2),
            At(t, e => e.UniqueId == a, r => r.Switch.PlaceCall("1000", "room-v2")),
            At(t, e => e.UniqueId == b, r => r.Switch.PlaceCall("1001", "room-v2")),
            At(t, Disconnect("1000@127.0.0.1"), r => r.Switch.Logout("1000")),
            At(t, Disconnect("1001@127.0.0.1"), r => r.Switch.Logout("1001")),
        ], [OtherLegBridgedTimeFilled, OtherLegHangupTimeFilled, PresenceLogin, .. VertoOtherLegIds]);
    }

    [Fact]
    public async Task Verto_login_replay_matches_capture()
    {
        await ReplayAsync(output, "verto-login", t =>
        [
            At(t, Custom("verto::client_connect"), async r => Assert.True(await r.Switch.LoginAsync("1000", "1234", CancellationToken.None))),
            At(t, Custom("verto::client_disconnect"), r => r.Switch.Logout("1000")),
        ]);
    }

    [Fact]
    public async Task Verto_login_fail_replay_matches_capture()
    {
        await ReplayAsync(output, "verto-login-fail", t =>
        [
            At(t, Custom("verto::client_connect"), async r => Assert.False(await r.Switch.LoginAsync("1000", "wrong", CancellationToken.None))),
            At(t, Custom("verto::client_disconnect"), r => r.Switch.Logout("1000")),
        ]);
    }

    /// <summary>What differs when originate rings a verto user (found by this test, not fixed).</summary>
    private static readonly string[] VertoCalleeGaps =
    [
        // FIDELITY.md: verto outbound legs emit 2 CODEC events (audio), real ones 4 (audio and video).
        "leg0 order: captured CHANNEL_OUTGOING CHANNEL_OUTGOING CHANNEL_STATE CHANNEL_PROGRESS CHANNEL_CALLSTATE CHANNEL_CREATE CHANNEL_ORIGINATE CHANNEL_STATE PRESENCE_IN CHANNEL_STATE CODEC CODEC CODEC CODEC CHANNEL_ANSWER PRESENCE_IN CHANNEL_CALLSTATE CALL_UPDATE CHANNEL_STATE CHANNEL_EXECUTE CHANNEL_PARK CHANNEL_HANGUP CHANNEL_UNPARK CHANNEL_EXECUTE_COMPLETE CHANNEL_STATE CHANNEL_CALLSTATE PRESENCE_IN CHANNEL_STATE CHANNEL_HANGUP_COMPLETE CHANNEL_DESTROY CHANNEL_STATE | simulated CHANNEL_OUTGOING CHANNEL_OUTGOING CHANNEL_STATE CHANNEL_PROGRESS CHANNEL_CALLSTATE CHANNEL_CREATE CHANNEL_ORIGINATE CHANNEL_STATE PRESENCE_IN CHANNEL_STATE CODEC CODEC CHANNEL_ANSWER PRESENCE_IN CHANNEL_CALLSTATE CALL_UPDATE CHANNEL_STATE CHANNEL_EXECUTE CHANNEL_PARK CHANNEL_HANGUP CHANNEL_UNPARK CHANNEL_EXECUTE_COMPLETE CHANNEL_STATE CHANNEL_CALLSTATE PRESENCE_IN CHANNEL_STATE CHANNEL_HANGUP_COMPLETE CHANNEL_DESTROY CHANNEL_STATE",
        // FIDELITY.md: the sim fires API before running the command; FreeSWITCH's BACKGROUND_JOB of the refused
        // originate came before the API event of the next bgapi (dispatch threads).
        "events without a channel: captured CUSTOM verto::client_connect CUSTOM verto::login API API BACKGROUND_JOB API API BACKGROUND_JOB API CUSTOM verto::client_disconnect | simulated CUSTOM verto::client_connect CUSTOM verto::login API BACKGROUND_JOB API API API BACKGROUND_JOB API CUSTOM verto::client_disconnect",
        // `expand originate`: FreeSWITCH's API event carries API-Command / API-Command-Argument twice (expand,
        // then the expanded originate); the sim's once.
        "API header order: captured Event-Name,Core-UUID,FreeSWITCH-Hostname,FreeSWITCH-Switchname,FreeSWITCH-IPv4,FreeSWITCH-IPv6,Event-Date-Local,Event-Date-GMT,Event-Date-Timestamp,Event-Calling-File,Event-Calling-Function,Event-Calling-Line-Number,Event-Sequence,API-Command,API-Command-Argument,API-Command,API-Command-Argument simulated Event-Name,Core-UUID,FreeSWITCH-Hostname,FreeSWITCH-Switchname,FreeSWITCH-IPv4,FreeSWITCH-IPv6,Event-Date-Local,Event-Date-GMT,Event-Date-Timestamp,Event-Calling-File,Event-Calling-Function,Event-Calling-Line-Number,Event-Sequence,API-Command,API-Command-Argument",
        // The outbound verto leg's caller profile: FreeSWITCH has Caller-Callee-ID-Number = a UUID and
        // a numeric Caller-Caller-ID-Number ("0000000000"), CHANNEL_OUTGOING without Channel-Presence-ID and
        // Caller-Channel-Name; the sim's values are text and it sends those headers.
        "* Caller-Callee-ID-Number: *",
        "* Caller-Caller-ID-Number: *",
        "* header Channel-Presence-ID: extra",
        "CHANNEL_OUTGOING header Caller-Channel-Name: extra",
    ];

    [Fact]
    public async Task Verto_ring_user_replay_matches_capture()
    {
        const string b = "e03dc65a-118c-4cba-b55a-a4b3556f9cb6";
        await ReplayAsync(output, "verto-ring-user", t =>
        [
            At(t, Custom("verto::client_connect"), async r => Assert.True(await r.Switch.LoginAsync("1001", "1234", CancellationToken.None))),
            // The page answers the verto.invite FreeSWITCH sent it (2 s later in the capture).
            At(t, Named("CHANNEL_ANSWER", b), r => r.Switch.Answer(b)),
            At(t, Custom("verto::client_disconnect"), r => r.Switch.Logout("1001")),
        ], [PresenceLogin, .. VertoCalleeGaps]);
    }
}
