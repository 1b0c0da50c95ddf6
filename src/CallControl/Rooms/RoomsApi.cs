using System.Security.Claims;
using CallControl.Auth;
using CallControl.Calls.Router;
using CallControl.Data;
using CallControl.Health;
using CallControl.Switch;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallControl.Rooms;

/// <summary>
/// The room API (the client SDK's calls): create a room, join it, say busy or refuse, cancel, read its state. Only the
/// room's caller and callee may act on it (403 for anyone else, 404 for a room that does not exist). Errors are
/// Problem Details naming the offending field.
/// </summary>
public static partial class RoomsApi
{
    public static RouteGroupBuilder MapRooms(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/api/rooms").RequireAuthorization(AuthPolicies.User).WithTags("Rooms").RequiresDatabase();
        group.MapPost("/", CreateAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPost("/{id}/join", JoinAsync);
        group.MapPost("/{id}/busy", BusyAsync);
        group.MapPost("/{id}/refuse", RefuseAsync);
        group.MapDelete("/{id}", CancelAsync);
        return group;
    }

    /// <summary>The user id of a validated token (its <c>sub</c>).</summary>
    public static string UserId(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(AuthPolicies.SubjectClaim) ?? throw new InvalidOperationException("An authenticated user has a subject.");
    }

    private static async Task<Results<Ok<RoomView>, ProblemHttpResult>> GetAsync(
        string id, ClaimsPrincipal user, RoomServices services, CancellationToken cancellationToken)
    {
        var (room, problem) = await FindRoomAsync(id, UserId(user), services, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Ok(await ViewAsync(room!, services.Calls, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<RoomView> ViewAsync(RoomRecord room, CallStore calls, CancellationToken cancellationToken)
    {
        // Read the room again: the call's end closes it.
        var call = await calls.GetLatestForRoomAsync(room.Id, cancellationToken).ConfigureAwait(false);
        var state = call is not null && Data.CallStatuses.IsFinal(call.Status) ? "closed" : room.State;
        return new RoomView(room.Id, state, call is null ? null : new CallView(
            call.Id, call.Status, call.AnsweredVia, call.FallbackReason, call.CreatedAt, call.AnsweredAt, call.EndedAt,
            call.Billsec, call.HangupCause));
    }

    /// <summary>
    /// The room if <paramref name="userId"/> is its caller or callee; 404 or 403 otherwise. A room whose live call this
    /// instance created is known without a read (its parties and node never change, and it is open while the call is
    /// live); any other is read from PostgreSQL.
    /// </summary>
    private static async Task<(RoomRecord? Room, ProblemHttpResult? Problem)> FindRoomAsync(
        string id, string userId, RoomServices services, CancellationToken cancellationToken)
    {
        var room = !RoomRequestValidation.IsRoomId(id) ? null
            : services.Router.FindByRoom(id) is { Room: { } known } session && !session.State.IsFinal ? known
            : await services.Rooms.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (room is null)
        {
            return (null, Problem(StatusCodes.Status404NotFound, "No such room.", "id"));
        }

        if (room.CallerUserId != userId && room.CalleeUserId != userId)
        {
            return (null, Problem(StatusCodes.Status403Forbidden, "Only the room's caller and callee may act on it.", "id"));
        }

        return (room, null);
    }

    private static ProblemHttpResult Problem(int status, string detail, string field, IDictionary<string, object?>? more = null)
    {
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["field"] = field };
        foreach (var (key, value) in more ?? new Dictionary<string, object?>())
        {
            extensions[key] = value;
        }

        return TypedResults.Problem(detail, statusCode: status, extensions: extensions);
    }

    /// <summary>The verto access and ICE configuration for one party, with a fresh one-time login.</summary>
    private static async Task<RoomAccess> AccessAsync(
        RoomRecord room, Guid callId, string userId, string? natType, RoomServices services, CancellationToken cancellationToken)
    {
        var login = await services.Logins.IssueAsync(room.Id, userId, services.Options.Value.VertoLoginTtl, cancellationToken).ConfigureAwait(false);
        return Access(room, callId, userId, natType, login, services);
    }

    /// <summary>The verto access and ICE configuration for one party, with its stored one-time login.</summary>
    private static RoomAccess Access(RoomRecord room, Guid callId, string userId, string? natType, VertoLogin login, RoomServices services)
    {
        var url = room.FreeswitchNode is { } node ? services.Nodes.State(node)?.VertoUrl : null;
        var ice = services.Ice.For(userId, natType);
        return new RoomAccess(
            room.Id, callId, new VertoAccess(url ?? "", login.Login, login.Password, "room-" + room.Id),
            ice.IceServers, ice.IceTransportPolicy);
    }
}

/// <summary>The services the room handlers share, injected as one parameter.</summary>
internal sealed record RoomServices(
    UserStore Users,
    RoomStore Rooms,
    CallStore Calls,
    VertoLoginStore Logins,
    NodePool Nodes,
    NodeSelector Selector,
    IceServers Ice,
    CallRouter Router,
    SignalBus Signals,
    Dialing.DialingPolicy Policy,
    IOptions<RoomsOptions> Options);
