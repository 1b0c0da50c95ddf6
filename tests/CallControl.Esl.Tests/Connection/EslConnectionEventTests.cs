using System.Diagnostics.Metrics;
using CallControl.Esl.Connection;
using CallControl.Esl.Diagnostics;
using CallControl.Esl.Tests.Support;

namespace CallControl.Esl.Tests.Connection;

public sealed class EslConnectionEventTests
{
    [Fact]
    public async Task Events_arrive_in_order_between_replies()
    {
        await using var pair = await ConnectedPair.StartAsync();
        var call = pair.Connection.ApiAsync("status");
        await pair.Session.ReadCommandAsync();
        await pair.Session.EventAsync(FakeResponder.Event("CHANNEL_CREATE", 1, "a"));
        await pair.Session.ApiResponseAsync("UP\n");
        await pair.Session.EventAsync(FakeResponder.Event("CHANNEL_ANSWER", 2, "a"));

        Assert.Equal("UP\n", (await call).Text);
        using var cts = new CancellationTokenSource(FakeEslSession.Timeout);
        using var first = await pair.Connection.Events.ReadAsync(cts.Token);
        using var second = await pair.Connection.Events.ReadAsync(cts.Token);
        Assert.Equal("CHANNEL_CREATE", first.EventName);
        Assert.Equal("CHANNEL_ANSWER", second.EventName);
    }

    [Fact]
    public async Task An_event_is_stamped_when_read_and_its_lag_behind_the_node_is_measured_from_its_timestamp()
    {
        await using var pair = await ConnectedPair.StartAsync();
        var node = $"127.0.0.1:{pair.Server.Port}";
        var lags = new System.Collections.Concurrent.ConcurrentQueue<double>();
        using var listener = ListenTo<double>("esl.events.lag", node, lags.Enqueue);

        // Fired 400 ms ago by the node's clock; then one stamped ahead of ours (a node whose clock runs fast); then one
        // without a timestamp, which has no lag to measure.
        var nowUs = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10;
        var late = FakeResponder.Event("CHANNEL_PARK", 1, "a");
        late.Add(new("Event-Date-Timestamp", (nowUs - 400_000).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var ahead = FakeResponder.Event("CHANNEL_PARK", 2, "b");
        ahead.Add(new("Event-Date-Timestamp", (nowUs + 60_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var before = System.Diagnostics.Stopwatch.GetTimestamp();
        await pair.Session.EventAsync(late);
        await pair.Session.EventAsync(ahead);
        await pair.Session.EventAsync(FakeResponder.Event("CHANNEL_PARK", 3, "c"));

        using var cts = new CancellationTokenSource(FakeEslSession.Timeout);
        for (var i = 0; i < 3; i++)
        {
            using var ev = await pair.Connection.Events.ReadAsync(cts.Token);
            Assert.InRange(ev.ReceivedTimestamp, before, System.Diagnostics.Stopwatch.GetTimestamp());
        }

        var measured = lags.ToArray();
        Assert.Equal(2, measured.Length);
        Assert.InRange(measured[0], 400, 400 + FakeEslSession.Timeout.TotalMilliseconds);
        Assert.Equal(0, measured[1]);
    }

    [Fact]
    public async Task Slow_consumer_with_shed_policy_is_counted_and_replies_still_flow()
    {
        await using var pair = await ConnectedPair.StartAsync(o => { o.EventQueueCapacity = 2; o.OverflowPolicy = EslOverflowPolicy.Shed; });
        long shedMeasured = 0;
        using var listener = ListenTo<long>("esl.events.shed", $"127.0.0.1:{pair.Server.Port}", value => Interlocked.Add(ref shedMeasured, value));
        var call = pair.Connection.ApiAsync("status");
        await pair.Session.ReadCommandAsync();
        for (var i = 1; i <= 10; i++)
        {
            await pair.Session.EventAsync(FakeResponder.Event("HEARTBEAT", i));
        }

        await pair.Session.ApiResponseAsync("UP\n");

        Assert.Equal("UP\n", (await call.WaitAsync(FakeEslSession.Timeout)).Text);
        Assert.Equal(8, pair.Connection.EventsShed);
        Assert.Equal(8, Interlocked.Read(ref shedMeasured));
        Assert.Equal(2, pair.Connection.Events.Count);
    }

    [Fact]
    public async Task Slow_consumer_with_wait_policy_loses_nothing()
    {
        await using var pair = await ConnectedPair.StartAsync(o => o.EventQueueCapacity = 2);
        for (var i = 1; i <= 20; i++)
        {
            await pair.Session.EventAsync(FakeResponder.Event("HEARTBEAT", i));
        }

        var sequences = new List<long>();
        using var cts = new CancellationTokenSource(FakeEslSession.Timeout);
        while (sequences.Count < 20)
        {
            using var ev = await pair.Connection.Events.ReadAsync(cts.Token);
            sequences.Add(ev.EventSequence!.Value);
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), sequences);
        Assert.Equal(0, pair.Connection.EventsShed);
    }

    [Fact]
    public async Task Sequence_gaps_are_counted_when_subscribed_to_all_and_never_fatal()
    {
        await using var pair = await ConnectedPair.StartAsync();
        var answering = FakeResponder.AnswerAllAsync(pair.Session);
        await pair.Connection.SubscribeAsync(["ALL"]);

        // 1, 2, then 5 (3 and 4 missing), then 4 late (out of order under load).
        foreach (var seq in new[] { 1, 2, 5, 4 })
        {
            await pair.Session.EventAsync(FakeResponder.Event("CHANNEL_STATE", seq, "a"));
        }

        using var cts = new CancellationTokenSource(FakeEslSession.Timeout);
        for (var i = 0; i < 4; i++)
        {
            (await pair.Connection.Events.ReadAsync(cts.Token)).Dispose();
        }

        Assert.Equal(3, pair.Connection.SequenceGaps);
        Assert.True(pair.Connection.IsConnected);
    }

    [Fact]
    public async Task Log_data_goes_to_the_log_stream_not_the_reply_queue()
    {
        await using var pair = await ConnectedPair.StartAsync();
        // As captured after "log 7" and "api reloadxml" (commands.server.raw).
        const string line = "2026-11-26 15:41:48.633093 99.23% [INFO] switch_time.c:1436 Timezone reloaded 597 definitions\n";
        await pair.Session.SendRawAsync($"Content-Type: log/data\nContent-Length: {line.Length}\nLog-Level: 6\nText-Channel: 0\nLog-File: switch_time.c\nLog-Func: switch_load_timezones\nLog-Line: 1436\nUser-Data: \n\n{line}");
        var call = pair.Connection.ApiAsync("status");
        await pair.Session.ReadCommandAsync();
        await pair.Session.ApiResponseAsync("UP\n");

        using var cts = new CancellationTokenSource(FakeEslSession.Timeout);
        var log = await pair.Connection.Logs.ReadAsync(cts.Token);
        Assert.Equal(6, log.Level);
        Assert.Equal(line, log.Text);
        Assert.Equal("switch_time.c", log.File);
        Assert.Equal("UP\n", (await call).Text);
    }

    [Fact]
    public async Task ExecuteAsync_completes_on_the_execute_complete_carrying_our_event_uuid()
    {
        await using var pair = await ConnectedPair.StartAsync();
        const string channel = "e3c5cd14-0484-447b-b617-e9a1be9317de";
        var call = pair.Connection.ExecuteAsync(channel, "playback", "tone_stream://%(300,200,440);loops=2", eventLock: true);
        var sendmsg = await pair.Session.ReadCommandAsync();
        var eventUuid = sendmsg.Header("event-uuid")!;
        await pair.Session.ReplyAsync("+OK");
        var other = FakeResponder.Event("CHANNEL_EXECUTE_COMPLETE", 1, channel);
        other.Add(new("Application-UUID", Guid.NewGuid().ToString()));
        await pair.Session.EventAsync(other);
        Assert.False(call.IsCompleted);
        var mine = FakeResponder.Event("CHANNEL_EXECUTE_COMPLETE", 2, channel);
        mine.AddRange([new("Application", "playback"), new("Application-Response", "FILE PLAYED"), new("Application-UUID", eventUuid)]);
        await pair.Session.EventAsync(mine);

        var result = await call.WaitAsync(FakeEslSession.Timeout);

        Assert.Equal($"sendmsg {channel}", sendmsg.Line);
        Assert.Equal("execute", sendmsg.Header("call-command"));
        Assert.Equal("true", sendmsg.Header("event-lock"));
        Assert.Equal("FILE PLAYED", result.Response);
        Assert.Equal(channel, result.UniqueId);
    }

    [Fact]
    public async Task ExecuteAsync_fails_when_the_channel_hangs_up_before_the_application_completes()
    {
        await using var pair = await ConnectedPair.StartAsync();
        const string channel = "96662c65-3a4e-4f36-9f54-55140f7c6468";
        var call = pair.Connection.ExecuteAsync(channel, "playback", "silence_stream://1000");
        await pair.Session.ReadCommandAsync();
        await pair.Session.ReplyAsync("+OK");
        await pair.Session.EventAsync(FakeResponder.Event("CHANNEL_HANGUP_COMPLETE", 3, "another-channel"));
        await pair.Session.EventAsync(FakeResponder.Event("CHANNEL_HANGUP_COMPLETE", 4, channel));

        var error = await Assert.ThrowsAsync<CallControl.Esl.Commands.EslCommandException>(() => call.WaitAsync(FakeEslSession.Timeout));

        Assert.Contains(channel, error.Message, StringComparison.Ordinal);
        Assert.True(pair.Connection.IsConnected);
    }

    // Listens to one of the client's instruments and hands over what one connection (its esl.node tag) records: the
    // meter is process-wide, and other tests' connections record on it at the same time.
    private static MeterListener ListenTo<T>(string instrumentName, string node, Action<T> measured)
        where T : struct
    {
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EslMetrics.MeterName && instrument.Name == instrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<T>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "esl.node" && (string?)tag.Value == node)
                {
                    measured(value);
                }
            }
        });
        listener.Start();
        return listener;
    }
}
