using CallControl.Dialing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Tests.Dialing;

public sealed class DialingPolicyTests
{
    private static DialingPolicy Policy(Action<DialingOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new DialingOptions { MaxConcurrentPstnCalls = 2, MaxPstnCallsPerDay = 5 };
        configure?.Invoke(options);
        return new DialingPolicy(Options.Create(options), time ?? TimeProvider.System);
    }

    public static TheoryData<string?, string?> Numbers => new()
    {
        { "+15551230001", null },
        { "+442079460000", null },
        { "+19005551234", DialRefusalReasons.BlockedPrefix },      // US premium rate
        { "+19765551234", DialRefusalReasons.BlockedPrefix },
        { "+449091234567", DialRefusalReasons.BlockedPrefix },     // UK premium rate
        { "+447012345678", DialRefusalReasons.BlockedPrefix },     // UK personal numbers
        { "+8816123456", DialRefusalReasons.BlockedPrefix },       // satellite
        { "+15551230001,x", DialRefusalReasons.InvalidNumber },
        { "+1５551230001", DialRefusalReasons.InvalidNumber },
        { "", DialRefusalReasons.InvalidNumber },
        { null, DialRefusalReasons.InvalidNumber },
    };

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Evaluate_with_default_prefixes_allows_or_refuses_with_the_reason(string? number, string? reason)
    {
        var decision = Policy().Evaluate(number, new PstnUsage(0, 0));

        Assert.Equal(reason, decision.Reason);
        Assert.Equal(reason is null, decision.Allowed);
        if (reason is null)
        {
            Assert.Equal(number, decision.Number!.Value);
        }
        else
        {
            Assert.Null(decision.Number);
        }
    }

    [Theory]
    [InlineData("+15551230001", null)]
    [InlineData("+442079460000", null)]
    [InlineData("+33142685300", DialRefusalReasons.NotAllowedPrefix)]
    [InlineData("+19005551234", DialRefusalReasons.BlockedPrefix)]   // blocked wins over allowed
    public void Evaluate_with_allowed_prefixes_refuses_numbers_outside_them(string number, string? reason)
    {
        var decision = Policy(o => o.AllowedPrefixes = ["+1", "+44"]).Evaluate(number, new PstnUsage(0, 0));

        Assert.Equal(reason, decision.Reason);
    }

    [Fact]
    public void Evaluate_with_a_configured_blocked_list_uses_it_instead_of_the_defaults()
    {
        var policy = Policy(o => o.BlockedPrefixes = ["+3312"]);

        Assert.True(policy.Evaluate("+19005551234", new PstnUsage(0, 0)).Allowed);
        Assert.Equal(DialRefusalReasons.BlockedPrefix, policy.Evaluate("+33123456789", new PstnUsage(0, 0)).Reason);
    }

    [Theory]
    [InlineData(0, 0, null)]
    [InlineData(1, 4, null)]
    [InlineData(2, 0, DialRefusalReasons.ConcurrencyLimit)]
    [InlineData(5, 9, DialRefusalReasons.ConcurrencyLimit)]
    [InlineData(0, 5, DialRefusalReasons.DailyLimit)]
    [InlineData(1, 50, DialRefusalReasons.DailyLimit)]
    public void Evaluate_applies_the_per_user_limits(int live, int inWindow, string? reason)
    {
        var decision = Policy().Evaluate("+15551230001", new PstnUsage(live, inWindow));

        Assert.Equal(reason, decision.Reason);
    }

    [Fact]
    public void Evaluate_with_dialing_disabled_refuses_with_reason_policy()
    {
        var decision = Policy(o => o.Enabled = false).Evaluate("+15551230001", new PstnUsage(0, 0));

        Assert.Equal(DialRefusalReasons.Policy, decision.Reason);
    }

    [Fact]
    public void Refusal_detail_never_echoes_the_rejected_input()
    {
        const string hostile = "+1555<script>\n";

        var decision = Policy().Evaluate(hostile, new PstnUsage(0, 0));

        Assert.DoesNotContain("<script>", decision.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_daily_limit_counts_from_24_hours_ago()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc), Policy(time: clock).UsageSince());
    }
}
