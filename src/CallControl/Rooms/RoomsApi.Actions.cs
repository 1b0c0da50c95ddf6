using System.Security.Claims;
using CallControl.Calls;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallControl.Rooms;

// The callee joins, says busy or refuses; the caller cancels. Each becomes one input of the room's live call.
public static partial class RoomsApi
{
    private static async Task<Results<Ok<RoomAccess>, ValidationProblem, ProblemHttpResult>> JoinAsync(
        string id, JoinRoomRequest? request, ClaimsPrincipal user, RoomServices services, HttpResponse response, CancellationToken cancellationToken)
    {
        var userId = UserId(user);
        var errors = RoomRequestValidation.Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (room, problem) = await FindRoomAsync(id, userId, services, cancellationToken).ConfigureAwait(false);
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

            // The login first: the callee's leg may park right after this answer. Issued here, for a call steered here:
            // the call checks the leg's login itself when it parks (CallSession.ClaimLogin).
            var login = await services.Logins.IssueAsync(room.Id, userId, services.Options.Value.VertoLoginTtl, cancellationToken).ConfigureAwait(false);
            session.Issued(login);
            var access = Access(room, session.CallId, userId, request?.NatType, login, services);
            await services.Router.SubmitAsync(room.Id, at => new CalleeJoined(at), cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(access);
        }

        // Another instance steers the call (this one received the request): the join goes to it over the signal bus.
        if (await CallInProgressAsync(room, services, cancellationToken).ConfigureAwait(false) is not { } callId || !services.Signals.CanForward)
        {
            return Problem(StatusCodes.Status409Conflict, "The room's call is over.", "id");
        }

        var forwardedAccess = await AccessAsync(room, callId, userId, request?.NatType, services, cancellationToken).ConfigureAwait(false);
        return await services.Signals.ForwardActionAsync(room.Id, RoomAction.Join, cancellationToken).ConfigureAwait(false) switch
        {
            ForwardOutcome.Taken => TypedResults.Ok(forwardedAccess),
            ForwardOutcome.Unconfirmed => Unconfirmed(response, RoomAction.Join),
            _ => Problem(StatusCodes.Status409Conflict, "The room's call is over.", "id"),
        };
    }

    private static Task<Results<Ok<RoomView>, Accepted<RoomView>, ProblemHttpResult>> BusyAsync(
        string id, ClaimsPrincipal user, RoomServices services, HttpResponse response, CancellationToken cancellationToken) =>
        ActAsync(id, UserId(user), CallParty.Callee, RoomAction.Busy, services, response, cancellationToken);

    private static Task<Results<Ok<RoomView>, Accepted<RoomView>, ProblemHttpResult>> RefuseAsync(
        string id, ClaimsPrincipal user, RoomServices services, HttpResponse response, CancellationToken cancellationToken) =>
        ActAsync(id, UserId(user), CallParty.Callee, RoomAction.Refuse, services, response, cancellationToken);

    private static Task<Results<Ok<RoomView>, Accepted<RoomView>, ProblemHttpResult>> CancelAsync(
        string id, ClaimsPrincipal user, RoomServices services, HttpResponse response, CancellationToken cancellationToken) =>
        ActAsync(id, UserId(user), CallParty.Caller, RoomAction.Cancel, services, response, cancellationToken);

    /// <summary>
    /// One party's action on the room's live call; answers with the room's state after it. When another instance steers
    /// the call, the action goes to it over the signal bus: 202 with the state before it once that instance confirms it
    /// queued the action, 503 (retry) when none does in time.
    /// </summary>
    private static async Task<Results<Ok<RoomView>, Accepted<RoomView>, ProblemHttpResult>> ActAsync(
        string id, string userId, CallParty who, string action, RoomServices services, HttpResponse response,
        CancellationToken cancellationToken)
    {
        var (room, problem) = await FindRoomAsync(id, userId, services, cancellationToken).ConfigureAwait(false);
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

        if (await CallInProgressAsync(room, services, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problem(StatusCodes.Status409Conflict, "The room's call is over.", "id");
        }

        var before = await ViewAsync(room, services.Calls, cancellationToken).ConfigureAwait(false);
        return await services.Signals.ForwardActionAsync(room.Id, action, cancellationToken).ConfigureAwait(false) switch
        {
            ForwardOutcome.Taken => TypedResults.Accepted("/api/rooms/" + room.Id, before),
            ForwardOutcome.Unconfirmed => Unconfirmed(response, action),
            _ => Problem(StatusCodes.Status409Conflict, "The room's call is over.", "id"),
        };
    }

    /// <summary>
    /// The action went to the other instances but none confirmed its router holds the call: it may have been lost on
    /// the way (the signal bus delivers at most once) or no instance steers the call right now (a takeover). The
    /// client may repeat the request: if the first one did arrive, the repeat changes nothing (the call machine ignores
    /// an action outside the phase it applies to, and a call that is over answers 409).
    /// </summary>
    private static ProblemHttpResult Unconfirmed(HttpResponse response, string action)
    {
        response.Headers.RetryAfter = "1";
        return Problem(StatusCodes.Status503ServiceUnavailable,
            $"The instance steering the room's call did not confirm the {action}; try again.", "id");
    }

    /// <summary>The id of the room's latest call when it is not over (as stored), else null.</summary>
    private static async Task<Guid?> CallInProgressAsync(Data.RoomRecord room, RoomServices services, CancellationToken cancellationToken)
    {
        var call = await services.Calls.GetLatestForRoomAsync(room.Id, cancellationToken).ConfigureAwait(false);
        return call is not null && !Data.CallStatuses.IsFinal(call.Status) ? call.Id : null;
    }
}
