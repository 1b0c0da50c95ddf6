using System.Text;
using System.Text.Json;
using FreeSwitchSim.Core;

namespace FreeSwitchSim.Tests.Esl;

/// <summary>Access to the real FreeSWITCH captures (../shared/esl-captures), the ground truth of these tests.</summary>
internal static class Captures
{
    public static string Directory =>
        Environment.GetEnvironmentVariable("ESL_CAPTURES_DIR") is { Length: > 0 } dir ? dir : "/work/shared/esl-captures";

    public static byte[] Bytes(string file) => File.ReadAllBytes(Path.Combine(Directory, file));

    public static IEnumerable<string> ServerRawFiles() =>
        System.IO.Directory.GetFiles(Directory, "*.server.raw").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    /// <summary>The "out" records of a timeline: what the client sent, one write each, as bytes.</summary>
    public static List<byte[]> ClientWrites(string scenario)
    {
        var writes = new List<byte[]>();
        foreach (var line in File.ReadLines(Path.Combine(Directory, scenario + ".timeline.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.GetProperty("dir").GetString() == "out")
            {
                writes.Add(Encoding.Latin1.GetBytes(doc.RootElement.GetProperty("text").GetString()!));
            }
        }
        return writes;
    }

    /// <summary>Splits a server stream into frames: envelope up to "\n\n", then Content-Length bytes.
    /// A header block that starts with Event-Name (the outbound connect reply) carries no body.</summary>
    public static List<WireFrame> Frames(byte[] data)
    {
        var frames = new List<WireFrame>();
        var pos = 0;
        while (pos < data.Length)
        {
            var end = IndexOf(data, pos);
            if (end < 0)
            {
                break;
            }
            var head = Encoding.UTF8.GetString(data, pos, end - pos);
            var headers = head.Split('\n').Select(l => l.Split(": ", 2))
                .Select(p => new KeyValuePair<string, string>(p[0], p.Length > 1 ? p[1] : "")).ToList();
            var cl = head.StartsWith("Event-Name", StringComparison.Ordinal) ? null : headers.FirstOrDefault(h => h.Key == "Content-Length").Value;
            var len = cl is null ? 0 : int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture);
            var total = end + 2 - pos + len;
            frames.Add(new WireFrame(data.AsSpan(pos, total).ToArray(), headers, data.AsSpan(end + 2, len).ToArray()));
            pos += total;
        }
        return frames;
    }

    /// <summary>
    /// Decodes a text/event-plain body back into an event (header values percent-decoded to UTF-8, inner body
    /// after the inner Content-Length). Returns null when a value cannot round-trip
    /// (not valid UTF-8, or a pre-encoded %XX of a safe character that FreeSWITCH passed through).
    /// </summary>
    public static SimEvent? DecodePlainEvent(byte[] body)
    {
        var end = IndexOf(body, 0);
        var headText = Encoding.ASCII.GetString(body, 0, end < 0 ? body.Length : end);
        var e = new SimEvent(headText.Split('\n')[0].Split(": ", 2)[1]);
        string? contentLength = null;
        foreach (var line in headText.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var p = line.Split(": ", 2);
            if (p[0] == "Content-Length" && end >= 0 && end + 2 < body.Length)
            {
                contentLength = p[1];
                continue;
            }
            var value = PercentDecode(p[1]);
            if (value is null)
            {
                return null;
            }
            e.Add(p[0], value == "_undef_" ? "" : value);
        }
        if (contentLength is not null)
        {
            var bodyBytes = body.AsSpan(end + 2).ToArray();
            e.Body = Strict.GetString(bodyBytes);
        }
        return e;
    }

    private static readonly UTF8Encoding Strict = new(false, true);

    private static string? PercentDecode(string s)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && i + 2 < s.Length && Uri.IsHexDigit(s[i + 1]) && Uri.IsHexDigit(s[i + 2]))
            {
                var b = Convert.ToByte(s.Substring(i + 1, 2), 16);
                if (b is > 0x20 and <= 0x7E && !"#%&+:;<=>?@[\\]^`{|}\"".Contains((char)b, StringComparison.Ordinal))
                {
                    // A %XX FreeSWITCH left alone (double-encoding off): decoding it cannot round-trip.
                    return null;
                }
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.Add((byte)s[i]);
            }
        }
        try
        {
            return Strict.GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static int IndexOf(byte[] data, int from)
    {
        for (var i = from; i + 1 < data.Length; i++)
        {
            if (data[i] == (byte)'\n' && data[i + 1] == (byte)'\n')
            {
                return i;
            }
        }
        return -1;
    }
}
