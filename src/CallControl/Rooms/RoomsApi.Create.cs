using System.Text.Json;
using System.Security.Claims;
using CallControl.Calls;
using CallControl.Data;
using CallControl.Dialing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallControl.Rooms;

// POST /api/rooms: a room call to an app user, or a direct phone call. The dialing policy decides before anything
// reaches FreeSWITCH.
public static partial class RoomsApi
{
    private static readonly JsonSerializerOptions OverrideJson = new(JsonSerializerDefaults.Web);

    private static async Task<Results<Created<RoomAccess>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateRoomRequest request, ClaimsPrincipal user, RoomServices services, CancellationToken cancellationToken)
    {
        var callerId = UserId(user);
        var errors = RoomRequestValidation.Validate(request, out var media);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // The caller, the callee (if an app user) and the caller's carrier usage for the dialing policy, in one round
        // trip. A number the policy refuses by itself needs no usage (and is answered below without it).
        var dialsNumber = request.Callee is null && services.Policy.EvaluateNumber(request.CalleeNumber).Allowed;
        var parties = await services.Users.GetRoomPartiesAsync(
            callerId, request.Callee, dialsNumber, services.Policy.UsageSince(), cancellationToken).ConfigureAwait(false);
        var (caller, calleeUser) = (parties.Caller, parties.Callee);
        if (caller is null)
        {
            return Problem(StatusCodes.Status403Forbidden, "The token's user is not registered.", "sub");
        }

        UserRecord? callee = null;
        E164Number? number = null;
        if (request.Callee is { } calleeId)
        {
            callee = calleeId == callerId ? null : calleeUser;
            if (callee is null)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["callee"] = ["No such user to call."] });
            }

            // Fallback dials only the number on file, and only if the policy allows it for this caller.
            if (callee.PhoneNumber is { } onFile && callee.PstnFallbackAllowed)
            {
                number = services.Policy.Evaluate(onFile, parties.CallerUsage).Number;
            }
        }
        else
        {
            var decision = services.Policy.Evaluate(request.CalleeNumber, parties.CallerUsage);
            if (decision.Reason == DialRefusalReasons.InvalidNumber)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["calleeNumber"] = [decision.Detail] });
            }

            if (!decision.Allowed)
            {
                return await RefuseByPolicyAsync(callerId, request, media, decision, services, cancellationToken).ConfigureAwait(false);
            }

            number = decision.Number;
        }

        // The healthiest node this instance steers (not draining, not overloaded by its HEARTBEAT figures).
        if (await services.Selector.PickAsync(cancellationToken).ConfigureAwait(false) is not { } node)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "No FreeSWITCH node is available.", "node");
        }

        // The room, the caller's login and the call are stored in one statement (StartAsync), before the login is
        // handed out: its leg can never park in a room we do not know yet, and a failed store leaves nothing behind.
        var roomId = RoomStore.NewId();
        var options = services.Options.Value;
        var callerLogin = services.Logins.New(roomId, callerId, options.VertoLoginTtl);
        var room = new RoomRecord
        {
            Id = roomId,
            CallerUserId = callerId,
            CalleeUserId = callee?.Id,
            CalleeNumber = callee is null ? number?.Value : null,
            Media = media == CallMedia.Video ? "video" : "audio",
            Record = request.Record ?? false,
            FallbackPolicyOverride = request.Fallback is null ? null : JsonSerializer.Serialize(request.Fallback, OverrideJson),
            FreeswitchNode = node.Name,
            WebhookUrl = request.WebhookUrl,
        };
        var created = new CallCreated(
            services.Router.Now,
            Guid.NewGuid(),
            room.Id,
            callerId,
            callee?.Id,
            number?.Value,
            callee is not null && services.Signals.IsOnline(callee.Id),
            callee?.PstnFallbackAllowed ?? false,
            media,
            room.Record,
            services.Router.DefaultPolicy,
            request.Fallback,
            options.RingTimeout,
            options.PstnRingTimeout,
            Guid.NewGuid().ToString("D"));

        room = await services.Router.StartAsync(created, node.Name, number, room, callerLogin, cancellationToken).ConfigureAwait(false);
        services.Logins.Remember(callerLogin);
        var access = Access(room, created.CallId, callerId, request.NatType, callerLogin, services);
        return TypedResults.Created("/api/rooms/" + room.Id, access);
    }

    /// <summary>
    /// A number the policy refuses (blocked range, not allowed, over a limit): the attempt is recorded as a failed call
    /// with reason <c>policy</c>, and nothing is sent to FreeSWITCH.
    /// </summary>
    private static async Task<ProblemHttpResult> RefuseByPolicyAsync(
        string callerId, CreateRoomRequest request, CallMedia media, DialDecision decision, RoomServices services,
        CancellationToken cancellationToken)
    {
        var now = services.Router.Now.UtcDateTime;
        var room = await services.Rooms.CreateAsync(new RoomRecord
        {
            Id = RoomStore.NewId(),
            CallerUserId = callerId,
            CalleeNumber = request.CalleeNumber,
            Media = media == CallMedia.Video ? "video" : "audio",
            State = "closed",
        }, cancellationToken).ConfigureAwait(false);
        var call = await services.Calls.CreateAsync(new CallRecord
        {
            Id = Guid.NewGuid(),
            RoomId = room.Id,
            Caller = callerId,
            CalleeNumber = request.CalleeNumber,
            Media = room.Media,
            Status = CallStatuses.Ringing,
            CreatedAt = now,
        }, CallReasons.Created, cancellationToken).ConfigureAwait(false);
        await services.Calls.TransitionAsync(call.Id, call.Version, new CallChange
        {
            ToStatus = CallStatuses.Failed,
            Reason = DialRefusalReasons.Policy,
            At = now,
            EndedAt = now,
            FallbackReason = DialRefusalReasons.Policy,
            HungUpBy = "network",
        }, cancellationToken).ConfigureAwait(false);

        return Problem(StatusCodes.Status422UnprocessableEntity, decision.Detail, "calleeNumber", new Dictionary<string, object?>
        {
            ["reason"] = decision.Reason,
            ["roomId"] = room.Id,
            ["callId"] = call.Id,
        });
    }
}
