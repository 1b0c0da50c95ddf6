using System.Text;

namespace CallControl.Esl.Tests.Support;

/// <summary>A command as the fake FreeSWITCH read it off the wire: first line, header lines, optional body.</summary>
internal sealed record WireCommand(string Line, IReadOnlyList<KeyValuePair<string, string>> Headers, string? Body)
{
    public string Name => Line.Split(' ')[0];

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>
    /// Reads one command the way mod_event_socket does: lines up to an empty line; when a Content-Length header is
    /// present, exactly that many bytes of body follow. Written independently of the client's frame reader.
    /// Returns null at end of stream.
    /// </summary>
    public static async Task<WireCommand?> ReadAsync(Stream stream, CancellationToken ct)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(stream, ct);
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (lines.Count == 0)
                {
                    continue;
                }

                break;
            }

            lines.Add(line);
        }

        var headers = lines.Skip(1).Select(l =>
        {
            var colon = l.IndexOf(':', StringComparison.Ordinal);
            return new KeyValuePair<string, string>(l[..colon], l[(colon + 1)..].TrimStart());
        }).ToList();
        string? body = null;
        var length = headers.FirstOrDefault(h => string.Equals(h.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)).Value;
        if (length is not null)
        {
            var bytes = new byte[int.Parse(length, System.Globalization.CultureInfo.InvariantCulture)];
            await stream.ReadExactlyAsync(bytes, ct);
            body = Encoding.UTF8.GetString(bytes);
        }

        return new WireCommand(lines[0], headers, body);
    }

    private static async Task<string?> ReadLineAsync(Stream stream, CancellationToken ct)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var n = await stream.ReadAsync(one, ct);
            if (n == 0)
            {
                return bytes.Count == 0 ? null : Encoding.UTF8.GetString([.. bytes]);
            }

            if (one[0] == (byte)'\n')
            {
                return Encoding.UTF8.GetString([.. bytes]);
            }

            bytes.Add(one[0]);
        }
    }
}
