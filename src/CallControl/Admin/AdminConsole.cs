using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace CallControl.Admin;

/// <summary>
/// <c>/admin</c>: the admin web console, plain static files (HTML, CSS, ES modules) copied beside the binary into
/// <c>admin-console/</c> (see the csproj), so <c>./run.sh</c> and the in-process test host serve the same files from
/// <see cref="AppContext.BaseDirectory"/>. The files are public; every call they make to <c>/api/admin</c> carries
/// the admin's bearer token.
/// </summary>
public static class AdminConsole
{
    /// <summary>The folder, under the binary's directory, that holds the console's files.</summary>
    public const string FolderName = "admin-console";

    // The console loads nothing from elsewhere: scripts, styles and media from this origin only; the recording
    // player plays an object URL made from a fetched blob; icons may be inline.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>Maps <c>GET /admin</c> (redirect to <c>/admin/</c>) and <c>GET /admin/{**path}</c>.</summary>
    public static IEndpointRouteBuilder MapAdminConsole(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var root = Path.Combine(AppContext.BaseDirectory, FolderName);
        // PhysicalFileProvider refuses paths that leave its root ("..", absolute paths) and hidden files.
        var files = new PhysicalFileProvider(root);
        var group = endpoints.MapGroup("/admin").AllowAnonymous().ExcludeFromDescription();
        // Routing matches "/admin" and "/admin/" alike; only the slash form resolves the page's relative links.
        group.MapGet("", Results<RedirectHttpResult, PhysicalFileHttpResult, NotFound> (HttpContext context) =>
            context.Request.Path.Value?.EndsWith('/') == true
                ? Serve(files, null, context.Response)
                : TypedResults.Redirect("/admin/"));
        group.MapGet("/{**path}", (string? path, HttpContext context) => Serve(files, path, context.Response));
        return endpoints;
    }

    internal static Results<RedirectHttpResult, PhysicalFileHttpResult, NotFound> Serve(IFileProvider files, string? path, HttpResponse response)
    {
        // The console routes in the URL's fragment, so every page is index.html.
        var relative = string.IsNullOrEmpty(path) ? "index.html" : path;
        var file = files.GetFileInfo(relative);
        if (!file.Exists || file.IsDirectory || file.PhysicalPath is null
            || !ContentTypes.TryGetContentType(file.Name, out var contentType))
        {
            return TypedResults.NotFound();
        }

        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Revalidate every time (ETag / Last-Modified), so a deployed change shows up on the next load.
        headers.CacheControl = "no-cache";
        return TypedResults.PhysicalFile(file.PhysicalPath, contentType, lastModified: file.LastModified, enableRangeProcessing: false);
    }
}
