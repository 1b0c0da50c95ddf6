namespace CallControl.Rooms;

// What peers say, applied one message at a time in the order PostgreSQL delivered them.
public sealed partial class SignalBus
{
    /// <summary>How far a message's sending time may be from this instance's clock (clocks differ a little; a
    /// message older than this is a replay, or was stuck, and is refused).</summary>
    internal static readonly TimeSpan MaxMessageAge = TimeSpan.FromSeconds(60);

    private bool _duplicateLogged;

    // The last sequence heard from each peer incarnation, and when (receive loop only): a sender's sequence only grows,
    // so a payload at or below it is a replay. Entries older than twice MaxMessageAge go, their messages being stale.
    private readonly Dictionary<(string Instance, string Incarnation), (long Sequence, long HeardAt)> _lastHeard = [];
    private long _lastHeardPrunedAt;

    private async Task ReceiveAsync()
    {
        await foreach (var (pid, payload) in _inbound.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await HandleAsync(pid, payload).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The bus must outlive any one message; the failure is logged.
            catch (Exception e)
#pragma warning restore CA1031
            {
                SignalLog.LoopFailed(_logger, "receive", e);
            }
        }
    }

    private static string? Stale(SignalMessage message)
    {
        if (message.SentAt is not { } sent)
        {
            return "no sending time";
        }

        var off = DateTimeOffset.UtcNow - sent;
        return off.Duration() > MaxMessageAge ? $"sent {off.TotalSeconds:F0} s away from this clock (more than {MaxMessageAge.TotalSeconds:F0} s)" : null;
    }

    // Whether the message comes after everything heard from its sender's incarnation (and notes it).
    private bool IsNext(SignalMessage message)
    {
        var now = Environment.TickCount64;
        var key = (message.Instance, message.Incarnation);
        if (_lastHeard.TryGetValue(key, out var last) && message.Sequence <= last.Sequence)
        {
            return false;
        }

        _lastHeard[key] = (message.Sequence, now);
        var forget = (long)(2 * MaxMessageAge).TotalMilliseconds;
        if (now - _lastHeardPrunedAt > forget)
        {
            _lastHeardPrunedAt = now;
            foreach (var gone in _lastHeard.Where(p => now - p.Value.HeardAt > forget).Select(p => p.Key).ToList())
            {
                _lastHeard.Remove(gone);
            }
        }

        return true;
    }

    /// <summary>Applies one payload from the channel; <paramref name="pid"/> is the notifying backend (for the log).</summary>
    private async Task HandleAsync(int pid, string payload)
    {
        if (_seal.Open(payload, out var error) is not { } json
            || SignalMessage.TryDecode(json, out error) is not { } message
            || (error = Stale(message)) is not null)
        {
            SignalLog.PayloadIgnored(_logger, pid, error ?? "invalid");
            return;
        }

        if (message.Instance != _instance && !IsNext(message))
        {
            SignalLog.PayloadIgnored(_logger, pid, $"replayed: sequence {message.Sequence} of {message.Instance}/{message.Incarnation} was heard already");
            return;
        }

        Interlocked.Increment(ref _received);
        if (message.Instance == _instance)
        {
            if (message.Incarnation == _incarnation)
            {
                Interlocked.Exchange(ref _lastSelfHeard, Environment.TickCount64);
            }
            else if (!_duplicateLogged)
            {
                _duplicateLogged = true;
                SignalLog.DuplicateInstance(_logger, _instance);
            }

            return;
        }

        var gone = new List<string>();
        if (message.Kind == SignalKind.Goodbye)
        {
            _presence.Goodbye(message.Instance, message.Incarnation, gone);
            SignalLog.PeerLeft(_logger, message.Instance);
            WentOfflineElsewhere(gone, grace: _options.PeerTimeout);
            return;
        }

        var isNew = _presence.Heard(message.Instance, message.Incarnation, Environment.TickCount64, gone);
        if (isNew)
        {
            SignalLog.PeerJoined(_logger, message.Instance);
            // A peer we knew nothing of that is not announcing itself right now: ask it for its users.
            if (message.Kind is SignalKind.Heartbeat or SignalKind.Presence or SignalKind.RoomEvent or SignalKind.RoomAction)
            {
                Enqueue(New(SignalKind.SyncRequest) with { Target = message.Instance });
            }
        }

        switch (message.Kind)
        {
            case SignalKind.Presence:
                _presence.Presence(message.Instance, message.User!, message.Online!.Value, gone);
                break;
            case SignalKind.Snapshot:
                _presence.SnapshotChunk(message.Instance, message.SnapshotId, message.Chunk, message.Chunks, message.Users!, gone);
                break;
            case SignalKind.SyncRequest when message.Target is null || message.Target == _instance:
                AnnounceSnapshot();
                if (message.Since is { } since)
                {
                    RequestResync(since);
                }

                break;
            case SignalKind.RoomEvent:
                await _hub.NotifyAsync(message.User!, message.Event!, _stop.Token).ConfigureAwait(false);
                break;
            case SignalKind.RoomAction when Router.FindByRoom(message.Room!) is not null:
                // Only the instance whose router holds the room's live call acts (the sender checked the party). It
                // tells the sender at once that it holds the call and queued the action: without that answer the
                // sender cannot know the action was not lost; waiting for the call to handle it (a bridge, an
                // originate) would make a slow call look like a lost action.
                if (message.Request is { } request)
                {
                    Enqueue(New(SignalKind.ActionTaken) with { Target = message.Instance, Request = request });
                }

                _routerInputs.Writer.TryWrite((router, ct) =>
                    router.SubmitAsync(message.Room!, at => RoomAction.ToInput(message.Action!, at), ct));
                break;
            case SignalKind.ActionTaken when message.Target == _instance:
                if (_forwarded.TryGetValue(message.Request!, out var taken))
                {
                    taken.TrySetResult();
                }

                break;
            default:
                break;
        }

        WentOfflineElsewhere(gone);
    }
}
