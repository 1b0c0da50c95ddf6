using System.Text;

namespace FreeSwitchSim.Tests.Support;

/// <summary>
/// A test-side reader of the real FreeSWITCH captures (written apart from src/ and from the simulator): splits a
/// <c>*.server.raw</c> stream into frames and decodes text/event-plain events (percent-decoded header values).
/// </summary>
internal static class CaptureStream
{
    public static string Dir =>
        Environment.GetEnvironmentVariable("ESL_CAPTURES_DIR") is { Length: > 0 } d ? d : "/work/shared/esl-captures";

    public static string PathOf(string file) => Path.Combine(Dir, file);

    public sealed record Frame(IReadOnlyDictionary<string, string> Envelope, byte[] Body);

    public static List<Frame> Frames(string scenario)
    {
        var data = File.ReadAllBytes(PathOf(scenario + ".server.raw"));
        var frames = new List<Frame>();
        var pos = 0;
        while (pos < data.Length)
        {
            var end = IndexOf(data, pos, "\n\n"u8);
            if (end < 0)
            {
                break;
            }
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in Encoding.UTF8.GetString(data, pos, end - pos).Split('\n'))
            {
                var colon = line.IndexOf(": ", StringComparison.Ordinal);
                if (colon > 0)
                {
                    env[line[..colon]] = line[(colon + 2)..];
                }
            }
            pos = end + 2;
            var length = env.TryGetValue("Content-Length", out var cl) ? int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture) : 0;
            frames.Add(new Frame(env, data[pos..(pos + length)]));
            pos += length;
        }
        return frames;
    }

    /// <summary>The text/event-plain events of a capture, in wire order.</summary>
    public static List<CapturedEvent> Events(string scenario) =>
        Frames(scenario)
            .Where(f => f.Envelope.GetValueOrDefault("Content-Type") == "text/event-plain")
            .Select(f => CapturedEvent.ParsePlain(f.Body))
            .ToList();

    /// <summary>api/response bodies, in order.</summary>
    public static List<string> ApiResponses(string scenario) =>
        Frames(scenario)
            .Where(f => f.Envelope.GetValueOrDefault("Content-Type") == "api/response")
            .Select(f => Encoding.UTF8.GetString(f.Body))
            .ToList();

    private static int IndexOf(byte[] data, int from, ReadOnlySpan<byte> what)
    {
        var i = data.AsSpan(from).IndexOf(what);
        return i < 0 ? -1 : from + i;
    }
}

/// <summary>One captured event: header lines in order (values decoded), and the body if any.</summary>
internal sealed record CapturedEvent(IReadOnlyList<KeyValuePair<string, string>> Headers, string? Body)
{
    public string Name => Get("Event-Name") ?? "";

    public string? UniqueId => Get("Unique-ID");

    public string? Get(string name) => Headers.FirstOrDefault(h => h.Key == name).Value;

    /// <summary>Header names without the variables and without the core headers every event has.</summary>
    public IEnumerable<string> ShapeNames() =>
        Headers.Select(h => h.Key).Where(k => !k.StartsWith("variable_", StringComparison.Ordinal));

    public static CapturedEvent ParsePlain(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in head.Split('\n'))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add(new(line[..colon], Uri.UnescapeDataString(line[(colon + 2)..])));
            }
        }
        var rest = split < 0 ? null : text[(split + 2)..];
        return new CapturedEvent(headers, string.IsNullOrEmpty(rest) ? null : rest);
    }
}
