using CallControl.Calls;
using CallControl.Calls.Dtmf;

namespace CallControl.Tests.Dtmf;

/// <summary>The pure parts: validation and which leg is which party.</summary>
public sealed class DtmfValidationTests
{
    [Theory]
    [InlineData("0123456789*#ABCDwW", 40, "caller")]
    [InlineData("1", 2000, "callee")]
    public void Validate_accepts_every_dtmf_symbol_and_the_duration_bounds(string digits, int duration, string leg)
    {
        var (send, field, _) = DtmfValidation.Validate(new DtmfRequest(digits, duration, leg));

        Assert.Null(field);
        Assert.Equal(new DtmfSend(digits, duration, leg == "caller" ? DtmfTarget.Caller : DtmfTarget.Callee), send);
    }

    [Fact]
    public void Validate_without_duration_uses_200_ms() =>
        Assert.Equal(200, DtmfValidation.Validate(new DtmfRequest("1", null, "callee")).Send!.DurationMs);

    [Theory]
    [InlineData(null, 200, "callee", "digits")]
    [InlineData("1\r\n", 200, "callee", "digits")]
    [InlineData("e", 200, "callee", "digits")]
    [InlineData("1", 0, "callee", "durationMs")]
    [InlineData("1", 200, "Callee", "leg")]
    public void Validate_rejects_and_names_the_field(string? digits, int duration, string? leg, string field)
    {
        var (send, named, detail) = DtmfValidation.Validate(new DtmfRequest(digits, duration, leg));

        Assert.Null(send);
        Assert.Equal(field, named);
        Assert.False(string.IsNullOrEmpty(detail));
    }

    [Fact]
    public void LegFor_callee_is_the_carrier_leg_when_answered_via_pstn()
    {
        var setup = new CallSetup(Guid.NewGuid(), "r", "a", "b", "+15550000000", true, CallMedia.Audio, false,
            FallbackPolicy.Default, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), "pstn-leg");
        var app = new CallState { Setup = setup, CallerLegUuid = "caller-leg", CalleeLegUuid = "callee-leg", AnsweredVia = AnsweredVia.App };
        var pstn = app with { CalleeLegUuid = null, AnsweredVia = AnsweredVia.Pstn, PstnDialed = true };

        Assert.Equal("callee-leg", DtmfLegs.LegFor(app, DtmfTarget.Callee));
        Assert.Equal("pstn-leg", DtmfLegs.LegFor(pstn, DtmfTarget.Callee));
        Assert.Equal("caller-leg", DtmfLegs.LegFor(pstn, DtmfTarget.Caller));
        Assert.Equal("pstn", DtmfLegs.RoleOf(pstn, "PSTN-LEG"));
        Assert.Null(DtmfLegs.RoleOf(app, "pstn-leg"));
    }
}
