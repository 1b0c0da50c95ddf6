using System.Globalization;
using CallControl.Auth;
using CallControl.Health;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallControl.Webhooks;

/// <summary>
/// <c>GET /api/admin/webhooks?callId=&amp;state=&amp;limit=&amp;before=</c> and <c>GET /api/admin/webhooks/{eventId}</c>: what
/// was sent to applications and what each attempt got back. Admin role only (anonymous 401, other users 403); a bad
/// parameter is a 400 naming it.
/// </summary>
public static class WebhooksApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapWebhooksAdmin(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/admin/webhooks").RequireAuthorization(AuthPolicies.Admin).WithTags("Admin").RequiresDatabase();
        group.MapGet("/", ListAsync).WithName("AdminListWebhooks");
        group.MapGet("/{eventId:guid}", DetailAsync).WithName("AdminWebhookDetail");
        return endpoints;
    }

    internal static async Task<Results<Ok<WebhookEventPage>, ValidationProblem>> ListAsync(
        HttpRequest request, WebhookQuery query, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var q = request.Query;
        Guid? callId = null;
        if (q.TryGetValue("callId", out var callText))
        {
            if (Guid.TryParse(callText.ToString(), out var id))
            {
                callId = id;
            }
            else
            {
                errors["callId"] = ["callId is a call id (a UUID)."];
            }
        }

        string? state = null;
        if (q.TryGetValue("state", out var stateText))
        {
            state = stateText.ToString();
            if (!WebhookStates.All.Contains(state))
            {
                errors["state"] = ["state is one of: " + string.Join(", ", WebhookStates.All) + "."];
            }
        }

        var limit = Integer(q, "limit", 1, MaxLimit, errors) ?? DefaultLimit;
        var before = Integer(q, "before", 1, long.MaxValue, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await query.ListAsync(callId, state, before, (int)limit, cancellationToken).ConfigureAwait(false));
    }

    internal static async Task<Results<Ok<WebhookEventDetail>, NotFound>> DetailAsync(
        Guid eventId, WebhookQuery query, CancellationToken cancellationToken) =>
        await query.GetAsync(eventId, cancellationToken).ConfigureAwait(false) is { } detail
            ? TypedResults.Ok(detail)
            : TypedResults.NotFound();

    private static long? Integer(IQueryCollection query, string name, long min, long max, Dictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(name, out var text))
        {
            return null;
        }

        if (long.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [string.Create(CultureInfo.InvariantCulture, $"{name} is a whole number from {min} to {max}.")];
        return null;
    }
}
