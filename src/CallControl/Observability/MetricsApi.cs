namespace CallControl.Observability;

/// <summary><c>GET /metrics</c>: the Prometheus text exposition of <see cref="MetricsCollector"/>'s series.</summary>
public static class MetricsApi
{
    /// <summary>Maps the scrape endpoint (anonymous, like the health checks: bind the service to a private network).</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/metrics", Scrape).AllowAnonymous().WithTags("Observability").ExcludeFromDescription();
        return endpoints;
    }

    internal static IResult Scrape(MetricsCollector collector) =>
        TypedResults.Text(PrometheusText.Write(collector.Snapshot()), PrometheusText.ContentType);
}
