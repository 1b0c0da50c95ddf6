using CallControl.Tests.Scenarios;

namespace CallControl.Tests.Dtmf;

/// <summary>Digits a party presses (FreeSWITCH DTMF events) land in call_dtmf.</summary>
[Collection(RoomWorldGroup.Name)]
public sealed class DtmfPressTests(RoomWorld world)
{
    [Fact]
    public async Task Pressed_digits_are_recorded_masked_per_leg_with_duration_in_ms()
    {
        var call = await world.AnsweredAppCallAsync("+15551140001");

        world.Sim.Switch.PressDigits(call.CallerLeg, "42#");
        world.Sim.Switch.PressDigits(call.CalleeLeg, "7");

        var rows = await world.DtmfRowsAsync(call.Room.CallId, 4);
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal(("pressed", "•"), (r.Source, r.Digit)));
        // The simulator's pressed digit is FreeSWITCH's default: DTMF-Duration 2000 samples at 8 kHz.
        Assert.All(rows, r => Assert.Equal(250, r.DurationMs));
        Assert.Equal(3, rows.Count(r => r.Role == "caller" && r.LegUuid == Guid.Parse(call.CallerLeg)));
        Assert.Single(rows, r => r.Role == "callee" && r.LegUuid == Guid.Parse(call.CalleeLeg));
        world.Sim.Switch.Hangup(call.CallerLeg);
    }
}
