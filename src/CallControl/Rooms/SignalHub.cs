using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using CallControl.Calls.Router;

namespace CallControl.Rooms;

/// <summary>
/// Who is connected to signaling, and the push of room events to them. A user may have several connections (tabs,
/// devices): each gets every event. Sends to one socket are serialised (a WebSocket allows one send at a time).
/// </summary>
public sealed class SignalHub : ICallNotifier
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Connection>> _users = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public bool IsOnline(string userId) => _users.TryGetValue(userId, out var c) && !c.IsEmpty;

    /// <inheritdoc />
    public async Task NotifyAsync(string userId, RoomEvent roomEvent, CancellationToken cancellationToken)
    {
        if (!_users.TryGetValue(userId, out var connections))
        {
            return;
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(roomEvent, Json);
        foreach (var connection in connections.Values)
        {
            await connection.SendAsync(payload, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Registers a connection; dispose the result when the socket closes. Returns whether it was the user's last.</summary>
    internal Registration Register(string userId, WebSocket socket)
    {
        var id = Guid.NewGuid();
        var connections = _users.GetOrAdd(userId, _ => new ConcurrentDictionary<Guid, Connection>());
        var connection = new Connection(socket);
        connections[id] = connection;
        return new Registration(this, userId, id, connection);
    }

    private bool Unregister(string userId, Guid id)
    {
        if (_users.TryGetValue(userId, out var connections) && connections.TryRemove(id, out var connection))
        {
            connection.Dispose();
            return connections.IsEmpty;
        }

        return false;
    }

    internal sealed class Registration(SignalHub hub, string userId, Guid id, Connection connection)
    {
        public Connection Connection => connection;

        /// <summary>Removes the connection; true when the user has no connection left (now offline).</summary>
        public bool Close() => hub.Unregister(userId, id);
    }

    internal sealed class Connection(WebSocket socket) : IDisposable
    {
        private readonly SemaphoreSlim _send = new(1, 1);

        public async Task SendAsync(byte[] payload, CancellationToken cancellationToken)
        {
            await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
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
            finally
            {
                _send.Release();
            }
        }

        public void Dispose() => _send.Dispose();
    }
}
