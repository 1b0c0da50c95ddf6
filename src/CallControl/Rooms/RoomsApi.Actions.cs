using System.Security.Claims;
using CallControl.Calls;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallControl.Rooms;

// The callee joins, says busy or refuses; the caller cancels. Each becomes one input of the room's live call.
public static partial class RoomsApi
{
    private static async Task<Results<Ok<RoomAccess>, ValidationProblem, ProblemHttpResult>> JoinAsync(
        string id, JoinRoomRequest? request, ClaimsPrincipal user, RoomServices services, CancellationToken cancellationToken)
    {
        var userId = UserId(user);
        var errors = RoomRequestValidation.Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (room, problem) = await FindRoomAsync(id, userId, services.Rooms, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (room!.CalleeUserId != userId)
        {
            return Problem(StatusCodes.Status403Forbidden, "Only the room's callee joins it.", "id");
        }

        if (services.Router.FindByRoom(room.Id) is { } session)
        {
            if (session.State.IsFinal)
            {
                return Problem(StatusCodes.Status409Conflict, "The room's call is over.", "id");
            }

            // The login first: the callee's leg may park right after this answer.
            var access = await AccessAsync(room, session.CallId, userId, request?.NatType, services, cancellationToken).ConfigureAwait(false);
            await services.Router.SubmitAsync(room.Id, at => new CalleeJoined(at), cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(access);
        }

        // Another instance steers the call (this one received the request): the join goes to it over the signal bus.
        if (await CallInProgressAsync(room, services, cancellationToken).ConfigureAwait(false) is not { } callId || !services.Signals.CanForward)
        {
            return Problem(StatusCodes.Status409Conflict, "The room's call is over.", "id");
        }

        var forwardedAccess = await AccessAsync(room, callId, userId, request?.NatType, services, cancellationToken).ConfigureAwait(false);
        services.Signals.ForwardAction(room.Id, RoomAction.Join);
        return TypedResults.Ok(forwardedAccess);
    }

    private static Task<Results<Ok<RoomView>, Accepted<RoomView>, ProblemHttpResult>> BusyAsync(
        string id, ClaimsPrincipal user, RoomServices services, CancellationToken cancellationToken) =>
        ActAsync(id, UserId(user), CallParty.Callee, RoomAction.Busy, services, cancellationToken);

    private static Task<Results<Ok<RoomView>, Accepted<RoomView>, ProblemHttpResult>> RefuseAsync(
        string id, ClaimsPrincipal user, RoomServices services, CancellationToken cancellationToken) =>
        ActAsync(id, UserId(user), CallParty.Callee, RoomAction.Refuse, services, cancellationToken);

    private static Task<Results<Ok<RoomView>, Accepted<RoomView>, ProblemHttpResult>> CancelAsync(
        string id, ClaimsPrincipal user, RoomServices services, CancellationToken cancellationToken) =>
        ActAsync(id, UserId(user), CallParty.Caller, RoomAction.Cancel, services, cancellationToken);

    /// <summary>
    /// One party's action on the room's live call; answers with the room's state after it. When another instance steers
    /// the call, the action goes to it over the signal bus: 202 with the state before it.
    /// </summary>
    private static async Task<Results<Ok<RoomView>, Accepted<RoomView>, ProblemHttpResult>> ActAsync(
        string id, string userId, CallParty who, string action, RoomServices services, CancellationToken cancellationToken)
    {
        var (room, problem) = await FindRoomAsync(id, userId, services.Rooms, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var party = room!.CallerUserId == userId ? CallParty.Caller : CallParty.Callee;
        if (party != who)
        {
            return Problem(StatusCodes.Status403Forbidden, $"Only the room's {who.ToWire()} may do this.", "id");
        }

        if (await services.Router.SubmitAsync(room.Id, at => RoomAction.ToInput(action, at), cancellationToken).ConfigureAwait(false))
        {
            return TypedResults.Ok(await ViewAsync(room, services.Calls, cancellationToken).ConfigureAwait(false));
        }

        if (await CallInProgressAsync(room, services, cancellationToken).ConfigureAwait(false) is null || !services.Signals.ForwardAction(room.Id, action))
        {
            return Problem(StatusCodes.Status409Conflict, "The room's call is over.", "id");
        }

        return TypedResults.Accepted("/api/rooms/" + room.Id, await ViewAsync(room, services.Calls, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The id of the room's latest call when it is not over (as stored), else null.</summary>
    private static async Task<Guid?> CallInProgressAsync(Data.RoomRecord room, RoomServices services, CancellationToken cancellationToken)
    {
        var call = await services.Calls.GetLatestForRoomAsync(room.Id, cancellationToken).ConfigureAwait(false);
        return call is not null && !Data.CallStatuses.IsFinal(call.Status) ? call.Id : null;
    }
}
