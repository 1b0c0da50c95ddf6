using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using CallControl.Esl.Events;
using CallControl.Esl.Protocol;

namespace CallControl.Tests.Cdr;

/// <summary>Reads the real FreeSWITCH captures (ESL_CAPTURES_DIR, or <c>shared/esl-captures</c> above this file or the
/// working directory). A missing folder fails the test.</summary>
internal static partial class Captures
{
    public static string Directory([CallerFilePath] string source = "")
    {
        var env = Environment.GetEnvironmentVariable("ESL_CAPTURES_DIR");
        if (env is not null && System.IO.Directory.Exists(env))
        {
            return env;
        }

        foreach (var start in new[] { Path.GetDirectoryName(source)!, System.IO.Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "esl-captures");
                if (System.IO.Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("esl-captures not found; set ESL_CAPTURES_DIR");
    }

    /// <summary>Every captured json_cdr POST file name.</summary>
    public static IEnumerable<string> JsonCdrPosts() =>
        System.IO.Directory.GetFiles(Path.Combine(Directory(), "json_cdr"), "*.post.txt").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    /// <summary>A captured POST: the query's uuid, the Authorization header and exactly Content-Length body bytes.</summary>
    public static CapturedPost JsonCdrPost(string name)
    {
        var raw = File.ReadAllBytes(Path.Combine(Directory(), "json_cdr", name));
        var split = raw.AsSpan().IndexOf("\n\n"u8);
        var head = Encoding.ASCII.GetString(raw, 0, split);
        var length = int.Parse(ContentLength().Match(head).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var uuid = QueryUuid().Match(head).Groups[1].Value;
        var authorization = Authorization().Match(head).Groups[1].Value.Trim();
        var contentType = ContentType().Match(head).Groups[1].Value.Trim();
        return new CapturedPost(uuid, authorization, contentType, raw.AsSpan(split + 2, length).ToArray());
    }

    /// <summary>Every event FreeSWITCH sent in a capture, in order (dispose them).</summary>
    public static List<EslEvent> Events(string scenario)
    {
        var raw = File.ReadAllBytes(Path.Combine(Directory(), scenario + ".server.raw"));
        var events = new List<EslEvent>();
        foreach (var frame in EslStreamDecoder.DecodeAll(raw))
        {
            if (frame.CarriesEvent)
            {
                events.Add(EslEvent.FromFrame(frame));
            }
            else
            {
                frame.Dispose();
            }
        }

        return events;
    }

    [GeneratedRegex(@"Content-Length: (\d+)")]
    private static partial Regex ContentLength();

    [GeneratedRegex(@"\?uuid=([0-9a-f-]+)")]
    private static partial Regex QueryUuid();

    [GeneratedRegex(@"Authorization: (.*)")]
    private static partial Regex Authorization();

    [GeneratedRegex(@"Content-Type: (.*)")]
    private static partial Regex ContentType();
}

internal sealed record CapturedPost(string Uuid, string Authorization, string ContentType, byte[] Body);
