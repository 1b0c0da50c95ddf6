using CallControl.Cdr;
using CallControl.Data;
using CallControl.Esl.Events;

namespace CallControl.Tests.Cdr;

/// <summary>CHANNEL_HANGUP_COMPLETE → leg row, against captured events, and agreement with the same legs' json_cdr.</summary>
public sealed class HangupEventMapperTests
{
    [Theory]
    // app-to-app: both legs of the captured call; caps-v3-002/003 are the same legs' json_cdr POSTs.
    [InlineData("app-to-app", "3077311f-781b-4220-998b-3fb97cc2646c", "caps-v3-002.post.txt")]
    [InlineData("app-to-app", "61d34001-2f0c-4002-9cf5-0a7c8243e39c", "caps-v3-003.post.txt")]
    // caller-cancel: the carrier leg (ORIGINATOR_CANCEL) is caps-v3-021.
    [InlineData("caller-cancel", "7b487862-963b-40e3-a615-49d7bcc13d7f", "caps-v3-021.post.txt")]
    public void Map_captured_hangup_complete_agrees_with_the_legs_json_cdr(string scenario, string uuid, string post)
    {
        var events = Captures.Events(scenario);
        try
        {
            var e = events.Single(x => x.EventName == "CHANNEL_HANGUP_COMPLETE" && x.UniqueId == uuid);
            var captured = Captures.JsonCdrPost(post);

            var fromEvent = HangupEventMapper.Map(e, "vm")!;
            var fromCdr = JsonCdrMapper.Map(captured.Body, captured.Uuid).Leg!;

            Assert.Equal(LegSource.Event, fromEvent.Source);
            Assert.Equal("vm", fromEvent.FreeswitchNode);
            Assert.Null(fromEvent.JsonCdr);
            Assert.Equal(fromCdr.LegUuid, fromEvent.LegUuid);
            Assert.Equal(fromCdr.ChannelName, fromEvent.ChannelName);
            Assert.Equal(fromCdr.Direction, fromEvent.Direction);
            Assert.Equal(fromCdr.StartAt, fromEvent.StartAt);
            Assert.Equal(fromCdr.ProgressAt, fromEvent.ProgressAt);
            Assert.Equal(fromCdr.ProgressMediaAt, fromEvent.ProgressMediaAt);
            Assert.Equal(fromCdr.AnswerAt, fromEvent.AnswerAt);
            Assert.Equal(fromCdr.EndAt, fromEvent.EndAt);
            Assert.Equal(fromCdr.Duration, fromEvent.Duration);
            Assert.Equal(fromCdr.Billsec, fromEvent.Billsec);
            Assert.Equal(fromCdr.HangupCause, fromEvent.HangupCause);
            Assert.Equal(fromCdr.SipTermStatus, fromEvent.SipTermStatus);
            Assert.Equal(fromCdr.ReadCodec, fromEvent.ReadCodec);
            Assert.Equal(fromCdr.WriteCodec, fromEvent.WriteCodec);
        }
        finally
        {
            events.ForEach(x => x.Dispose());
        }
    }

    [Fact]
    public void Map_without_variables_reads_the_same_facts_from_every_captured_hangup_complete() =>
        ForEveryCapturedHangupComplete(e =>
        {
            var whole = HangupEventMapper.Map(e, "vm")!;
            var facts = HangupEventMapper.Map(e, "vm", withVariables: false)!;

            Assert.Null(facts.VariableMap);
            Assert.Null(facts.Variables);
            Assert.NotNull(whole.VariableMap);
            // Every other member, the call link and role included, is the one the whole mapping reads.
            Assert.Equal(whole with { Variables = null }, facts);
        });

    [Fact]
    public void Map_every_captured_hangup_complete_yields_a_row_with_its_cause() =>
        ForEveryCapturedHangupComplete(e =>
        {
            var leg = HangupEventMapper.Map(e, "vm")!;
            Assert.Equal(Guid.Parse(e.UniqueId!), leg.LegUuid);
            Assert.Equal(e.HangupCause, leg.HangupCause);
            Assert.Equal(e.GetVariable("billsec"), leg.Billsec?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.NotNull(leg.EndAt);
            Assert.Contains("\"hangup_cause\"", leg.Variables, StringComparison.Ordinal);
        });

    [Fact]
    public void Map_other_events_are_not_cdrs()
    {
        var events = Captures.Events("app-to-app");
        try
        {
            Assert.All(events.Where(x => x.EventName != "CHANNEL_HANGUP_COMPLETE"), e => Assert.Null(HangupEventMapper.Map(e, "vm")));
        }
        finally
        {
            events.ForEach(x => x.Dispose());
        }
    }

    // Runs the check on every CHANNEL_HANGUP_COMPLETE of the captured calls, and makes sure there were enough of them.
    private static void ForEveryCapturedHangupComplete(Action<EslEvent> check)
    {
        var mapped = 0;
        foreach (var scenario in new[] { "app-to-app", "caller-cancel", "fallback-answer", "fallback-busy", "fallback-early-media", "fallback-noanswer", "originate", "verto-two-party", "non-ascii" })
        {
            var events = Captures.Events(scenario);
            try
            {
                foreach (var e in events.Where(x => x.EventName == "CHANNEL_HANGUP_COMPLETE"))
                {
                    check(e);
                    mapped++;
                }
            }
            finally
            {
                events.ForEach(x => x.Dispose());
            }
        }

        Assert.True(mapped >= 10, $"only {mapped} CHANNEL_HANGUP_COMPLETE events found");
    }
}
