using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallControl.Health;

/// <summary>
/// A request that failed because PostgreSQL could not be reached (refused, reset, or silent past Npgsql's timeouts)
/// answers 503 with a problem body and <c>Retry-After</c>, not an empty 500: the client did nothing wrong and may try
/// again. Any other unhandled failure stays a 500, with a problem body and no details. Endpoints that have their own
/// fallback (the CDR journal) never get here.
/// </summary>
internal sealed partial class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    /// <summary>What <c>Retry-After</c> says: about the readiness probe's pace.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>The problem's title, for every request refused because the database is unreachable.</summary>
    public const string Title = "Database unavailable";

    /// <summary>The problem's detail (nothing was changed: the request never got to the database, or failed there).</summary>
    public const string Detail = "The database is not reachable; nothing was changed. Retry later.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsDatabaseUnreachable(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        DatabaseUnreachable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = Refuse(httpContext),
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// The answer to a request refused because the database is unreachable, here or at the gate
    /// (<see cref="DatabaseGate"/>): sets the 503 status and <c>Retry-After</c>, and returns the problem to write.
    /// </summary>
    internal static ProblemDetails Refuse(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = Title, Detail = Detail };
    }

    // Npgsql's own failures (connect, I/O, timeouts: never a statement PostgreSQL refused), and PostgreSQL's transient
    // refusals (shutting down, too many connections), also inside the wrappers a failure can arrive in.
    private static bool IsDatabaseUnreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { IsTransient: true } || (e is NpgsqlException and not PostgresException))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "{Method} {Path}: 503, the database is not reachable ({Reason})")]
    private static partial void DatabaseUnreachable(ILogger logger, string method, string path, string reason);
}
