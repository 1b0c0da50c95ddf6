namespace FreeSwitchSim.Tests.Fidelity;

/// <summary>The comparison itself: a capture equals itself, and each kind of difference the end-to-end tests
/// look for makes it fail (so a passing scenario test means something).</summary>
public sealed class FidelityCompareTests
{
    private static readonly CaptureTimeline Timeline = CaptureTimeline.Load("fallback-busy");

    private static SessionView Mutated(Func<WireFrame, WireFrame?> change) =>
        new(Timeline.Frames.Select(f => change(f.Frame)).OfType<WireFrame>());

    private static WireEvent WithHeader(WireEvent e, string name, string value) =>
        e with { Headers = e.Headers.Select(h => h.Key == name ? new KeyValuePair<string, string>(name, value) : h).ToList() };

    [Fact]
    public void Capture_compared_with_itself_has_no_difference() =>
        FidelityCompare.Same(Timeline, Mutated(f => f));

    [Fact]
    public void Missing_channel_event_fails()
    {
        var dropped = false;
        var view = Mutated(f =>
        {
            if (!dropped && f.Event is { Name: "CHANNEL_PARK" })
            {
                dropped = true;
                return null;
            }
            return f;
        });
        var ex = Assert.ThrowsAny<Exception>(() => FidelityCompare.Same(Timeline, view));
        Assert.Contains("leg0 order", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_reply_text_fails()
    {
        var view = Mutated(f => f.ReplyText == "+OK accepted" ? f with { ReplyText = "+OK" } : f);
        var ex = Assert.ThrowsAny<Exception>(() => FidelityCompare.Same(Timeline, view));
        Assert.Contains("reply 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_value_of_another_format_fails()
    {
        var view = Mutated(f => f.Event is { Name: "CHANNEL_CREATE" } e ? f with { Event = WithHeader(e, "Event-Date-GMT", "2026-11-26 15:42:00") } : f);
        var ex = Assert.ThrowsAny<Exception>(() => FidelityCompare.Same(Timeline, view));
        Assert.Contains("CHANNEL_CREATE Event-Date-GMT: format captured date-gmt simulated date-local", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extra_header_fails()
    {
        var view = Mutated(f => f.Event is { Name: "CHANNEL_HANGUP" } e
            ? f with { Event = e with { Headers = [.. e.Headers, new("X-Extra", "1")] } }
            : f);
        var ex = Assert.ThrowsAny<Exception>(() => FidelityCompare.Same(Timeline, view));
        Assert.Contains("CHANNEL_HANGUP header X-Extra: extra", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listed_gap_that_does_not_occur_fails()
    {
        var ex = Assert.ThrowsAny<Exception>(() => FidelityCompare.Same(Timeline, Mutated(f => f), [KnownGaps.OtherLegProgressTimeZero]));
        Assert.Contains("no longer seen", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("781e556b-3b95-4045-be4a-774b373467d9", "uuid")]
    [InlineData("1795707593123456", "usec")]
    [InlineData("2026-11-26 15:42:00", "date-local")]
    [InlineData("Thu, 26 Nov 2026 15:42:00 GMT", "date-gmt")]
    [InlineData("CS_EXECUTE", "cs-enum")]
    [InlineData("RINGING", "enum")]
    [InlineData("42", "int")]
    [InlineData("sofia/external/alice@127.0.0.1", "text")]
    public void Format_class_of_value(string value, string expected) =>
        Assert.Equal(expected, FormatClass.Of(value));
}
