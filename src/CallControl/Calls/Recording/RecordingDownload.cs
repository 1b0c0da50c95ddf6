using System.Globalization;
using System.Security.Claims;
using CallControl.Recording.Archive;
using Microsoft.Net.Http.Headers;

namespace CallControl.Calls.Recording;

/// <summary>
/// <c>GET /api/recordings/{id}</c>: the archived Ogg/Opus to the call's parties and admins, whole (200) or one byte
/// range (206 with <c>Content-Range</c>; 416 past the end), so a browser's audio element can seek. The store (filesystem
/// or S3) serves the range itself. 404 unknown, 403 stranger, 409 while not archived (or once purged).
/// </summary>
public static class RecordingDownload
{
    public const string ContentType = "audio/ogg";

    internal static async Task<IResult> GetAsync(
        Guid id, HttpContext http, ClaimsPrincipal user, RecordingStore recordings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var recording = await recordings.GetForDownloadAsync(id, cancellationToken).ConfigureAwait(false);
        if (recording is null)
        {
            return RecordingApi.Problem(StatusCodes.Status404NotFound, "No such recording.", "id");
        }

        if (!RecordingApi.MayAccess(user, recording.Caller, recording.Callee))
        {
            return RecordingApi.Problem(StatusCodes.Status403Forbidden, "Only the call's caller and callee, and admins, may hear its recording.", "id");
        }

        if (recording.State != "archived" || recording.ArchiveLocation is null)
        {
            var detail = recording.State == "purged"
                ? "The recording was deleted after its retention period."
                : $"The recording is not archived yet (state {recording.State}).";
            return RecordingApi.Problem(StatusCodes.Status409Conflict, detail, "id");
        }

        // The store is resolved only now: a service without an archive configured still answers 404/403/409 above,
        // and says why it cannot serve a file here instead of failing every request with a 500.
        IArchiveStore archive;
        try
        {
            archive = http.RequestServices.GetRequiredService<IArchiveStore>();
        }
        catch (InvalidOperationException e)
        {
            return RecordingApi.Problem(StatusCodes.Status503ServiceUnavailable, "The recording archive is not configured: " + e.Message, "id");
        }

        var (first, last) = ParseRange(http.Request.Headers.Range.ToString());
        var stored = await archive.OpenReadAsync(recording.ArchiveLocation, first, last, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return RecordingApi.Problem(StatusCodes.Status404NotFound, "The archived file is missing from the store.", "id");
        }

        return new ArchiveObjectResult(stored);
    }

    /// <summary>
    /// One range of <c>Range: bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c> as (first, last) in the store's terms
    /// (a suffix is (null, n)); anything else, several ranges included, is (null, null): the whole file, as RFC 9110
    /// lets a server ignore a Range it does not serve.
    /// </summary>
    internal static (long? First, long? Last) ParseRange(string? header)
    {
        if (string.IsNullOrEmpty(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return (null, null);
        }

        var spec = header.AsSpan(6).Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return (null, null);
        }

        var hasFirst = long.TryParse(spec[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var a);
        var hasLast = long.TryParse(spec[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var b);
        return (hasFirst, hasLast) switch
        {
            (true, true) when b >= a => (a, b),
            (true, false) when spec[(dash + 1)..].IsEmpty => (a, null),
            (false, true) when dash == 0 && b > 0 => (null, b),
            _ => (null, null),
        };
    }

    private sealed class ArchiveObjectResult(ArchiveObject stored) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            await using var _ = stored.ConfigureAwait(false);
            var response = httpContext.Response;
            response.Headers[HeaderNames.AcceptRanges] = "bytes";
            if (!stored.IsRangeSatisfiable)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers[HeaderNames.ContentRange] = $"bytes */{stored.TotalLength}";
                return;
            }

            response.StatusCode = stored.IsRange ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
            if (stored.IsRange)
            {
                response.Headers[HeaderNames.ContentRange] = $"bytes {stored.Offset}-{stored.LastByte}/{stored.TotalLength}";
            }

            response.ContentType = ContentType;
            response.ContentLength = stored.Length;
            await stored.Content.CopyToAsync(response.Body, httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
