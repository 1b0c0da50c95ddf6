using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using CallControl.Calls.Router;

namespace CallControl.Rooms;

/// <summary>
/// Who is connected to signaling on this instance, and the push of room events to them. A user may have several
/// connections (tabs, devices): each gets every event. Sends to one socket are serialised (a WebSocket allows one send
/// at a time). The cluster-wide view (sockets on other instances) is <see cref="SignalBus"/>'s, built on this one.
/// A send that a socket does not take within the send timeout (a client that stopped reading, whose TCP window stays
/// shut) aborts that socket: otherwise the call whose event it was, and everyone after it in a resync, would wait on it.
/// </summary>
public sealed class SignalHub(TimeSpan? sendTimeout = null) : ICallNotifier
{
    /// <summary>How long one send to one socket may take before the socket is cut off.</summary>
    public static readonly TimeSpan DefaultSendTimeout = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _sendTimeout = sendTimeout ?? DefaultSendTimeout;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Connection>> _users = new(StringComparer.Ordinal);
    private readonly Lock _membership = new();

    /// <inheritdoc />
    public bool IsOnline(string userId) => _users.TryGetValue(userId, out var c) && !c.IsEmpty;

    /// <inheritdoc />
    public async Task NotifyAsync(string userId, RoomEvent roomEvent, CancellationToken cancellationToken)
    {
        if (!_users.TryGetValue(userId, out var connections))
        {
            return;
        }

        var payload = Serialize(roomEvent);
        foreach (var connection in connections.Values)
        {
            await connection.SendAsync(payload, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Brings the connections of <paramref name="users"/> back in step after events may have been missed: each is held
    /// (events pushed meanwhile wait), <paramref name="load"/> reads where the users' calls stand, each user's events
    /// are sent to every connection of theirs held here, and then the held connections are let go, so an event pushed
    /// during the read follows the state it supersedes instead of being overtaken by it. How many events went out.
    /// </summary>
    internal async Task<int> ResyncAsync(
        IReadOnlyCollection<string> users,
        Func<CancellationToken, Task<IReadOnlyList<(string User, RoomEvent Event)>>> load,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(load);
        var candidates = new List<(string User, Connection Connection)>();
        foreach (var user in users)
        {
            if (_users.TryGetValue(user, out var connections))
            {
                candidates.AddRange(connections.Values.Select(c => (user, c)));
            }
        }

        // Every connection is held on its own, at once: one whose send slot stays taken past the send timeout (a push
        // stuck on a client that does not read) is left out instead of holding up the others.
        var holds = await Task.WhenAll(candidates.Select(async c => await c.Connection.TryHoldAsync(_sendTimeout, cancellationToken).ConfigureAwait(false)))
            .ConfigureAwait(false);
        var held = candidates.Where((_, i) => holds[i]).ToList();
        try
        {
            var byUser = (await load(cancellationToken).ConfigureAwait(false))
                .GroupBy(e => e.User, e => e.Event, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(Serialize).ToList(), StringComparer.Ordinal);
            // Each socket in turn would let one slow client delay all the others by up to the send timeout each.
            var sent = await Task.WhenAll(held.Select(h => byUser.TryGetValue(h.User, out var payloads)
                ? h.Connection.SendHeldAsync(payloads)
                : Task.FromResult(0))).ConfigureAwait(false);
            return sent.Sum();
        }
        finally
        {
            foreach (var (_, connection) in held)
            {
                connection.Release();
            }
        }
    }

    /// <summary>The users with at least one connection here.</summary>
    internal IEnumerable<string> OnlineUsers => _users.Where(p => !p.Value.IsEmpty).Select(p => p.Key);

    internal static byte[] Serialize(RoomEvent roomEvent) => JsonSerializer.SerializeToUtf8Bytes(roomEvent, Json);

    /// <summary>
    /// Registers a connection; close the result when the socket closes. A <paramref name="held"/> connection gets no
    /// pushed event until <see cref="Connection.Release"/>: what it must hear first is sent with
    /// <see cref="Connection.SendHeldAsync"/>, and the events pushed meanwhile follow in order.
    /// </summary>
    internal Registration Register(string userId, WebSocket socket, bool held = false)
    {
        var id = Guid.NewGuid();
        var connection = new Connection(socket, held, _sendTimeout);
        // Registering and unregistering take the lock so that a user's entry is removed when its last socket goes
        // (else every user ever connected would keep one) without a concurrent registration landing in a removed entry.
        // Sends and presence checks read without it.
        lock (_membership)
        {
            _users.GetOrAdd(userId, _ => new ConcurrentDictionary<Guid, Connection>())[id] = connection;
        }

        return new Registration(this, userId, id, connection);
    }

    /// <summary>How many users have an entry (each has at least one socket).</summary>
    internal int UserEntries => _users.Count;

    private bool Unregister(string userId, Guid id)
    {
        Connection? connection;
        bool last;
        lock (_membership)
        {
            if (!_users.TryGetValue(userId, out var connections) || !connections.TryRemove(id, out connection))
            {
                return false;
            }

            last = connections.IsEmpty;
            if (last)
            {
                _users.TryRemove(userId, out _);
            }
        }

        connection.Dispose();
        return last;
    }

    internal sealed class Registration(SignalHub hub, string userId, Guid id, Connection connection)
    {
        public Connection Connection => connection;

        /// <summary>Removes the connection; true when the user has no connection left (now offline).</summary>
        public bool Close() => hub.Unregister(userId, id);
    }

    internal sealed class Connection(WebSocket socket, bool held, TimeSpan sendTimeout) : IDisposable
    {
        // A held connection starts with its send slot taken: the holder sends first, then releases it.
        private readonly SemaphoreSlim _send = new(held ? 0 : 1, 1);
        private int _held = held ? 1 : 0;

        public async Task SendAsync(byte[] payload, CancellationToken cancellationToken)
        {
            await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await WriteAsync(payload, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _send.Release();
            }
        }

        /// <summary>Sends while the connection is held (the holder owns the send slot).</summary>
        public Task SendHeldAsync(byte[] payload, CancellationToken cancellationToken) =>
            Volatile.Read(ref _held) == 1 ? WriteAsync(payload, cancellationToken) : throw new InvalidOperationException("The connection is not held.");

        /// <summary>Sends <paramref name="payloads"/> in order while held; how many went to an open socket.</summary>
        public async Task<int> SendHeldAsync(IReadOnlyList<byte[]> payloads)
        {
            var sent = 0;
            foreach (var payload in payloads)
            {
                if (socket.State != WebSocketState.Open)
                {
                    break;
                }

                await SendHeldAsync(payload, CancellationToken.None).ConfigureAwait(false);
                sent++;
            }

            return sent;
        }

        /// <summary>Sends a close frame (in turn with pushed events); gives up after <paramref name="timeout"/>.</summary>
        public async Task CloseAsync(WebSocketCloseStatus status, string description, TimeSpan timeout)
        {
            try
            {
                using var cancel = new CancellationTokenSource(timeout);
                if (!await _send.WaitAsync(timeout).ConfigureAwait(false))
                {
                    return;
                }

                try
                {
                    if (socket.State == WebSocketState.Open)
                    {
                        await socket.CloseOutputAsync(status, description, cancel.Token).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _send.Release();
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Gone already, or too slow to close politely: it is dropped with the request.
            }
        }

        /// <summary>
        /// Takes the send slot from a connection already serving (see <see cref="SignalHub.ResyncAsync"/>): false when it
        /// closed meanwhile. While held, only <see cref="SendHeldAsync"/> sends; <see cref="Release"/> gives it back.
        /// </summary>
        public async Task<bool> TryHoldAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            try
            {
                if (!await _send.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }
            }
            catch (ObjectDisposedException)
            {
                return false;
            }

            Volatile.Write(ref _held, 1);
            return true;
        }

        /// <summary>Lets pushed events through (once per hold; later calls do nothing, and so does a closed connection).</summary>
        public void Release()
        {
            if (Interlocked.Exchange(ref _held, 0) == 1)
            {
                try
                {
                    _send.Release();
                }
                catch (ObjectDisposedException)
                {
                    // Closed while held: nobody sends on it any more.
                }
            }
        }

        private async Task WriteAsync(byte[] payload, CancellationToken cancellationToken)
        {
            try
            {
                if (socket.State == WebSocketState.Open)
                {
                    using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    bounded.CancelAfter(sendTimeout);
                    await socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, bounded.Token).ConfigureAwait(false);
                }
            }
            catch (WebSocketException)
            {
                // The peer went away; the endpoint's receive loop notices and unregisters it.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Not taken within the send timeout: a client that does not read. Cut off (a cancelled send aborts the
                // socket already; this makes it explicit), its receive loop ends and unregisters it.
                socket.Abort();
            }
        }

        public void Dispose() => _send.Dispose();
    }
}
