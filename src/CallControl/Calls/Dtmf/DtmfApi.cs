using System.Security.Claims;
using CallControl.Auth;
using CallControl.Calls.Router;
using CallControl.Data;
using CallControl.Esl.Connection;
using CallControl.Health;
using CallControl.Rooms;
using CallControl.Switch;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallControl.Calls.Dtmf;

/// <summary>
/// <c>POST /api/calls/{id}/dtmf</c>: a party of an answered call plays DTMF to one leg (an IVR behind the carrier, a
/// door opener). 404 for an unknown call, 403 for anyone but its caller and callee, 400 (naming the field) for a bad
/// body, 409 when the call is not answered or has ended. Nothing is sent unless every check passed.
/// </summary>
public static class DtmfApi
{
    public static RouteGroupBuilder MapDtmf(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/api/calls").RequireAuthorization(AuthPolicies.User).WithTags("Calls").RequiresDatabase();
        group.MapPost("/{id:guid}/dtmf", SendAsync);
        return group;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SendAsync(
        Guid id, DtmfRequest? body, ClaimsPrincipal user, CallStore calls, DtmfSender sender, CancellationToken cancellationToken)
    {
        var call = await calls.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (call is null)
        {
            return Problem(StatusCodes.Status404NotFound, "No such call.", "id");
        }

        var userId = RoomsApi.UserId(user);
        if (call.Caller != userId && call.Callee != userId)
        {
            return Problem(StatusCodes.Status403Forbidden, "Only the call's caller and callee may send DTMF on it.", "id");
        }

        var (send, field, detail) = DtmfValidation.Validate(body);
        if (send is null)
        {
            return Problem(StatusCodes.Status400BadRequest, detail!, field!);
        }

        var outcome = await sender.SendAsync(id, send, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            DtmfOutcome.Sent => TypedResults.NoContent(),
            DtmfOutcome.NotAnswered => Problem(StatusCodes.Status409Conflict, "The call is not answered, or has ended.", "id"),
            DtmfOutcome.LegGone => Problem(StatusCodes.Status409Conflict, "The leg is no longer there.", "leg"),
            _ => Problem(StatusCodes.Status503ServiceUnavailable, "The call's FreeSWITCH node is not reachable.", "id"),
        };
    }

    private static ProblemHttpResult Problem(int status, string detail, string field) =>
        TypedResults.Problem(detail, statusCode: status, extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["field"] = field });
}

/// <summary>What came of a send.</summary>
public enum DtmfOutcome
{
    Sent,
    NotAnswered,
    LegGone,
    NodeUnavailable,
}

/// <summary>Sends validated DTMF to a live call's leg and records it as <c>sent</c>.</summary>
public sealed class DtmfSender(
    CallRouter router, NodePool nodes, DtmfStore store, IOptions<DtmfOptions> options, TimeProvider clock, ILogger<DtmfSender> logger)
{
    public async Task<DtmfOutcome> SendAsync(Guid callId, DtmfSend send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        if (router.FindCall(callId) is not { } session
            || session.State is not { Status: CallStatus.Answered } state
            || DtmfLegs.LegFor(state, send.Target) is not { } leg
            || !Guid.TryParse(leg, out var legUuid))
        {
            return DtmfOutcome.NotAnswered;
        }

        if (nodes.Commands(session.Node) is not { } commands)
        {
            return DtmfOutcome.NodeUnavailable;
        }

        // uuid_send_dtmf <uuid> <digits>@<ms>: FreeSWITCH queues the digits on the leg, played as RFC 2833 towards its
        // far end (capture: "+OK <uuid> sent DTMF 1234@300."). Every part is validated: a UUID, DTMF symbols, a number.
        Esl.Commands.EslResult reply;
        try
        {
            reply = await commands.ApiAsync("uuid_send_dtmf", $"{legUuid} {send.Digits}@{send.DurationMs}", cancellationToken).ConfigureAwait(false);
        }
        catch (EslConnectionException)
        {
            return DtmfOutcome.NodeUnavailable;
        }

        var role = send.Target == DtmfTarget.Caller ? "caller" : DtmfLegs.RoleOf(state, leg) ?? "callee";
        if (!reply.Ok)
        {
            DtmfLog.SendRefused(logger, callId, leg, reply.Text.Trim());
            return DtmfOutcome.LegGone;
        }

        DtmfLog.Sent(logger, callId, send.Digits.Length, role, leg);
        var at = clock.GetUtcNow().UtcDateTime;
        // w and W are pauses, not digits: only the digits are history.
        var rows = send.Digits.Where(d => d is not ('w' or 'W')).Select(d => new DtmfRecord
        {
            CallId = callId,
            LegUuid = legUuid,
            Role = role,
            Digit = options.Value.MaskDigits ? DtmfOptions.Mask : d.ToString(),
            DurationMs = send.DurationMs,
            Source = "sent",
            At = at,
        }).ToList();
        await store.AddAsync(rows, cancellationToken).ConfigureAwait(false);
        return DtmfOutcome.Sent;
    }
}
