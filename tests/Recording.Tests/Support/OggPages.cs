using System.Buffers.Binary;
using CallControl.Recording.Transcoding;

namespace CallControl.Recording.Tests.Support;

/// <summary>A plain Ogg page reader for structural checks of the transcoder's output.</summary>
internal static class OggPages
{
    public sealed record Page(byte Flags, long Granule, uint Serial, uint Sequence, byte[] Body, bool CrcMatches);

    public static List<Page> Parse(byte[] ogg)
    {
        var pages = new List<Page>();
        var pos = 0;
        while (pos < ogg.Length)
        {
            Assert.Equal("OggS"u8.ToArray(), ogg[pos..(pos + 4)]);
            var segments = ogg[pos + 26];
            var bodyLength = 0;
            for (var i = 0; i < segments; i++)
            {
                bodyLength += ogg[pos + 27 + i];
            }
            var headerLength = 27 + segments;
            var page = ogg[pos..(pos + headerLength + bodyLength)];
            var stored = BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(22));
            page[22] = page[23] = page[24] = page[25] = 0;
            pages.Add(new Page(
                ogg[pos + 5],
                BinaryPrimitives.ReadInt64LittleEndian(ogg.AsSpan(pos + 6)),
                BinaryPrimitives.ReadUInt32LittleEndian(ogg.AsSpan(pos + 14)),
                BinaryPrimitives.ReadUInt32LittleEndian(ogg.AsSpan(pos + 18)),
                ogg[(pos + headerLength)..(pos + headerLength + bodyLength)],
                OggCrc.Compute(page) == stored));
            pos += headerLength + bodyLength;
        }
        return pages;
    }
}
