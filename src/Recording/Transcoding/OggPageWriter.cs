using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CallControl.Recording.Transcoding;

/// <summary>
/// Writes one logical Ogg bitstream (RFC 3533): packets are laced into pages of at most 255 segments; each page
/// carries the granule position of the last packet that ends on it, a sequence number and its CRC. The first page
/// is flagged beginning-of-stream, the last end-of-stream. Also hashes every byte it writes (SHA-256), so the
/// archive job knows the file's checksum without reading it again.
/// </summary>
internal sealed class OggPageWriter : IDisposable
{
    private const int MaxSegments = 255;
    private const int HeaderBytes = 27;
    private const byte FlagBeginOfStream = 0x02;
    private const byte FlagEndOfStream = 0x04;

    private readonly Stream _output;
    private readonly uint _serial;
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _segments = new byte[MaxSegments];
    private readonly byte[] _body = new byte[MaxSegments * 255];
    private readonly byte[] _header = new byte[HeaderBytes + MaxSegments];
    private int _segmentCount;
    private int _bodyLength;
    private int _packetsOnPage;
    private uint _sequence;
    private long _granule;
    private bool _firstPageWritten;

    public OggPageWriter(Stream output, uint serial)
    {
        _output = output;
        _serial = serial;
    }

    public long BytesWritten { get; private set; }

    public int PacketsOnPage => _packetsOnPage;

    /// <summary>Adds a packet that completes at <paramref name="granulePosition"/>. A packet that does not fit in
    /// the current page's segment table flushes that page first; packets are never split across pages (the
    /// continued-packet flag is never set), which Opus packets, far below 255 segments, never need.</summary>
    public void AddPacket(ReadOnlySpan<byte> packet, long granulePosition)
    {
        var needed = (packet.Length / 255) + 1;
        if (needed > MaxSegments)
        {
            throw new ArgumentException("Packet too large for one Ogg page.", nameof(packet));
        }
        if (_segmentCount + needed > MaxSegments)
        {
            Flush(endOfStream: false);
        }
        var remaining = packet.Length;
        while (remaining >= 255)
        {
            _segments[_segmentCount++] = 255;
            remaining -= 255;
        }
        _segments[_segmentCount++] = (byte)remaining;
        packet.CopyTo(_body.AsSpan(_bodyLength));
        _bodyLength += packet.Length;
        _packetsOnPage++;
        _granule = granulePosition;
    }

    /// <summary>Writes the buffered packets as one page (nothing when empty, unless it is the end of stream).</summary>
    public void Flush(bool endOfStream)
    {
        if (_segmentCount == 0 && !endOfStream)
        {
            return;
        }
        var h = _header.AsSpan(0, HeaderBytes + _segmentCount);
        "OggS"u8.CopyTo(h);
        h[4] = 0; // stream structure version
        h[5] = (byte)((_firstPageWritten ? 0 : FlagBeginOfStream) | (endOfStream ? FlagEndOfStream : 0));
        BinaryPrimitives.WriteInt64LittleEndian(h[6..], _granule);
        BinaryPrimitives.WriteUInt32LittleEndian(h[14..], _serial);
        BinaryPrimitives.WriteUInt32LittleEndian(h[18..], _sequence++);
        BinaryPrimitives.WriteUInt32LittleEndian(h[22..], 0);
        h[26] = (byte)_segmentCount;
        _segments.AsSpan(0, _segmentCount).CopyTo(h[HeaderBytes..]);
        var body = _body.AsSpan(0, _bodyLength);
        var crc = OggCrc.Compute(body, OggCrc.Compute(h));
        BinaryPrimitives.WriteUInt32LittleEndian(h[22..], crc);

        _output.Write(h);
        _output.Write(body);
        _sha.AppendData(h);
        _sha.AppendData(body);
        BytesWritten += h.Length + body.Length;
        _firstPageWritten = true;
        _segmentCount = 0;
        _bodyLength = 0;
        _packetsOnPage = 0;
    }

    /// <summary>Lowercase hex SHA-256 of everything written so far.</summary>
    public string Sha256() => Convert.ToHexStringLower(_sha.GetCurrentHash());

    public void Dispose() => _sha.Dispose();
}
