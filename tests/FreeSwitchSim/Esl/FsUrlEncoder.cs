using System.Buffers;
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
    private static readonly SearchValues<char> Plain = SearchValues.Create(
        string.Concat(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).Where(c => c != '%' && !Unsafe.Contains(c, StringComparison.Ordinal))));

    // Per byte: true when the byte is written %XX (a '%' is decided by what follows it).
    private static readonly bool[] Escaped = BuildEscaped();

    // Values up to this many UTF-8 bytes are encoded from the stack; longer ones from a pooled array.
    private const int StackBytes = 512;

    public static string Encode(string value)
    {
        // Most values (UUIDs, names, numbers) have nothing to encode: return them without touching their bytes.
        if (!value.AsSpan().ContainsAnyExcept(Plain))
        {
            return value;
        }
        var writer = new ArrayBufferWriter<byte>(value.Length * 3 + 16);
        EncodeTo(value, writer);
        return Encoding.ASCII.GetString(writer.WrittenSpan);
    }

    /// <summary>Writes the encoded value (ASCII) straight into <paramref name="to"/>; returns how many bytes.</summary>
    public static int EncodeTo(string value, IBufferWriter<byte> to)
    {
        if (!value.AsSpan().ContainsAnyExcept(Plain))
        {
            // Printable ASCII only: each char is its own byte.
            var span = to.GetSpan(value.Length);
            var n = Encoding.ASCII.GetBytes(value, span);
            to.Advance(n);
            return n;
        }
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var bytes = max <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var count = Encoding.UTF8.GetBytes(value, bytes);
            return Escape(bytes[..count], to);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static int Escape(ReadOnlySpan<byte> bytes, IBufferWriter<byte> to)
    {
        var output = to.GetSpan(bytes.Length * 3);
        var o = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (!Escaped[b] || (b == (byte)'%' && KeepsPercent(bytes, i)))
            {
                output[o++] = b;
                continue;
            }
            output[o++] = (byte)'%';
            output[o++] = (byte)Hex[b >> 4];
            output[o++] = (byte)Hex[b & 0x0F];
        }
        to.Advance(o);
        return o;
    }

    // "e - p > 1": at least two more bytes; both must be in the upper-case hex alphabet.
    private static bool KeepsPercent(ReadOnlySpan<byte> bytes, int i) =>
        bytes.Length - 1 - i > 1 && IsUpperHex(bytes[i + 1]) && IsUpperHex(bytes[i + 2]);

    private static bool IsUpperHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'A' and <= (byte)'F';

    private static bool[] BuildEscaped()
    {
        var escaped = new bool[256];
        for (var b = 0; b < 256; b++)
        {
            escaped[b] = b < 0x20 || b > 0x7E || Unsafe.Contains((char)b, StringComparison.Ordinal);
        }
        return escaped;
    }
}
