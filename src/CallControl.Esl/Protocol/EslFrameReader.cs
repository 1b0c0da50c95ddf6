using System.Buffers;
using System.Buffers.Text;

namespace CallControl.Esl.Protocol;

/// <summary>
/// Cuts Event Socket frames out of a byte stream: header lines up to an empty line, then exactly
/// <c>Content-Length</c> BYTES of body (bytes, not characters: bodies are UTF-8 and may not even be valid UTF-8).
/// Stateless between calls: given the unconsumed bytes, it either returns one owned frame and slices the buffer
/// past it, or returns false and leaves the buffer alone so the caller waits for more bytes.
/// </summary>
public sealed class EslFrameReader
{
    private readonly EslFrameLimits _limits;

    /// <summary>Creates a reader with the given limits (or <see cref="EslFrameLimits.Default"/>).</summary>
    public EslFrameReader(EslFrameLimits? limits = null)
    {
        _limits = limits ?? EslFrameLimits.Default;
    }

    /// <summary>The limits in force.</summary>
    public EslFrameLimits Limits => _limits;

    /// <summary>
    /// Tries to read one frame from the start of <paramref name="buffer"/>. On success the frame is returned and
    /// <paramref name="buffer"/> is sliced past it. On false, more bytes are needed and <paramref name="buffer"/>
    /// is unchanged. Throws <see cref="EslProtocolException"/> (offset relative to the buffer's start) when the
    /// bytes cannot be a frame.
    /// </summary>
    public bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out EslFrame? frame)
    {
        frame = null;
        var reader = new SequenceReader<byte>(buffer);

        // Blank lines between frames carry nothing; FreeSWITCH does not send them, but a tolerant reader skips them.
        while (reader.TryPeek(out var first) && (first == (byte)'\n' || first == (byte)'\r'))
        {
            reader.Advance(1);
        }

        var frameStart = reader.Position;
        var skipped = reader.Consumed;
        long contentLength = 0;
        var lines = 0;
        while (true)
        {
            var lineStart = reader.Consumed;
            if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
            {
                if (reader.Remaining >= _limits.MaxHeaderLineBytes)
                {
                    throw new EslProtocolException($"header line longer than {_limits.MaxHeaderLineBytes} bytes", lineStart);
                }

                if (lineStart - skipped + reader.Remaining > _limits.MaxHeaderBlockBytes)
                {
                    throw HeaderBlockTooLong(skipped);
                }

                return false;
            }

            if (line.Length + 1 > _limits.MaxHeaderLineBytes)
            {
                throw new EslProtocolException($"header line longer than {_limits.MaxHeaderLineBytes} bytes", lineStart);
            }

            if (reader.Consumed - skipped > _limits.MaxHeaderBlockBytes)
            {
                throw HeaderBlockTooLong(skipped);
            }

            if (line.Length == 0 || (line.Length == 1 && line.FirstSpan[0] == (byte)'\r'))
            {
                break;
            }

            if (++lines > _limits.MaxHeaderCount)
            {
                throw new EslProtocolException($"more than {_limits.MaxHeaderCount} header lines", lineStart);
            }

            contentLength = ReadContentLength(line, lineStart, contentLength);
        }

        if (contentLength > _limits.MaxBodyBytes)
        {
            throw new EslProtocolException($"Content-Length {contentLength} exceeds the limit of {_limits.MaxBodyBytes} bytes", skipped);
        }

        if (reader.Remaining < contentLength)
        {
            return false;
        }

        var headerLength = (int)(reader.Consumed - skipped);
        var total = headerLength + (int)contentLength;
        var owned = ArrayPool<byte>.Shared.Rent(Math.Max(total, 1));
        buffer.Slice(frameStart, total).CopyTo(owned);
        HeaderTable table;
        try
        {
            table = HeaderTable.Index(owned, 0, headerLength, percentEncoded: false, _limits, out _);
        }
        catch (EslProtocolException e)
        {
            ArrayPool<byte>.Shared.Return(owned);
            throw new EslProtocolException(e.Reason, skipped + e.Offset);
        }

        var ct = table.Find("Content-Type");
        var kind = ct < 0 ? EslFrameKind.None : EslFrame.KindOf(table.RawValue(ct));
        frame = new EslFrame(owned, total, table, headerLength, (int)contentLength, kind);
        buffer = buffer.Slice(buffer.GetPosition(total, frameStart));
        return true;
    }

    private EslProtocolException HeaderBlockTooLong(long frameStart) =>
        new($"header block longer than {_limits.MaxHeaderBlockBytes} bytes", frameStart);

    private static long ReadContentLength(ReadOnlySequence<byte> line, long lineStart, long current)
    {
        const int NameLength = 15; // "Content-Length:"
        if (line.Length <= NameLength)
        {
            return current;
        }

        Span<byte> head = stackalloc byte[NameLength];
        line.Slice(0, NameLength).CopyTo(head);
        if (!HeaderTable.NameEquals(head[..^1], "Content-Length") || head[^1] != (byte)':')
        {
            return current;
        }

        var valueSeq = line.Slice(NameLength);
        Span<byte> value = stackalloc byte[32];
        if (valueSeq.Length > value.Length)
        {
            throw new EslProtocolException("Content-Length is not a number", lineStart);
        }

        valueSeq.CopyTo(value);
        var text = value[..(int)valueSeq.Length].Trim((byte)' ').TrimEnd((byte)'\r');
        if (!Utf8Parser.TryParse(text, out long length, out var used) || used != text.Length || length < 0)
        {
            throw new EslProtocolException("Content-Length is not a non-negative number", lineStart);
        }

        return length;
    }
}
