using CallControl.Health;

namespace CallControl.Auth;

/// <summary>The mod_xml_curl directory endpoint FreeSWITCH calls to authenticate verto logins.</summary>
public static class DirectoryApi
{
    /// <summary>The path FreeSWITCH's xml_curl directory binding points at.</summary>
    public const string Path = "/fs/directory";

    /// <summary>
    /// Maps <c>POST /fs/directory</c>: FreeSWITCH's form in, a <c>freeswitch/xml</c> document out; protected by the
    /// FreeSWITCH callback secret (HTTP basic), not by bearer tokens.
    /// </summary>
    public static RouteHandlerBuilder MapFreeSwitchDirectory(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapPost(Path, HandleAsync)
            .RequireFreeSwitchSecret()
            .RequiresDatabase()
            .ExcludeFromDescription();
    }

    private static async Task<IResult> HandleAsync(HttpRequest request, DirectoryResponder responder, CancellationToken cancellationToken)
    {
        // FreeSWITCH posts application/x-www-form-urlencoded; read it directly (no antiforgery: this is not a browser form).
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in form)
            {
                fields[key] = value.ToString();
            }
        }

        var document = await responder.RespondAsync(fields, cancellationToken).ConfigureAwait(false);
        return TypedResults.Text(document, DirectoryResponder.ContentType);
    }
}
