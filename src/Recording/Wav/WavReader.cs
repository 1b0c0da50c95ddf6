using System.Buffers.Binary;

namespace CallControl.Recording.Wav;

/// <summary>
/// Reads and checks a WAV header as mod_sndfile (libsndfile) writes it: RIFF/WAVE, a <c>fmt </c> chunk with PCM
/// (format 1, or WAVE_FORMAT_EXTENSIBLE with the PCM sub-format), 16 bits, 1 or 2 channels, a rate FreeSWITCH
/// records at; then the <c>data</c> chunk. Other chunks (LIST, fact, PEAK, ...) are skipped. Anything else throws
/// <see cref="InvalidRecordingException"/> with a reason an operator can act on.
/// </summary>
public static class WavReader
{
    /// <summary>Rates FreeSWITCH channels run at (and so record at).</summary>
    public static readonly IReadOnlySet<int> SupportedRates =
        new HashSet<int> { 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000 };

    private const ushort FormatPcm = 1;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>libsndfile leaves 0xFFFFFFFF in a data size it never rewrote (the writer died): the data runs to the end.</summary>
    private const uint UnfinalizedSize = uint.MaxValue;

    // KSDATAFORMAT_SUBTYPE_PCM: 00000001-0000-0010-8000-00aa00389b71, as stored (little-endian fields).
    private static ReadOnlySpan<byte> PcmSubFormat =>
        [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>Validates the WAV file at <paramref name="path"/>.</summary>
    public static WavFormat Inspect(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        return ReadHeader(stream);
    }

    /// <summary>Validates the header of a seekable <paramref name="stream"/> and leaves it at the first sample.</summary>
    public static WavFormat ReadHeader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var fileLength = stream.Length;
        Span<byte> head = stackalloc byte[12];
        if (!TryReadExactly(stream, head))
        {
            throw new InvalidRecordingException($"Truncated WAV: {fileLength} bytes, shorter than a RIFF header.");
        }
        if (!head[..4].SequenceEqual("RIFF"u8))
        {
            throw new InvalidRecordingException(head[..4].SequenceEqual("RF64"u8)
                ? "RF64 WAV (over 4 GB) is not supported."
                : "Not a WAV file: it does not start with 'RIFF'.");
        }
        if (!head[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidRecordingException("Not a WAV file: a RIFF file whose form type is not 'WAVE'.");
        }

        (int Rate, int Channels)? format = null;
        Span<byte> chunkHeader = stackalloc byte[8];
        while (true)
        {
            var chunkStart = stream.Position;
            if (!TryReadExactly(stream, chunkHeader))
            {
                throw new InvalidRecordingException(format is null
                    ? "Truncated WAV: no 'fmt ' chunk before the end of the file."
                    : "Truncated WAV: no 'data' chunk before the end of the file.");
            }
            var id = chunkHeader[..4];
            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader[4..]);
            var bodyStart = chunkStart + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                format = ReadFormat(stream, size, fileLength - bodyStart);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is not var (rate, channels))
                {
                    throw new InvalidRecordingException("Bogus WAV: the 'data' chunk comes before the 'fmt ' chunk.");
                }
                return DataChunk(stream, rate, channels, size, bodyStart, fileLength);
            }
            else if (!IsChunkId(id))
            {
                throw new InvalidRecordingException($"Bogus WAV: unreadable chunk id at byte {chunkStart}.");
            }

            // Chunks are padded to an even length.
            var next = bodyStart + size + (size & 1);
            if (next > fileLength)
            {
                throw new InvalidRecordingException(
                    $"Truncated WAV: chunk '{System.Text.Encoding.ASCII.GetString(id)}' at byte {chunkStart} declares {size} bytes, the file ends first.");
            }
            stream.Position = next;
        }
    }

    private static (int Rate, int Channels) ReadFormat(Stream stream, uint size, long available)
    {
        if (size < 16)
        {
            throw new InvalidRecordingException($"Bogus WAV: 'fmt ' chunk of {size} bytes (at least 16 expected).");
        }
        if (size > available || size > 1024)
        {
            throw new InvalidRecordingException($"Truncated or bogus WAV: 'fmt ' chunk declares {size} bytes.");
        }
        Span<byte> fmt = stackalloc byte[(int)size];
        if (!TryReadExactly(stream, fmt))
        {
            throw new InvalidRecordingException("Truncated WAV: the 'fmt ' chunk is cut short.");
        }
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        var rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        var byteRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[8..]);
        var blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (tag == FormatExtensible)
        {
            if (size < 40 || !fmt[24..40].SequenceEqual(PcmSubFormat))
            {
                throw new InvalidRecordingException("Unsupported WAV: WAVE_FORMAT_EXTENSIBLE with a sub-format other than PCM.");
            }
        }
        else if (tag != FormatPcm)
        {
            throw new InvalidRecordingException($"Unsupported WAV: format tag {tag} (only PCM, tag 1, is archived).");
        }
        if (bits != WavFormat.BitsPerSample)
        {
            throw new InvalidRecordingException($"Unsupported WAV: {bits}-bit samples (only 16-bit PCM is archived).");
        }
        if (channels is not (1 or 2))
        {
            throw new InvalidRecordingException($"Unsupported WAV: {channels} channels (1 or 2 expected).");
        }
        if (!SupportedRates.Contains((int)Math.Min(rate, int.MaxValue)))
        {
            throw new InvalidRecordingException($"Unsupported WAV: sample rate {rate} Hz.");
        }
        if (blockAlign != channels * 2 || byteRate != rate * blockAlign)
        {
            throw new InvalidRecordingException(
                $"Bogus WAV: block align {blockAlign} and byte rate {byteRate} do not match {channels} channel(s) of 16-bit PCM at {rate} Hz.");
        }
        return ((int)rate, channels);
    }

    private static WavFormat DataChunk(Stream stream, int rate, int channels, uint size, long bodyStart, long fileLength)
    {
        var available = fileLength - bodyStart;
        long length = size;
        if (size == UnfinalizedSize)
        {
            length = available;
        }
        else if (size > available)
        {
            throw new InvalidRecordingException(
                $"Truncated WAV: the 'data' chunk declares {size} bytes, the file holds {available}.");
        }
        var blockAlign = channels * 2;
        // A trailing partial sample frame cannot be played; drop it.
        length -= length % blockAlign;
        if (length == 0)
        {
            throw new InvalidRecordingException("Empty WAV: the 'data' chunk holds no samples.");
        }
        stream.Position = bodyStart;
        return new WavFormat(rate, channels, bodyStart, length);
    }

    private static bool IsChunkId(ReadOnlySpan<byte> id)
    {
        foreach (var b in id)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return false;
            }
        }
        return true;
    }

    private static bool TryReadExactly(Stream stream, Span<byte> buffer)
    {
        try
        {
            stream.ReadExactly(buffer);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
