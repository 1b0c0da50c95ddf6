using System.Threading.Channels;
using CallControl.Calls.Router;
using Npgsql;

namespace CallControl.Rooms;

// The listening connection (LISTEN, then WaitAsync until it fails; reconnect with capped backoff), the heartbeat and
// peer expiry, and the hosted service's start and stop.
public sealed partial class SignalBus
{
    private readonly string _listenConnectionString;
    private readonly Channel<(int Pid, string Payload)> _inbound =
        System.Threading.Channels.Channel.CreateBounded<(int, string)>(new BoundedChannelOptions(10_000) { SingleReader = true });
    // What peers' messages ask of this instance's router (a user offline everywhere, a forwarded room action), run
    // off the receive loop: a call's gate may be held a while, and heartbeats must keep being read meanwhile.
    private readonly Channel<Func<CallRouter, CancellationToken, Task>> _routerInputs =
        System.Threading.Channels.Channel.CreateUnbounded<Func<CallRouter, CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true });
    private volatile bool _listening;
    private long _lastSelfHeard;
    private long _lastPublishOk;
    private CancellationTokenSource? _deaf;
    private Task[] _loops = [];

    /// <summary>Listens once now (so peers hear of this instance before it serves), then keeps the loops running.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var first = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        _loops =
        [
            Task.Run(() => ListenAsync(first), CancellationToken.None),
            Task.Run(ReceiveAsync, CancellationToken.None),
            Task.Run(PublishAsync, CancellationToken.None),
            Task.Run(HeartbeatAsync, CancellationToken.None),
            Task.Run(RouterInputsAsync, CancellationToken.None),
        ];
    }

    /// <summary>Says goodbye (peers drop this instance's users at once), sends what is queued, stops the loops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        if (_listening)
        {
            Enqueue(New(SignalKind.Goodbye));
        }

        _outbound.Writer.TryComplete();
        _stopping = true;
        var publisher = _loops.Length > 2 ? _loops[2] : Task.CompletedTask;
        await Task.WhenAny(publisher, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        _inbound.Writer.TryComplete();
        _routerInputs.Writer.TryComplete();
        await Task.WhenAll(_loops).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stop.Dispose();
        _deaf?.Dispose();
    }

    /// <summary>Opens the listening connection and LISTENs; null when PostgreSQL cannot be reached.</summary>
    private async Task<NpgsqlConnection?> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_listenConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            connection.Notification += OnNotification;
            // The channel name is ours (lowercase hex and underscores): quoted as an identifier, never user text.
            await using var listen = new NpgsqlCommand($"LISTEN \"{Channel}\"", connection);
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or OperationCanceledException)
        {
            // Unreachable, or the bus is stopping while it connects (the caller sees its token and ends): no connection.
            await connection.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }

    private async Task ListenAsync(NpgsqlConnection? connection)
    {
        var attempt = 0;
        var lostAt = (DateTime?)null;
        var everListened = false;
        while (!_stop.IsCancellationRequested)
        {
            connection ??= await ConnectAsync(_stop.Token).ConfigureAwait(false);
            if (connection is not null)
            {
                attempt = 0;
                OnListening(everListened, lostAt);
                everListened = true;
                lostAt = null;
                var failure = await WaitUntilLostAsync(connection).ConfigureAwait(false);
                _listening = false;
                await connection.DisposeAsync().ConfigureAwait(false);
                connection = null;
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                lostAt = DateTime.UtcNow;
                SignalLog.ListenLost(_logger, failure ?? new TimeoutException("no echo of this instance's own heartbeats"));
            }

            // Capped exponential backoff with jitter: every instance reconnects after a database restart, not at once.
            var delay = TimeSpan.FromMilliseconds(Math.Min(
                _options.ReconnectCap.TotalMilliseconds,
                100 * Math.Pow(2, Math.Min(attempt++, 16)) * (0.8 + (0.4 * Random.Shared.NextDouble()))));
            try
            {
                await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Listening (again): peers get a grace period, are asked to re-announce, and hear this instance's users.</summary>
    private void OnListening(bool again, DateTime? lostAt)
    {
        var now = Environment.TickCount64;
        Interlocked.Exchange(ref _lastSelfHeard, now);
        Interlocked.Exchange(ref _lastPublishOk, now);
        _presence.Grace(now);
        _listening = true;
        if (again)
        {
            SignalLog.ListenRecovered(_logger, DateTime.UtcNow - (lostAt ?? DateTime.UtcNow));
        }
        else
        {
            SignalLog.Listening(_logger, Channel, _instance);
        }

        Enqueue(New(SignalKind.Heartbeat));
        if (again && lostAt is { } since)
        {
            // Deaf and mute since then: peers' room events for sockets here were not heard, and ours for sockets
            // there were dropped. Both sides re-send their sockets where the calls changed since then stand.
            Enqueue(New(SignalKind.SyncRequest) with { Since = since });
            RequestResync(since);
        }
        else
        {
            Enqueue(New(SignalKind.SyncRequest));
        }

        AnnounceSnapshot();
    }

    /// <summary>Waits for notifications until the connection fails (the exception), this instance stops, or it turns
    /// out deaf (null: its own heartbeats stopped coming back while publishing worked).</summary>
    private async Task<Exception?> WaitUntilLostAsync(NpgsqlConnection connection)
    {
        var deaf = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        Interlocked.Exchange(ref _deaf, deaf)?.Dispose();
        try
        {
            while (true)
            {
                await connection.WaitAsync(deaf.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
        {
            return e;
        }
    }

    /// <summary>Runs on the connection's read: only queues the payload.</summary>
    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (!_inbound.Writer.TryWrite((e.PID, e.Payload)))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Every interval: a heartbeat, then peers not heard within the timeout are dropped with their users.</summary>
    private async Task HeartbeatAsync()
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (!_listening)
                {
                    continue;
                }

                Enqueue(New(SignalKind.Heartbeat));
                var now = Environment.TickCount64;
                var timeout = (long)_options.PeerTimeout.TotalMilliseconds;
                var gone = new List<string>();
                foreach (var peer in _presence.Expire(now - timeout, gone))
                {
                    SignalLog.PeerExpired(_logger, peer, _options.PeerTimeout);
                }

                WentOfflineElsewhere(gone);
                // Published fine for a whole timeout, yet none of it came back: the listening session is dead.
                if (Interlocked.Read(ref _lastPublishOk) - Interlocked.Read(ref _lastSelfHeard) > timeout)
                {
                    await (Volatile.Read(ref _deaf)?.CancelAsync() ?? Task.CompletedTask).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs what peers asked of this instance's router, one at a time, off the receive path.</summary>
    private async Task RouterInputsAsync()
    {
        await foreach (var input in _routerInputs.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await input(Router, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // One input's failure must not stop the others'; it is logged.
            catch (Exception e)
#pragma warning restore CA1031
            {
                SignalLog.LoopFailed(_logger, "router input", e);
            }
        }
    }
}
