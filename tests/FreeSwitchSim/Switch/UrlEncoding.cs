using System.Text;

namespace FreeSwitchSim.Switch;

/// <summary>
/// switch_url_encode (switch_utils.c) with double encoding off: bytes below space or above '~' and the characters
/// of SWITCH_URL_UNSAFE are written %XX, except a '%' already followed by two upper-case hex digits.
/// </summary>
internal static class UrlEncoding
{
    private const string Unsafe = "\r\n #%&+:;<=>?@[\\]^`{|}\"";
    private const string Hex = "0123456789ABCDEF";

    public static string Encode(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var sb = new StringBuilder(bytes.Length + 16);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            var keep = b == (byte)'%' && i + 2 < bytes.Length && Hex.Contains((char)bytes[i + 1], StringComparison.Ordinal)
                && Hex.Contains((char)bytes[i + 2], StringComparison.Ordinal);
            if (!keep && (b < (byte)' ' || b > (byte)'~' || Unsafe.Contains((char)b, StringComparison.Ordinal)))
            {
                sb.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 15]);
            }
            else
            {
                sb.Append((char)b);
            }
        }
        return sb.ToString();
    }
}
