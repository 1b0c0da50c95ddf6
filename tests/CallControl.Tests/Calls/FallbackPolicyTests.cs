using CallControl.Calls;

namespace CallControl.Tests.Calls;

public sealed class FallbackPolicyTests
{
    [Theory]
    [InlineData(FallbackReason.Offline, true)]
    [InlineData(FallbackReason.NoAnswer, true)]
    [InlineData(FallbackReason.AppFailure, true)]
    [InlineData(FallbackReason.Busy, false)]
    [InlineData(FallbackReason.Refused, false)]
    public void Default_falls_back_unless_the_callee_said_no(FallbackReason reason, bool expected) =>
        Assert.Equal(expected, FallbackPolicy.Default.Allows(reason));

    [Fact]
    public void With_overrides_changes_only_the_reasons_given()
    {
        var policy = FallbackPolicy.Default.With(new FallbackPolicyOverrides(OnBusy: true, OnOffline: false));

        Assert.Equal(new FallbackPolicy(OnOffline: false, OnNoAnswer: true, OnAppFailure: true, OnBusy: true, OnRefused: false), policy);
    }

    [Fact]
    public void With_no_overrides_keeps_the_configured_policy() =>
        Assert.Same(FallbackPolicy.Default, FallbackPolicy.Default.With(null));

    [Fact]
    public void Wire_names_are_the_schema_and_contract_values()
    {
        Assert.Equal(
            ["ringing", "fallback-dialing", "answered", "completed", "busy", "refused", "no_answer", "offline", "canceled", "failed"],
            Enum.GetValues<CallStatus>().Select(s => s.ToWire()));
        Assert.Equal(
            ["offline", "no_answer", "app_failure", "busy", "refused"],
            Enum.GetValues<FallbackReason>().Select(r => r.ToWire()));
        Assert.Equal(["caller", "callee", "pstn"], Enum.GetValues<LegRole>().Select(r => r.ToWire()));
        Assert.Equal(["app", "pstn"], Enum.GetValues<AnsweredVia>().Select(r => r.ToWire()));
    }

    [Fact]
    public void Only_ringing_fallback_dialing_and_answered_are_live() =>
        Assert.Equal(
            [CallStatus.Ringing, CallStatus.FallbackDialing, CallStatus.Answered],
            Enum.GetValues<CallStatus>().Where(s => !s.IsFinal()));
}
