namespace CallControl.Calls.Router;

/// <summary>Pushes room events to people (the signaling WebSocket); implemented in <c>Rooms/</c>.</summary>
public interface ICallNotifier
{
    /// <summary>Whether the user has a live signaling connection (a callee without one is "offline").</summary>
    bool IsOnline(string userId);

    /// <summary>Sends one room event to every signaling connection of <paramref name="userId"/>; no-op when offline.</summary>
    Task NotifyAsync(string userId, RoomEvent roomEvent, CancellationToken cancellationToken);
}

/// <summary>
/// A room event as pushed over signaling (JSON, camelCase): <c>type</c> is invite, ringing, joined, busy, refused,
/// canceled, fallback-dialing, answered or ended.
/// </summary>
public sealed record RoomEvent(string Type, string RoomId, Guid CallId, string Status, string? From = null, string? Media = null);
