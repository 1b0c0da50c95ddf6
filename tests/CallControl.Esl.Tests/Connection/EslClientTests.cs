using System.Collections.Concurrent;
using CallControl.Esl.Connection;
using CallControl.Esl.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Esl.Tests.Connection;

public sealed class EslClientTests
{
    [Fact]
    public async Task Reconnect_reapplies_events_filters_and_log_and_tells_listeners()
    {
        var sessions = new ConcurrentQueue<FakeEslSession>();
        var dropFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new FakeEslServer(async (session, index) =>
        {
            sessions.Enqueue(session);
            var serving = FakeResponder.ServeAsync(session);
            if (index == 0)
            {
                await dropFirst.Task;
                session.Close();
            }

            await serving;
        });
        await using var client = new EslClient(FakeResponder.Options(server));
        var connected = new ConcurrentQueue<bool>();
        var secondConnect = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var disconnected = new TaskCompletionSource<EslConnectionException>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connected += (_, e) =>
        {
            connected.Enqueue(e.IsReconnect);
            if (e.IsReconnect)
            {
                secondConnect.TrySetResult();
            }
        };
        client.Disconnected += (_, e) => disconnected.TrySetResult(e.Reason);

        await client.StartAsync();
        await client.WaitForConnectionAsync().WaitAsync(FakeEslSession.Timeout);
        await client.SubscribeAsync(["CHANNEL_CREATE", "CHANNEL_HANGUP_COMPLETE", "CUSTOM", "verto::login"]);
        await client.FilterAsync("Event-Name", "CHANNEL_CREATE");
        await client.LogAsync("7");
        dropFirst.SetResult();
        await secondConnect.Task.WaitAsync(FakeEslSession.Timeout);

        Assert.True(sessions.TryDequeue(out _));
        Assert.True(sessions.TryDequeue(out var second));
        var replayed = second.Received.Select(c => c.Line).ToList();
        Assert.Contains("event plain CHANNEL_CREATE CHANNEL_HANGUP_COMPLETE CUSTOM verto::login", replayed);
        Assert.Contains("filter Event-Name CHANNEL_CREATE", replayed);
        Assert.Contains("log 7", replayed);
        Assert.True(replayed.IndexOf("event plain CHANNEL_CREATE CHANNEL_HANGUP_COMPLETE CUSTOM verto::login") < replayed.IndexOf("filter Event-Name CHANNEL_CREATE"));
        Assert.Equal([false, true], connected);
        Assert.Equal(EslFailureKind.SocketClosed, (await disconnected.Task).Kind);
        Assert.Equal(2, client.ConnectionCount);
    }

    [Fact]
    public async Task Events_from_successive_connections_arrive_on_one_queue()
    {
        await using var server = new FakeEslServer(async (session, index) =>
        {
            await session.GreetAsync();
            await session.AcceptAuthAsync();
            await session.EventAsync(FakeResponder.Event("CUSTOM", index + 1));
            if (index == 0)
            {
                session.Close();
                return;
            }

            await FakeResponder.AnswerAllAsync(session);
        });
        await using var client = new EslClient(FakeResponder.Options(server));

        await client.StartAsync();
        using var cts = new CancellationTokenSource(FakeEslSession.Timeout);
        using var first = await client.Events.ReadAsync(cts.Token);
        using var second = await client.Events.ReadAsync(cts.Token);

        Assert.Equal(1, first.EventSequence);
        Assert.Equal(2, second.EventSequence);
    }

    [Fact]
    public async Task Wrong_password_backs_off_long_and_never_retries_in_a_tight_loop()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var connectedAt = new ConcurrentQueue<DateTimeOffset>();
        await using var server = new FakeEslServer(async (session, _) =>
        {
            connectedAt.Enqueue(time.GetUtcNow());
            await session.GreetAsync();
            await session.AcceptAuthAsync("the-real-password");
        });
        var options = FakeResponder.Options(server, o => o.AuthFailureBackoff = TimeSpan.FromMinutes(3));
        await using var client = new EslClient(options, time: time);
        var refusedAt = new ConcurrentQueue<DateTimeOffset>();
        var first = new TaskCompletionSource<EslConnectionException>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Disconnected += (_, e) =>
        {
            refusedAt.Enqueue(time.GetUtcNow());
            first.TrySetResult(e.Reason);
        };

        await client.StartAsync();
        var reason = await first.Task.WaitAsync(FakeEslSession.Timeout);
        // Walk the fake clock forward in small steps (the normal reconnect cap here is 200 ms) until a second
        // attempt is made; it must not come before the auth-failure backoff has passed on that clock.
        using var deadline = new CancellationTokenSource(FakeEslSession.Timeout);
        while (server.Connections < 2)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(5, deadline.Token);
        }

        var auth = Assert.IsType<EslAuthenticationException>(reason);
        Assert.Equal("-ERR invalid", auth.ReplyText);
        Assert.True(refusedAt.TryPeek(out var refused));
        var attempts = connectedAt.ToArray();
        Assert.True(attempts[1] - refused >= TimeSpan.FromMinutes(3), $"second attempt {attempts[1] - refused} after the refusal");
    }

    [Fact]
    public async Task Transient_failures_back_off_exponentially_up_to_the_cap()
    {
        var delays = Enumerable.Range(0, 12)
            .Select(n => EslBackoff.Delay(n, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.Zero))
            .ToList();

        Assert.Equal(TimeSpan.FromMilliseconds(100), delays[0]);
        Assert.Equal(TimeSpan.FromMilliseconds(800), delays[3]);
        Assert.Equal(TimeSpan.FromSeconds(5), delays[^1]);
        Assert.All(delays.Zip(delays.Skip(1)), p => Assert.True(p.Second >= p.First));
    }

    [Fact]
    public async Task Jitter_stays_within_its_bound()
    {
        var random = new Random(42);
        var delays = Enumerable.Range(0, 200)
            .Select(_ => EslBackoff.Delay(2, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50), random))
            .ToList();

        Assert.All(delays, d => Assert.InRange(d.TotalMilliseconds, 400, 450));
        Assert.True(delays.Distinct().Count() > 1);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Commands_while_disconnected_fail_fast_with_transient_error()
    {
        await using var server = new FakeEslServer((session, _) => { session.Close(); return Task.CompletedTask; });
        await using var client = new EslClient(FakeResponder.Options(server));

        var error = await Assert.ThrowsAsync<EslConnectionException>(() => client.ApiAsync("status"));

        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Dedicated_command_connection_routes_api_to_a_second_socket()
    {
        var sessions = new ConcurrentQueue<FakeEslSession>();
        await using var server = new FakeEslServer((session, _) =>
        {
            sessions.Enqueue(session);
            return FakeResponder.ServeAsync(session);
        });
        await using var client = new EslClient(FakeResponder.Options(server, o => o.DedicatedCommandConnection = true));
        await client.StartAsync();
        await client.WaitForConnectionAsync().WaitAsync(FakeEslSession.Timeout);
        await client.SubscribeAsync(["CHANNEL_CREATE"]);

        var result = await client.ApiAsync("status");

        Assert.True(result.Ok);
        var all = sessions.ToArray();
        Assert.Equal(2, all.Length);
        var eventSocket = all.Single(s => s.Received.Any(c => c.Name == "event"));
        var commandSocket = all.Single(s => s != eventSocket);
        Assert.Contains(commandSocket.Received, c => c.Line == "api status");
        Assert.DoesNotContain(eventSocket.Received, c => c.Name == "api");
    }

    [Fact]
    public async Task Liveness_subscribes_heartbeat_and_a_silent_server_is_replaced()
    {
        var sessions = new ConcurrentQueue<FakeEslSession>();
        await using var server = new FakeEslServer((session, _) =>
        {
            sessions.Enqueue(session);
            return FakeResponder.ServeAsync(session);
        });
        await using var client = new EslClient(FakeResponder.Options(server, o => o.LivenessTimeout = TimeSpan.FromSeconds(1)));
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lost = new TaskCompletionSource<EslConnectionException>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connected += (_, e) => { if (e.IsReconnect) { reconnected.TrySetResult(); } };
        client.Disconnected += (_, e) => lost.TrySetResult(e.Reason);

        await client.StartAsync();
        await reconnected.Task.WaitAsync(FakeEslSession.Timeout);

        Assert.Equal(EslFailureKind.Timeout, (await lost.Task).Kind);
        Assert.Contains(sessions, s => s.Received.Any(c => c.Line == "event plain HEARTBEAT"));
    }

    [Fact]
    public async Task Reconnect_logs_transitions_not_every_failed_attempt()
    {
        var dropFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new FakeEslServer(async (session, index) =>
        {
            if (index is >= 1 and <= 3)
            {
                session.Close(); // FreeSWITCH restarting: the socket closes before the greeting.
                return;
            }

            var serving = FakeResponder.ServeAsync(session);
            if (index == 0)
            {
                await dropFirst.Task;
                session.Close();
            }

            await serving;
        });
        var logger = new ListLogger();
        await using var client = new EslClient(FakeResponder.Options(server), logger);
        var recovered = new TaskCompletionSource<TimeSpan?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connected += (_, e) => { if (e.IsReconnect) { recovered.TrySetResult(e.Downtime); } };
        await client.StartAsync();
        await client.WaitForConnectionAsync().WaitAsync(FakeEslSession.Timeout);

        dropFirst.SetResult();
        var downtime = await recovered.Task.WaitAsync(FakeEslSession.Timeout);

        Assert.Equal(5, server.Connections);
        Assert.NotNull(downtime);
        Assert.Equal(1, logger.Count(1000)); // connected
        Assert.Equal(1, logger.Count(1001)); // lost
        Assert.Equal(1, logger.Count(1003)); // recovered, once, after four attempts
        Assert.Equal(0, logger.Count(1002)); // "still down" only after StillDownLogInterval (1 min)
        Assert.Contains(logger.Entries, e => e.EventId == 1003 && e.Message.Contains("4 attempts", StringComparison.Ordinal));
    }
}
