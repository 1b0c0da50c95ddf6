using System.Text;

namespace FreeSwitchSim.Esl;

/// <summary>
/// Percent-encoding exactly as FreeSWITCH's <c>switch_url_encode</c> (switch_utils.c) with double-encoding off:
/// bytes below 0x20 or above 0x7E and the characters of SWITCH_URL_UNSAFE are written %XX (upper-case hex);
/// a '%' already followed by two UPPER-case hex digits is left as it is (so the encoding is lossy).
/// It works on the UTF-8 bytes of the value, as the C code works on the char buffer.
/// </summary>
internal static class FsUrlEncoder
{
    // SWITCH_URL_UNSAFE from switch_utils.h: "\r\n #%&+:;<=>?@[\\]^`{|}\""
    private const string Unsafe = "\r\n #%&+:;<=>?@[\\]^`{|}\"";
    private const string Hex = "0123456789ABCDEF";

    // Printable ASCII that is neither unsafe nor '%': characters written as they are, whatever surrounds them.
    private static readonly System.Buffers.SearchValues<char> Plain = System.Buffers.SearchValues.Create(
        string.Concat(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).Where(c => c != '%' && !Unsafe.Contains(c, StringComparison.Ordinal))));

    public static string Encode(string value)
    {
        // Most values (UUIDs, names, numbers) have nothing to encode: return them without touching their bytes.
        if (!value.AsSpan().ContainsAnyExcept(Plain))
        {
            return value;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        StringBuilder? sb = null;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (!NeedsEncoding(bytes, i))
            {
                sb?.Append((char)b);
                continue;
            }
            if (sb is null)
            {
                sb = new StringBuilder(bytes.Length * 3);
                for (var j = 0; j < i; j++)
                {
                    sb.Append((char)bytes[j]);
                }
            }
            sb.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0x0F]);
        }
        return sb?.ToString() ?? value;
    }

    private static bool NeedsEncoding(byte[] bytes, int i)
    {
        var b = bytes[i];
        // "e - p > 1": at least two more bytes; both must be in the upper-case hex alphabet.
        if (b == (byte)'%' && bytes.Length - 1 - i > 1 && Hex.Contains((char)bytes[i + 1], StringComparison.Ordinal)
            && Hex.Contains((char)bytes[i + 2], StringComparison.Ordinal))
        {
            return false;
        }
        return b < 0x20 || b > 0x7E || Unsafe.Contains((char)b, StringComparison.Ordinal);
    }
}
