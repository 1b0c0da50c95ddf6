using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace CallControl.Esl.Protocol;

/// <summary>
/// Decodes header values the way FreeSWITCH's <c>switch_url_decode</c> does: <c>%XX</c> becomes the byte XX,
/// everything else (a lone <c>%</c>, <c>%zz</c>, <c>+</c>) is kept as it is. The decoded bytes are UTF-8 in
/// principle but FreeSWITCH passes through whatever a SIP peer sent, so invalid sequences become U+FFFD and are
/// counted instead of throwing.
/// </summary>
internal static class PercentEncoding
{
    private static readonly UTF8Encoding Utf8Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Decodes <paramref name="raw"/>; <paramref name="problems"/> grows by one per malformed
    /// percent sequence and one per value whose bytes are not valid UTF-8.</summary>
    public static string Decode(ReadOnlySpan<byte> raw, bool percentEncoded, ref int problems)
    {
        if (raw.IsEmpty)
        {
            return string.Empty;
        }

        if (!percentEncoded || raw.IndexOf((byte)'%') < 0)
        {
            return DecodeUtf8(raw, ref problems);
        }

        byte[]? rented = null;
        Span<byte> decoded = raw.Length <= 512 ? stackalloc byte[raw.Length] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            var n = 0;
            for (var i = 0; i < raw.Length; i++)
            {
                var b = raw[i];
                if (b == (byte)'%')
                {
                    if (i + 2 < raw.Length && TryHex(raw[i + 1], raw[i + 2], out var value))
                    {
                        decoded[n++] = value;
                        i += 2;
                        continue;
                    }

                    problems++;
                }

                decoded[n++] = b;
            }

            return DecodeUtf8(decoded[..n], ref problems);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, ref int problems)
    {
        if (!Utf8.IsValid(bytes))
        {
            problems++;
        }

        return Utf8Lenient.GetString(bytes);
    }

    private static bool TryHex(byte hi, byte lo, out byte value)
    {
        var h = HexValue(hi);
        var l = HexValue(lo);
        value = (byte)((h << 4) | l);
        return h >= 0 && l >= 0;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
