using CallControl.Observability;

namespace CallControl.Health;

/// <summary>
/// Marks endpoints that cannot answer without PostgreSQL: while <see cref="DatabaseWatch"/> knows it is unreachable
/// they answer 503 at once, with the same problem body and <c>Retry-After</c> as a request that found out itself
/// (<see cref="DatabaseUnavailableHandler"/>), and touch nothing. Endpoints with a fallback of their own (the CDR
/// journal behind <c>/fs/cdr</c>), health and metrics are not marked. The gate runs after authentication and the
/// endpoint's own authorization filters, so a forged token is still told 401.
/// </summary>
public static class DatabaseGate
{
    /// <summary>Adds the gate to <paramref name="builder"/>'s endpoints.</summary>
    public static TBuilder RequiresDatabase<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.RequestServices.GetService<DatabaseWatch>()?.Unreachable is not { } outage)
            {
                return await next(context).ConfigureAwait(false);
            }

            http.RequestServices.GetService<ServiceMetrics>()?.RequestShed();
            var problem = DatabaseUnavailableHandler.Refuse(http);
            problem.Extensions["unreachableSince"] = outage.Since;
            return TypedResults.Problem(problem);
        });
        return builder;
    }
}
