using FreeSwitchSim.Tests.Support;

namespace FreeSwitchSim.Tests.Switch;

/// <summary>mod_conference as the conference capture shows it.</summary>
public sealed class ConferenceTests
{
    [Fact]
    public void Conference_api_and_events_match_the_conference_capture()
    {
        using var h = new SwitchHarness();
        var alice = h.Switch.PlaceSipCall("alice", "Alice", "conf-c1");
        var bob = h.Switch.PlaceSipCall("bob", "Bob", "conf-c1");
        h.Advance(1000);
        var captured = CaptureStream.ApiResponses("conference");
        const string capAlice = "e56423ec-b18d-422d-9b92-fda69649d9a6", capBob = "26b78eb2-fd71-4135-915e-7e781655fd14";
        Assert.Equal(captured[0].Replace(capAlice, alice, StringComparison.Ordinal).Replace(capBob, bob, StringComparison.Ordinal), h.Api("conference", "c1 list"));
        var json = h.Api("conference", "c1 json_list");
        var conferenceUuid = h.Events.First(e => e.Subclass == "conference::maintenance").Get("Conference-Unique-ID")!;
        var capturedUuid = CaptureStream.Events("conference").First(e => e.Get("Conference-Unique-ID") is not null).Get("Conference-Unique-ID")!;
        Assert.Equal(captured[1].Replace(capAlice, alice, StringComparison.Ordinal).Replace(capBob, bob, StringComparison.Ordinal).Replace(capturedUuid, conferenceUuid, StringComparison.Ordinal), json);
        Assert.Equal(captured[2], h.Api("conference", "c1 mute 2"));
        Assert.Equal(captured[3], h.Api("conference", "c1 hup all"));
        Assert.Empty(h.Switch.Channels());

        static bool Modelled(string? action) => action is not ("play-file" or "play-file-done" or "floor-change");
        var ours = h.Events.Where(e => e.Subclass == "conference::maintenance" && Modelled(e.Get("Action"))).ToList();
        var theirs = CaptureStream.Events("conference").Where(e => e.Get("Event-Subclass") == "conference::maintenance" && Modelled(e.Get("Action"))).ToList();
        Assert.Equal(theirs.Select(e => e.Get("Action")), ours.Select(e => e.Get("Action")));
        for (var i = 0; i < theirs.Count; i++)
        {
            CaptureCompare.SameShape(theirs[i], ours[i], "conference::maintenance " + theirs[i].Get("Action"));
        }
    }
}
