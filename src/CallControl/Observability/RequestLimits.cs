using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CallControl.Observability;

/// <summary>
/// Kestrel's limits for hostile clients: request bodies up to <see cref="MaxBodyBytes"/> (the JSON APIs take a few
/// hundred bytes; a larger body is answered 413 before it is read), header and URL sizes at Kestrel's defaults.
/// Endpoints that take more (mod_json_cdr's POST) raise their own limit with request-size metadata.
/// </summary>
public static class RequestLimits
{
    /// <summary>The largest request body by default.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>Applies the limits to the builder's Kestrel.</summary>
    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = MaxBodyBytes);
        return builder;
    }
}
