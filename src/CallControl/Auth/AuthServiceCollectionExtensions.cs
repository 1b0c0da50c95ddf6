using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CallControl.Auth;

/// <summary>Registers bearer-token authentication, the <c>user</c> and <c>admin</c> policies, and the FreeSWITCH callback secret.</summary>
public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="AuthOptions"/> (section <c>Auth</c>; the key is checked at start: at least 32 bytes) and
    /// <see cref="FreeSwitchCallbackOptions"/> (section <c>FreeSwitch</c>), adds JWT bearer authentication, the
    /// authorization policies <see cref="AuthPolicies.User"/> and <see cref="AuthPolicies.Admin"/>, and
    /// <see cref="TokenService"/> and <see cref="DirectoryResponder"/>. Call <c>app.UseAuthentication()</c> and
    /// <c>app.UseAuthorization()</c> (or rely on the minimal-API defaults) and <c>MapFreeSwitchDirectory()</c>.
    /// </summary>
    public static IServiceCollection AddCallControlAuth(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.SectionName))
            .Validate(o => o.HasValidKey, $"Auth:SigningKey must be set and at least {AuthOptions.MinimumKeyBytes} bytes")
            .ValidateOnStart();
        services.AddOptions<FreeSwitchCallbackOptions>()
            .Bind(configuration.GetSection(FreeSwitchCallbackOptions.SectionName))
            .Validate(o => o.IsConfigured, "FreeSwitch:CallbackUser and FreeSwitch:CallbackSecret must be set")
            .ValidateOnStart();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        // Configured from the validated AuthOptions rather than read here, so tests and the host share one path.
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = TokenService.ValidationParameters(auth.Value);
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.User, p => p.RequireAuthenticatedUser())
            .AddPolicy(AuthPolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(AuthPolicies.AdminRole));

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TokenService>();
        services.AddSingleton<DirectoryResponder>();
        return services;
    }
}
