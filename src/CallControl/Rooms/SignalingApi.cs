using System.Net.WebSockets;
using CallControl.Auth;

namespace CallControl.Rooms;

/// <summary>
/// <c>/api/signal</c>: a WebSocket per signed-in user. On connect the server sends one <c>state</c> event per call of the
/// user in progress (so a client reconnecting after a takeover knows where its call stands), then pushes room events
/// as JSON text messages; what the client sends is read and ignored (the connection's presence is what counts: a
/// callee without one on any instance is offline). Browsers cannot set headers on a WebSocket, so the bearer token
/// may come as the <c>access_token</c> query parameter.
/// </summary>
public static class SignalingApi
{
    public const string Path = "/api/signal";

    public static IEndpointConventionBuilder MapSignaling(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.Map(Path, HandleAsync)
            .RequireAuthorization(AuthPolicies.User)
            .WithTags("Rooms");
    }

    private static async Task HandleAsync(HttpContext context, SignalBus bus, IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var userId = RoomsApi.UserId(context.User);
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        // A stopping instance closes its sockets at once ("going away", 1001), so clients reconnect to another instance
        // instead of holding the shutdown up until the host gives up on them.
        using var open = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var registration = bus.Connect(userId, socket);
        using var stopping = lifetime.ApplicationStopping.Register(() => _ = GoAwayAsync(registration.Connection, open));
        try
        {
            await bus.SendStateAsync(userId, registration, open.Token).ConfigureAwait(false);
            var buffer = new byte[1024];
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var received = await socket.ReceiveAsync(buffer, open.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                    }

                    break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client vanished, or did not answer a stopping instance's close: same as a close.
        }
        finally
        {
            await bus.DisconnectAsync(userId, registration, leaving: lifetime.ApplicationStopping.IsCancellationRequested).ConfigureAwait(false);
        }
    }

    /// <summary>Sends the close frame; the client gets a second to answer it before the socket is dropped.</summary>
    private static async Task GoAwayAsync(SignalHub.Connection connection, CancellationTokenSource open)
    {
        await connection.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "server stopping", TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        try
        {
            open.CancelAfter(TimeSpan.FromSeconds(1));
        }
        catch (ObjectDisposedException)
        {
            // The socket closed meanwhile.
        }
    }
}
