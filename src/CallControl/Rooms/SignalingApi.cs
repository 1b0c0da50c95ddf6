using System.Net.WebSockets;
using CallControl.Auth;
using CallControl.Calls.Router;

namespace CallControl.Rooms;

/// <summary>
/// <c>/api/signal</c>: a WebSocket per signed-in user. The server pushes room events as JSON text messages; what the
/// client sends is read and ignored (the connection's presence is what counts: a callee without one is offline).
/// Browsers cannot set headers on a WebSocket, so the bearer token may come as the <c>access_token</c> query parameter.
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

    private static async Task HandleAsync(HttpContext context, SignalHub hub, CallRouter router)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var userId = RoomsApi.UserId(context.User);
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var registration = hub.Register(userId, socket);
        try
        {
            var buffer = new byte[1024];
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client vanished: same as a close.
        }
        finally
        {
            if (registration.Close())
            {
                await router.UserWentOfflineAsync(userId, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
