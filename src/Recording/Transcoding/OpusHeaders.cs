using System.Buffers.Binary;
using System.Text;

namespace CallControl.Recording.Transcoding;

/// <summary>The two header packets of an Ogg Opus stream (RFC 7845 section 5).</summary>
internal static class OpusHeaders
{
    /// <summary>OpusHead: version 1, channel count, pre-skip (48 kHz samples), the input's rate (informational),
    /// output gain 0, channel mapping family 0 (mono or stereo, left then right).</summary>
    public static byte[] Head(int channels, int preSkip, int inputSampleRate)
    {
        var p = new byte[19];
        "OpusHead"u8.CopyTo(p);
        p[8] = 1;
        p[9] = (byte)channels;
        BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(10), (ushort)preSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(12), (uint)inputSampleRate);
        BinaryPrimitives.WriteInt16LittleEndian(p.AsSpan(16), 0);
        p[18] = 0;
        return p;
    }

    /// <summary>OpusTags: the vendor string and the user comments (<c>NAME=value</c>).</summary>
    public static byte[] Tags(string vendor, IReadOnlyList<string> comments)
    {
        using var ms = new MemoryStream();
        ms.Write("OpusTags"u8);
        WriteString(ms, vendor);
        Span<byte> count = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(count, (uint)comments.Count);
        ms.Write(count);
        foreach (var comment in comments)
        {
            WriteString(ms, comment);
        }
        return ms.ToArray();
    }

    private static void WriteString(MemoryStream ms, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)bytes.Length);
        ms.Write(length);
        ms.Write(bytes);
    }
}
