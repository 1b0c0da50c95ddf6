using CallControl.Calls;

namespace CallControl.Rooms;

/// <summary>
/// Checks the room API's inputs against small allow-lists, naming the offending field. Values are never echoed back
/// (they may be hostile), and nothing is escaped: a value outside the allowed set is refused.
/// </summary>
public static class RoomRequestValidation
{
    /// <summary>The NAT types a client may report (RTCIceTransportPolicy relay is chosen for <c>symmetric</c>).</summary>
    public static readonly IReadOnlySet<string> NatTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "unknown", "none", "open", "full-cone", "restricted-cone", "port-restricted-cone", "symmetric",
    };

    /// <summary>Field errors of a create request (empty when valid); the number's format is the dialing policy's call.</summary>
    public static Dictionary<string, string[]> Validate(CreateRoomRequest request, out CallMedia media)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        media = CallMedia.Audio;
        if (request.Callee is null == request.CalleeNumber is null)
        {
            errors["callee"] = ["Give exactly one of callee (a user id) and calleeNumber (E.164)."];
        }
        else if (request.Callee is not null && !IsUserId(request.Callee))
        {
            errors["callee"] = ["A user id is 1 to 64 ASCII letters, digits, '.', '_' or '-'."];
        }

        switch (request.Media)
        {
            case null or "audio":
                break;
            case "video":
                media = CallMedia.Video;
                break;
            default:
                errors["media"] = ["media is 'audio' or 'video'."];
                break;
        }

        AddNatTypeError(request.NatType, errors);
        if (request.WebhookUrl is not null && Webhooks.WebhookUrlValidation.Problem(request.WebhookUrl) is { } webhookProblem)
        {
            errors["webhookUrl"] = ["webhookUrl " + webhookProblem];
        }

        return errors;
    }

    /// <summary>Field errors of a join request.</summary>
    public static Dictionary<string, string[]> Validate(JoinRoomRequest? request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        AddNatTypeError(request?.NatType, errors);
        return errors;
    }

    /// <summary>Room ids are 16 lowercase hex digits (RoomStore.NewId); anything else cannot name a room.</summary>
    public static bool IsRoomId(string? id) =>
        id is { Length: 16 } && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>User ids (the token's subject) as the users table holds them.</summary>
    public static bool IsUserId(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static void AddNatTypeError(string? natType, Dictionary<string, string[]> errors)
    {
        if (natType is not null && !NatTypes.Contains(natType))
        {
            errors["natType"] = ["natType is one of: " + string.Join(", ", NatTypes.Order(StringComparer.Ordinal)) + "."];
        }
    }
}
