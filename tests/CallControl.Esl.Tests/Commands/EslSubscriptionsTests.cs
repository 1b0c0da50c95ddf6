using CallControl.Esl.Commands;
using CallControl.Esl.Connection;

namespace CallControl.Esl.Tests.Commands;

public sealed class EslSubscriptionsTests
{
    private static List<string> Replay(EslSubscriptions s) => [.. s.ReplayCommands().Select(c => c.Line)];

    [Fact]
    public void Replay_rebuilds_events_custom_subclasses_filters_myevents_and_log_in_order()
    {
        var s = new EslSubscriptions();
        s.Record(EslCommands.Event(EslEventEncoding.Plain, ["CHANNEL_CREATE", "CUSTOM", "verto::login"]));
        s.Record(EslCommands.Event(EslEventEncoding.Plain, ["channel_answer"]));
        s.Record(EslCommands.Filter("Unique-ID", "abc"));
        s.Record(EslCommands.MyEvents("abc"));
        s.Record(EslCommands.Log("7"));

        Assert.Equal(
            ["event plain CHANNEL_CREATE CHANNEL_ANSWER CUSTOM verto::login", "filter Unique-ID abc", "myevents abc", "log 7"],
            Replay(s));
    }

    [Fact]
    public void Nixevent_noevents_filter_delete_and_nolog_are_undone_in_the_replay()
    {
        var s = new EslSubscriptions();
        s.Record(EslCommands.Event(EslEventEncoding.Json, ["CHANNEL_CREATE", "HEARTBEAT"]));
        s.Record(EslCommands.NixEvent(["HEARTBEAT"]));
        s.Record(EslCommands.Filter("Event-Name", "CHANNEL_CREATE"));
        s.Record(EslCommands.Filter("Unique-ID", "/^abc/"));
        s.Record(EslCommands.FilterDelete("Event-Name", "CHANNEL_CREATE"));
        s.Record(EslCommands.Log("7"));
        s.Record(EslCommands.NoLog());

        Assert.Equal(["event json CHANNEL_CREATE", "filter Unique-ID /^abc/"], Replay(s));

        s.Record(EslCommands.NoEvents());
        s.Record(EslCommands.FilterDeleteAll());
        Assert.Empty(Replay(s));
    }

    [Fact]
    public void All_with_a_nixed_event_replays_both()
    {
        var s = new EslSubscriptions();
        s.Record(EslCommands.Event(EslEventEncoding.Plain, ["ALL"]));
        s.Record(EslCommands.NixEvent(["HEARTBEAT"]));

        Assert.Equal(["event plain ALL", "nixevent HEARTBEAT"], Replay(s));
        Assert.False(s.Receives("HEARTBEAT"));
        Assert.True(s.Receives("CHANNEL_CREATE"));
    }

    [Fact]
    public void Background_jobs_need_a_filter_once_any_filter_exists()
    {
        var s = new EslSubscriptions();
        s.Record(EslCommands.Event(EslEventEncoding.Plain, ["BACKGROUND_JOB"]));
        Assert.True(s.ReceivesBackgroundJobs);

        s.Record(EslCommands.Filter("Unique-ID", "abc"));
        Assert.True(s.NeedsBackgroundJobFilter);
        Assert.False(s.ReceivesBackgroundJobs);

        s.Record(EslCommands.Filter("Event-Name", "BACKGROUND_JOB"));
        Assert.True(s.ReceivesBackgroundJobs);
    }
}
