using Npgsql;

namespace CallControl.Rooms;

// After a gap on the bus (this instance's listener, or a peer's, was down), the sockets here may have missed room
// events: NOTIFY delivers at most once, and nothing is published while an instance is not listening. Each socket then
// hears a `state` event for every call of its user not over yet or changed since the gap began (the status may be
// final), read from the database, so the client stands where its calls do without reconnecting.
public sealed partial class SignalBus
{
    /// <summary>How far back a resync looks at most, whatever a (possibly forged) sync request says.</summary>
    internal static readonly TimeSpan MaxResyncLookback = TimeSpan.FromMinutes(10);

    /// <summary>Taken off the gap's start: the instances' clocks, and the statuses' event times, may differ a little.</summary>
    internal static readonly TimeSpan ResyncMargin = TimeSpan.FromSeconds(5);

    // Sockets here get at most this many users' state per query.
    private const int ResyncChunk = 500;

    private readonly Lock _resync = new();
    private DateTime? _resyncSince;
    private bool _resyncRunning;

    private long _resyncs;

    /// <summary>Resyncs done (each brought every socket here back in step).</summary>
    internal long Resyncs => Interlocked.Read(ref _resyncs);

    /// <summary>
    /// Queues a resync of every socket here for changes since <paramref name="since"/>. Requests that come while one
    /// runs (every peer asks after a database outage) fold into one more run from the earliest of them.
    /// </summary>
    private void RequestResync(DateTime since)
    {
        var now = DateTime.UtcNow;
        since = since.ToUniversalTime() - ResyncMargin;
        since = since < now - MaxResyncLookback ? now - MaxResyncLookback : since > now ? now : since;
        lock (_resync)
        {
            _resyncSince = _resyncSince is { } pending && pending < since ? pending : since;
            if (_resyncRunning)
            {
                return;
            }

            _resyncRunning = true;
        }

        _ = Task.Run(ResyncLoopAsync);
    }

    private async Task ResyncLoopAsync()
    {
        while (true)
        {
            DateTime since;
            lock (_resync)
            {
                if (_resyncSince is not { } next || _stop.IsCancellationRequested)
                {
                    _resyncRunning = false;
                    return;
                }

                since = next;
                _resyncSince = null;
            }

            await ResyncAsync(since).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<(string User, Calls.Router.RoomEvent Event)>> ReadStatesAsync(string[] users, DateTime since, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StateQueryTimeout);
        return await _states.ChangedSinceAsync(users, since, timeout.Token).ConfigureAwait(false);
    }

    private async Task ResyncAsync(DateTime since)
    {
        var users = _hub.OnlineUsers.ToList();
        var events = 0;
        try
        {
            foreach (var chunk in users.Chunk(ResyncChunk))
            {
                // The read is bounded here; the sends, by the hub's send timeout per socket.
                events += await _hub.ResyncAsync(chunk, ct => ReadStatesAsync(chunk, since, ct), _stop.Token).ConfigureAwait(false);
            }

            Interlocked.Increment(ref _resyncs);
            SignalLog.Resynced(_logger, since, events, users.Count);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException or System.Net.WebSockets.WebSocketException)
        {
            SignalLog.ResyncFailed(_logger, since, e);
        }
    }
}
