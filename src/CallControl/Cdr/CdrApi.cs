using CallControl.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallControl.Cdr;

/// <summary>
/// <c>POST /fs/cdr</c>: FreeSWITCH's mod_json_cdr delivers each leg's CDR here (basic auth with the shared secret).
/// 200 only once the row is durable (in PostgreSQL, or in the local CDR journal while PostgreSQL is unreachable):
/// anything else makes FreeSWITCH retry and spool the CDR to disk, so an outage loses nothing. Bad credentials are 401 and a body that is not a CDR is 400; neither writes anything.
/// </summary>
public static class CdrApi
{
    /// <summary>The largest CDR accepted (captured ones are 5-16 KB; long call flows grow them).</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>Maps the mod_json_cdr receiver.</summary>
    public static IEndpointRouteBuilder MapCdr(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/fs/cdr", ReceiveAsync)
            .RequireFreeSwitchSecret()
            // Above the service's default body limit (Observability/RequestLimits): a long call's CDR is large.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes))
            .WithName("ReceiveJsonCdr")
            .WithTags("FreeSWITCH");
        return endpoints;
    }

    internal static async Task<Results<Ok, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request,
        CdrWriter writer,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(CdrApi));
        if (request.ContentLength is > MaxBodyBytes)
        {
            Log.CdrRejected(logger, $"body of {request.ContentLength} bytes");
            return TypedResults.Problem("The CDR is too large.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        // Sized from Content-Length (mod_json_cdr always sends one; checked above): a 15 KB document grown by
        // doubling from empty cost more allocation than the rest of the request.
        using var body = new MemoryStream(request.ContentLength is { } length and > 0 ? (int)length : 0);
        await request.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        if (body.Length > MaxBodyBytes)
        {
            return TypedResults.Problem("The CDR is too large.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        string? uuid = request.Query["uuid"];
        var result = JsonCdrMapper.Map(body.GetBuffer().AsSpan(0, (int)body.Length), uuid);
        if (result.Leg is null)
        {
            Log.CdrRejected(logger, result.Error!);
            return TypedResults.Problem(result.Error, statusCode: StatusCodes.Status400BadRequest, title: "Not a json_cdr document");
        }

        try
        {
            await writer.WriteAsync(result.Leg, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
        {
            Log.CdrStoreFailed(logger, result.Leg.LegUuid, "json_cdr", e);
            // FreeSWITCH keeps the CDR and retries: say "not now", not "bad request".
            return TypedResults.Problem("The CDR could not be stored; retry later.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (ObjectDisposedException)
        {
            // The service is stopping and its writer has flushed: another instance, or this one restarted, takes it.
            return TypedResults.Problem("The service is stopping; retry later.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return TypedResults.Ok();
    }
}
