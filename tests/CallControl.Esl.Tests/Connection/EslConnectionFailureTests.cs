using CallControl.Esl.Connection;
using CallControl.Esl.Protocol;
using CallControl.Esl.Tests.Support;

namespace CallControl.Esl.Tests.Connection;

public sealed class EslConnectionFailureTests
{
    [Fact]
    public async Task Pending_commands_and_jobs_fail_with_connection_exception_when_the_socket_drops()
    {
        await using var pair = await ConnectedPair.StartAsync(o => o.CommandTimeout = TimeSpan.FromMinutes(5));
        var first = pair.Connection.ApiAsync("status");
        var second = pair.Connection.ApiAsync("uptime");
        await pair.Session.ReadCommandAsync();
        await pair.Session.ReadCommandAsync();

        pair.Session.Close();

        var e1 = await Assert.ThrowsAsync<EslConnectionException>(() => first.WaitAsync(FakeEslSession.Timeout));
        var e2 = await Assert.ThrowsAsync<EslConnectionException>(() => second.WaitAsync(FakeEslSession.Timeout));
        Assert.Same(e1, e2);
        Assert.Equal(EslFailureKind.SocketClosed, e1.Kind);
        Assert.True(e1.IsTransient);
        Assert.False(pair.Connection.IsConnected);
        await Assert.ThrowsAsync<EslConnectionException>(() => pair.Connection.ApiAsync("status"));
    }

    [Fact]
    public async Task Command_timeout_kills_the_connection_because_replies_are_positional()
    {
        await using var pair = await ConnectedPair.StartAsync(o => o.CommandTimeout = TimeSpan.FromMilliseconds(300));
        var other = pair.Connection.ApiAsync("uptime");
        var call = pair.Connection.ApiAsync("status");

        var error = await Assert.ThrowsAsync<EslConnectionException>(() => call.WaitAsync(FakeEslSession.Timeout));

        Assert.Equal(EslFailureKind.Timeout, error.Kind);
        var reason = await pair.Connection.Completion.WaitAsync(FakeEslSession.Timeout);
        Assert.Equal(EslFailureKind.Timeout, reason.Kind);
        await Assert.ThrowsAsync<EslConnectionException>(() => other.WaitAsync(FakeEslSession.Timeout));
        await pair.Session.ClientClosed.Task.WaitAsync(FakeEslSession.Timeout);
    }

    [Fact]
    public async Task Liveness_timeout_closes_a_silent_connection()
    {
        await using var pair = await ConnectedPair.StartAsync(o => o.LivenessTimeout = TimeSpan.FromMilliseconds(400));

        var reason = await pair.Connection.Completion.WaitAsync(FakeEslSession.Timeout);

        Assert.Equal(EslFailureKind.Timeout, reason.Kind);
        Assert.Contains("nothing received", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frame_limit_violation_closes_with_protocol_error()
    {
        await using var pair = await ConnectedPair.StartAsync(o => o.FrameLimits = new EslFrameLimits { MaxBodyBytes = 1024 });
        var call = pair.Connection.ApiAsync("show", "channels as json");
        await pair.Session.ReadCommandAsync();

        await pair.Session.SendRawAsync("Content-Type: api/response\nContent-Length: 5000000\n\n{");

        var error = await Assert.ThrowsAsync<EslConnectionException>(() => call.WaitAsync(FakeEslSession.Timeout));
        Assert.Equal(EslFailureKind.ProtocolError, error.Kind);
        Assert.IsType<EslProtocolException>(error.InnerException);
        await pair.Session.ClientClosed.Task.WaitAsync(FakeEslSession.Timeout);
    }

    [Fact]
    public async Task Stream_ending_inside_a_frame_is_a_protocol_error()
    {
        await using var pair = await ConnectedPair.StartAsync();
        var call = pair.Connection.ApiAsync("status");
        await pair.Session.ReadCommandAsync();

        await pair.Session.SendRawAsync("Content-Type: api/response\nContent-Length: 100\n\nhalf a body");
        pair.Session.Close();

        var error = await Assert.ThrowsAsync<EslConnectionException>(() => call.WaitAsync(FakeEslSession.Timeout));
        Assert.Equal(EslFailureKind.ProtocolError, error.Kind);
    }

    [Fact]
    public async Task Disconnect_notice_ends_the_connection_cleanly()
    {
        await using var pair = await ConnectedPair.StartAsync();

        await pair.Session.DisconnectNoticeAsync();

        var reason = await pair.Connection.Completion.WaitAsync(FakeEslSession.Timeout);
        Assert.Equal(EslFailureKind.SocketClosed, reason.Kind);
        Assert.Contains("Disconnected, goodbye.", reason.Message, StringComparison.Ordinal);
        Assert.Equal("disconnect", await pair.Connection.DisconnectNotice);
        Assert.False(pair.Connection.IsLingering);
    }

    [Fact]
    public async Task Linger_notice_keeps_reading_and_events_after_it_are_delivered()
    {
        await using var pair = await ConnectedPair.StartAsync();

        // As captured in outbound-socket.server.raw after hangup with linger on.
        await pair.Session.SendRawAsync("Content-Type: text/disconnect-notice\nControlled-Session-UUID: e3c5cd14-0484-447b-b617-e9a1be9317de\nContent-Disposition: linger\nChannel-Name: sofia/external/alice@127.0.0.1:5070\nLinger-Time: -1\nContent-Length: 0\n\n");
        await pair.Session.EventAsync(FakeResponder.Event("CHANNEL_HANGUP_COMPLETE", 7, "e3c5cd14-0484-447b-b617-e9a1be9317de"));

        using var cts = new CancellationTokenSource(FakeEslSession.Timeout);
        using var ev = await pair.Connection.Events.ReadAsync(cts.Token);
        Assert.Equal("CHANNEL_HANGUP_COMPLETE", ev.EventName);
        Assert.Equal("linger", await pair.Connection.DisconnectNotice);
        Assert.True(pair.Connection.IsLingering);
        Assert.True(pair.Connection.IsConnected);

        pair.Session.Close();
        var reason = await pair.Connection.Completion.WaitAsync(FakeEslSession.Timeout);
        Assert.Equal(EslFailureKind.SocketClosed, reason.Kind);
    }

    [Fact]
    public async Task DisposeAsync_fails_pending_commands_with_disposed_kind()
    {
        await using var pair = await ConnectedPair.StartAsync();
        var call = pair.Connection.ApiAsync("status");
        await pair.Session.ReadCommandAsync();

        await pair.Connection.DisposeAsync();

        var error = await Assert.ThrowsAsync<EslConnectionException>(() => call.WaitAsync(FakeEslSession.Timeout));
        Assert.Equal(EslFailureKind.Disposed, error.Kind);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Cancelled_command_keeps_its_place_so_the_next_reply_goes_to_the_right_caller()
    {
        await using var pair = await ConnectedPair.StartAsync();
        using var cts = new CancellationTokenSource();
        var cancelled = pair.Connection.ApiAsync("first", cancellationToken: cts.Token);
        await pair.Session.ReadCommandAsync();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var second = pair.Connection.ApiAsync("second");
        await pair.Session.ReadCommandAsync();

        await pair.Session.ApiResponseAsync("reply to first\n");
        await pair.Session.ApiResponseAsync("reply to second\n");

        Assert.Equal("reply to second\n", (await second.WaitAsync(FakeEslSession.Timeout)).Text);
    }

    [Fact]
    public async Task Lost_events_disconnect_notice_reports_freeswitch_text_and_ends_the_connection()
    {
        await using var pair = await ConnectedPair.StartAsync();
        const string message = "killed listener because of lost events\n";

        // send_disconnect() in mod_event_socket.c after 500 failed enqueues on a listener's 100,000-event queue.
        await pair.Session.SendRawAsync($"Content-Type: text/disconnect-notice\nContent-Length: {message.Length}\n\n{message}");

        var reason = await pair.Connection.Completion.WaitAsync(FakeEslSession.Timeout);
        Assert.Equal(EslFailureKind.SocketClosed, reason.Kind);
        Assert.True(reason.IsTransient);
        Assert.Contains("killed listener because of lost events", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slow_consumer_under_wait_policy_is_not_mistaken_for_a_dead_peer()
    {
        await using var pair = await ConnectedPair.StartAsync(o => { o.EventQueueCapacity = 1; o.LivenessTimeout = TimeSpan.FromSeconds(1); });
        await pair.Session.EventAsync(FakeResponder.Event("HEARTBEAT", 1));
        await pair.Session.EventAsync(FakeResponder.Event("HEARTBEAT", 2));
        // The second event waits for room; hold the consumer well past the liveness limit, then read both.
        using var cts = new CancellationTokenSource(FakeEslSession.Timeout);
        await Task.WhenAny(pair.Connection.Completion, Task.Delay(TimeSpan.FromSeconds(4), cts.Token));

        Assert.True(pair.Connection.IsConnected);
        (await pair.Connection.Events.ReadAsync(cts.Token)).Dispose();
        (await pair.Connection.Events.ReadAsync(cts.Token)).Dispose();
    }
}
