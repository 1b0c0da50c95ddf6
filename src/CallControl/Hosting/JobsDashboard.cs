using CallControl.Auth;
using Hangfire;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace CallControl.Hosting;

/// <summary>
/// Hangfire's dashboard at <c>/hangfire</c>, for admins only (the <see cref="AuthPolicies.Admin"/> policy: no token
/// 401, a token without the admin role 403). API clients send the bearer header. A browser cannot, so it opens
/// <c>/hangfire?access_token=&lt;admin token&gt;</c> once: a valid token there is also set as an HttpOnly,
/// SameSite=Strict cookie scoped to <c>/hangfire</c>, which the dashboard's own later requests carry.
/// </summary>
public static class JobsDashboard
{
    public const string Path = "/hangfire";
    public const string CookieName = "callcontrol_jobs";
    private const string QueryTokenKey = "callcontrol.jobs.query-token";

    /// <summary>Maps the dashboard behind the admin policy.</summary>
    public static IEndpointConventionBuilder MapJobsDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Hangfire's own filters would only let local requests in; the endpoint's admin policy decides instead.
        var options = new DashboardOptions { Authorization = [], AsyncAuthorization = [], DisplayStorageConnectionString = false };
        return endpoints.MapHangfireDashboard(Path, options).RequireAuthorization(AuthPolicies.Admin);
    }

    internal static IServiceCollection AddJobsDashboardAuth(this IServiceCollection services) =>
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            jwt.Events ??= new JwtBearerEvents();
            var previousReceived = jwt.Events.OnMessageReceived;
            jwt.Events.OnMessageReceived = async context =>
            {
                await previousReceived(context).ConfigureAwait(false);
                var request = context.HttpContext.Request;
                if (context.Token is not null || !request.Path.StartsWithSegments(Path, StringComparison.Ordinal)
                    || request.Headers.Authorization.Count > 0)
                {
                    return;
                }

                if (request.Query["access_token"] is [{ Length: > 0 } token])
                {
                    context.Token = token;
                    context.HttpContext.Items[QueryTokenKey] = token;
                }
                else if (request.Cookies.TryGetValue(CookieName, out var cookie) && cookie.Length > 0)
                {
                    context.Token = cookie;
                }
            };

            var previousValidated = jwt.Events.OnTokenValidated;
            jwt.Events.OnTokenValidated = async context =>
            {
                await previousValidated(context).ConfigureAwait(false);
                if (context.HttpContext.Items[QueryTokenKey] is string token && context.Result is null)
                {
                    context.Response.Cookies.Append(CookieName, token, new CookieOptions
                    {
                        HttpOnly = true,
                        Secure = context.Request.IsHttps,
                        SameSite = SameSiteMode.Strict,
                        Path = Path,
                        Expires = context.SecurityToken.ValidTo == DateTime.MinValue ? null : context.SecurityToken.ValidTo,
                    });
                }
            };
        });
}
