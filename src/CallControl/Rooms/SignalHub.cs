using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using CallControl.Calls.Router;

namespace CallControl.Rooms;

/// <summary>
/// Who is connected to signaling on this instance, and the push of room events to them. A user may have several
/// connections (tabs, devices): each gets every event. Sends to one socket are serialised (a WebSocket allows one send
/// at a time). The cluster-wide view (sockets on other instances) is <see cref="SignalBus"/>'s, built on this one.
/// </summary>
public sealed class SignalHub : ICallNotifier
{
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
        var held = new List<(string User, Connection Connection)>();
        try
        {
            foreach (var user in users)
            {
                if (!_users.TryGetValue(user, out var connections))
                {
                    continue;
                }

                foreach (var connection in connections.Values)
                {
                    if (await connection.TryHoldAsync(cancellationToken).ConfigureAwait(false))
                    {
                        held.Add((user, connection));
                    }
                }
            }

            var sent = 0;
            foreach (var events in (await load(cancellationToken).ConfigureAwait(false)).GroupBy(e => e.User, e => e.Event))
            {
                var payloads = events.Select(Serialize).ToList();
                foreach (var (_, connection) in held.Where(h => h.User == events.Key))
                {
                    foreach (var payload in payloads)
                    {
                        await connection.SendHeldAsync(payload, cancellationToken).ConfigureAwait(false);
                        sent++;
                    }
                }
            }

            return sent;
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
        var connection = new Connection(socket, held);
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

    internal sealed class Connection(WebSocket socket, bool held) : IDisposable
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
        public async Task<bool> TryHoldAsync(CancellationToken cancellationToken)
        {
            try
            {
                await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
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
                    await socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (WebSocketException)
            {
                // The peer went away; the endpoint's receive loop notices and unregisters it.
            }
        }

        public void Dispose() => _send.Dispose();
    }
}
