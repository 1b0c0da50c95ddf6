namespace CallControl.Rooms;

// The room API's JSON contract (camelCase on the wire). Every field a client sends is validated before use
// (RoomRequestValidation); none of it reaches a dial string or an ESL command.

/// <summary>
/// <c>POST /api/rooms</c>: <see cref="Callee"/> (a user id) or <see cref="CalleeNumber"/> (E.164). <see cref="Fallback"/>
/// overrides the configured fallback policy for this room, reason by reason (null keeps the configured value); the
/// callee's own "no fallback" setting and the dialing policy still apply. <see cref="WebhookUrl"/> (absolute http or
/// https) receives this room's status webhooks instead of the deployment's <c>Webhooks:Url</c>.
/// </summary>
public sealed record CreateRoomRequest(
    string? Callee, string? CalleeNumber, string? Media, bool? Record, string? NatType,
    Calls.FallbackPolicyOverrides? Fallback = null, string? WebhookUrl = null);

/// <summary><c>POST /api/rooms/{id}/join</c>.</summary>
public sealed record JoinRoomRequest(string? NatType);

/// <summary>Where and how the party's verto client logs in and what it calls.</summary>
public sealed record VertoAccess(string Url, string Login, string Password, string Destination);

/// <summary>What a party needs to enter the room: verto access and the ICE configuration.</summary>
public sealed record RoomAccess(
    string RoomId, Guid CallId, VertoAccess Verto, IReadOnlyList<IceServer> IceServers, string IceTransportPolicy);

/// <summary><c>GET /api/rooms/{id}</c>.</summary>
public sealed record RoomView(string RoomId, string State, CallView? Call);

/// <summary>The room's latest call; <see cref="Status"/> moves through ringing, fallback-dialing, answered to a final status.</summary>
public sealed record CallView(
    Guid Id,
    string Status,
    string? AnsweredVia,
    string? FallbackReason,
    DateTime CreatedAt,
    DateTime? AnsweredAt,
    DateTime? EndedAt,
    int? Billsec,
    string? HangupCause);
