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

        if (services.Router.FindByRoom(room.Id) is not { } session || session.State.IsFinal)
        {
            return Problem(StatusCodes.Status409Conflict, "The room's call is over.", "id");
        }

        // The login first: the callee's leg may park right after this answer.
        var access = await AccessAsync(room, session.CallId, userId, request?.NatType, services, cancellationToken).ConfigureAwait(false);
        await services.Router.SubmitAsync(room.Id, at => new CalleeJoined(at), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(access);
    }

    private static Task<Results<Ok<RoomView>, ProblemHttpResult>> BusyAsync(
        string id, ClaimsPrincipal user, RoomServices services, CancellationToken cancellationToken) =>
        ActAsync(id, UserId(user), CallParty.Callee, at => new CalleeBusy(at), services, cancellationToken);

    private static Task<Results<Ok<RoomView>, ProblemHttpResult>> RefuseAsync(
        string id, ClaimsPrincipal user, RoomServices services, CancellationToken cancellationToken) =>
        ActAsync(id, UserId(user), CallParty.Callee, at => new CalleeRefused(at), services, cancellationToken);

    private static Task<Results<Ok<RoomView>, ProblemHttpResult>> CancelAsync(
        string id, ClaimsPrincipal user, RoomServices services, CancellationToken cancellationToken) =>
        ActAsync(id, UserId(user), CallParty.Caller, at => new CallerCanceled(at), services, cancellationToken);

    /// <summary>One party's action on the room's live call; answers with the room's state after it.</summary>
    private static async Task<Results<Ok<RoomView>, ProblemHttpResult>> ActAsync(
        string id, string userId, CallParty who, Func<DateTimeOffset, CallInput> input, RoomServices services,
        CancellationToken cancellationToken)
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

        if (!await services.Router.SubmitAsync(room.Id, input, cancellationToken).ConfigureAwait(false))
        {
            return Problem(StatusCodes.Status409Conflict, "The room's call is over.", "id");
        }

        return TypedResults.Ok(await ViewAsync(room, services.Calls, cancellationToken).ConfigureAwait(false));
    }
}
