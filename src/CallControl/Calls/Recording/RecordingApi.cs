using System.Security.Claims;
using CallControl.Auth;
using CallControl.Calls.Router;
using CallControl.Data;
using CallControl.Health;
using CallControl.Rooms;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallControl.Calls.Recording;

/// <summary>
/// <c>POST /api/calls/{id}/recording</c> {action: start|stop|pause|resume}: the call's caller and callee, and admins,
/// control its recording. 404 unknown call, 403 anyone else, 400 (field <c>action</c>) for another action, 409 when the
/// call is not answered or has ended, or the action does not fit the recording's state (start while recording, pause
/// while paused, stop with none running). The file is always the service's choice.
/// <c>GET /api/recordings/{id}</c> streams the archived recording (<see cref="RecordingDownload"/>).
/// </summary>
public static class RecordingApi
{
    public static IEndpointRouteBuilder MapRecordings(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGroup("/api/calls").RequireAuthorization(AuthPolicies.User).WithTags("Calls").RequiresDatabase()
            .MapPost("/{id:guid}/recording", ControlAsync);
        endpoints.MapGroup("/api/recordings").RequireAuthorization(AuthPolicies.User).WithTags("Recordings").RequiresDatabase()
            .MapGet("/{id:guid}", RecordingDownload.GetAsync);
        return endpoints;
    }

    /// <summary>The caller, the callee and admins may act on a call or hear its recording.</summary>
    internal static bool MayAccess(ClaimsPrincipal user, string caller, string? callee)
    {
        var userId = RoomsApi.UserId(user);
        return user.IsInRole(AuthPolicies.AdminRole) || userId == caller || (callee is not null && userId == callee);
    }

    private static async Task<Results<Ok<RecordingResponse>, ProblemHttpResult>> ControlAsync(
        Guid id, RecordingRequest? body, ClaimsPrincipal user, CallStore calls, CallRouter router, RecordingController recordings,
        CancellationToken cancellationToken)
    {
        var call = await calls.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (call is null)
        {
            return Problem(StatusCodes.Status404NotFound, "No such call.", "id");
        }

        if (!MayAccess(user, call.Caller, call.Callee))
        {
            return Problem(StatusCodes.Status403Forbidden, "Only the call's caller and callee, and admins, may control its recording.", "id");
        }

        if (RecordingRules.Parse(body?.Action) is not { } action)
        {
            return Problem(StatusCodes.Status400BadRequest, "action must be one of: start, stop, pause, resume.", "action");
        }

        if (router.FindCall(id) is not { } session)
        {
            return Problem(StatusCodes.Status409Conflict, "The call is not answered, or has ended.", "id");
        }

        var outcome = await recordings.ControlAsync(session, action, null, cancellationToken).ConfigureAwait(false);
        return outcome.Result switch
        {
            RecordingResult.Done => TypedResults.Ok(RecordingResponse.From(action, outcome.Recording!)),
            RecordingResult.CallNotAnswered => Problem(StatusCodes.Status409Conflict, "The call is not answered, or has ended.", "id"),
            RecordingResult.DoesNotFit => Problem(
                StatusCodes.Status409Conflict,
                $"'{body!.Action}' does not fit the recording's state ({outcome.Recording?.Phase.ToString().ToLowerInvariant() ?? "not recording"}).",
                "action"),
            RecordingResult.Refused => Problem(StatusCodes.Status409Conflict, "FreeSWITCH refused: the leg or its recording is gone.", "action"),
            _ => Problem(StatusCodes.Status503ServiceUnavailable, "The call's FreeSWITCH node is not reachable.", "id"),
        };
    }

    internal static ProblemHttpResult Problem(int status, string detail, string field) =>
        TypedResults.Problem(detail, statusCode: status, extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["field"] = field });
}

/// <summary>The body of <c>POST /api/calls/{id}/recording</c>.</summary>
public sealed record RecordingRequest(string? Action);

/// <summary>The recording after the action: its id (also <c>calls.recording_id</c>) and its state.</summary>
public sealed record RecordingResponse(Guid RecordingId, string State)
{
    internal static RecordingResponse From(RecordingAction action, LiveRecording recording) => new(
        recording.Id,
        action == RecordingAction.Stop ? "stopped" : recording.Phase == RecordingPhase.Paused ? "paused" : "recording");
}
