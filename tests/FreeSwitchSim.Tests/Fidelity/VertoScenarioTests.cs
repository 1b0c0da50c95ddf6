using static FreeSwitchSim.Tests.Fidelity.KnownGaps;
using static FreeSwitchSim.Tests.Fidelity.Scenario;

namespace FreeSwitchSim.Tests.Fidelity;

/// <summary>The browser (verto) scenarios replayed over a real Event Socket connection and compared with the
/// captures. The browsers' actions (login, invite, DTMF, bye, closing the WebSocket) go through SimSwitch.</summary>
public sealed class VertoScenarioTests
{
    private static Func<WireEvent, bool> Disconnect(string user) => e => e.Subclass == "verto::client_disconnect" && e.Get("verto_login") == user;

    [Fact]
    public async Task Verto_room_call_replay_matches_capture()
    {
        const string a = "781e556b-3b95-4045-be4a-774b373467d9";
        await ReplayAsync("verto-room-call", t =>
        [
            At(t, Custom("verto::client_connect"), async r => Assert.True(await r.Switch.LoginAsync("1000", "1234", CancellationToken.None))),
            At(t, e => e.UniqueId == a, r => r.Switch.PlaceCall("1000", "room-v1")),
            At(t, Named("DTMF", a), r => r.Switch.PressDigits(r.SimUuid(0), "3")),
            At(t, Named("CHANNEL_HANGUP", a), r => r.Switch.Hangup(r.SimUuid(0))),
            At(t, Custom("verto::client_disconnect"), r => r.Switch.Logout("1000")),
        ], [HangupTimeEarly, PresenceLogin]);
    }

    [Fact]
    public async Task Verto_two_party_replay_matches_capture()
    {
        const string a = "f4e643fa-2cf9-4a14-a0b9-b12561d33abd", b = "64b5f4e1-3e58-4549-99fe-5df5e9236cab";
        await ReplayAsync("verto-two-party", t =>
        [
            At(t, Custom("verto::client_connect"), async r => Assert.True(await r.Switch.LoginAsync("1000", "1234", CancellationToken.None))),
            At(t, Custom("verto::client_connect"), async r => Assert.True(await r.Switch.LoginAsync("1001", "1234", CancellationToken.None)), occurrence: 2),
            At(t, e => e.UniqueId == a, r => r.Switch.PlaceCall("1000", "room-v2")),
            At(t, e => e.UniqueId == b, r => r.Switch.PlaceCall("1001", "room-v2")),
            At(t, Disconnect("1000@127.0.0.1"), r => r.Switch.Logout("1000")),
            At(t, Disconnect("1001@127.0.0.1"), r => r.Switch.Logout("1001")),
        ], [HangupTimeEarly, OtherLegBridgedTimeFilled, OtherLegHangupTimeFilled, PresenceLogin, .. VertoOtherLegIds]);
    }
}
