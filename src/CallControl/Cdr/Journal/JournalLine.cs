using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CallControl.Data;

namespace CallControl.Cdr.Journal;

/// <summary>
/// One journal line: 16 hex digits of SHA-256 over the JSON, a space, the leg's upsert as JSON, a newline. The JSON
/// writer escapes control characters, so a newline only ever ends an entry; a line whose checksum does not match (a
/// torn or damaged write) is recognised and skipped instead of replaying garbage.
/// </summary>
internal static class JournalLine
{
    private const int ChecksumChars = 16;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public static byte[] Encode(LegUpsert leg)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(leg, Json);
        var line = new byte[ChecksumChars + 1 + json.Length + 1];
        Encoding.ASCII.GetBytes(Checksum(json), line);
        line[ChecksumChars] = (byte)' ';
        json.CopyTo(line, ChecksumChars + 1);
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>The entry of one line (without its newline), or null when the line is damaged.</summary>
    public static LegUpsert? Decode(ReadOnlySpan<byte> line)
    {
        if (line.Length <= ChecksumChars + 1 || line[ChecksumChars] != (byte)' ')
        {
            return null;
        }

        var json = line[(ChecksumChars + 1)..];
        if (!line[..ChecksumChars].SequenceEqual(Encoding.ASCII.GetBytes(Checksum(json))))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<LegUpsert>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Checksum(ReadOnlySpan<byte> json) =>
        Convert.ToHexStringLower(SHA256.HashData(json).AsSpan(0, ChecksumChars / 2));
}
