using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CallControl.Auth;

/// <summary>
/// The shared-secret check for FreeSWITCH's callbacks. mod_xml_curl and mod_json_cdr send
/// <c>Authorization: Basic base64(user:secret)</c> (see the captures); this compares both parts in constant time.
/// </summary>
public static class FreeSwitchCallbackAuth
{
    /// <summary>The challenge sent with a 401.</summary>
    public const string Challenge = "Basic realm=\"callcontrol-freeswitch\"";

    /// <summary>Whether <paramref name="authorization"/> carries exactly the configured user and secret.</summary>
    public static bool IsAuthorized(string? authorization, FreeSwitchCallbackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsConfigured || authorization is null ||
            !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(authorization["Basic ".Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = Array.IndexOf(decoded, (byte)':');
        if (colon < 0)
        {
            return false;
        }

        // Both comparisons always run, and over hashes of equal length, so timing says nothing about either part.
        var userOk = FixedTimeEquals(decoded.AsSpan(0, colon), Encoding.UTF8.GetBytes(options.CallbackUser));
        var secretOk = FixedTimeEquals(decoded.AsSpan(colon + 1), Encoding.UTF8.GetBytes(options.CallbackSecret));
        return userOk & secretOk;
    }

    /// <summary>
    /// Requires the FreeSWITCH callback credentials on these endpoints (401 with a Basic challenge otherwise) and
    /// exempts them from bearer-token authorization: FreeSWITCH has no token.
    /// </summary>
    public static TBuilder RequireFreeSwitchSecret<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AllowAnonymous();
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var options = http.RequestServices.GetRequiredService<IOptions<FreeSwitchCallbackOptions>>().Value;
            if (!IsAuthorized(http.Request.Headers.Authorization, options))
            {
                http.Response.Headers[HeaderNames.WWWAuthenticate] = Challenge;
                return TypedResults.Unauthorized();
            }

            return await next(context).ConfigureAwait(false);
        });
        return builder;
    }

    private static bool FixedTimeEquals(ReadOnlySpan<byte> given, byte[] expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(given), SHA256.HashData(expected));
}
