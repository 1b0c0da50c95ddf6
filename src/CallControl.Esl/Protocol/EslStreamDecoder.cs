using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace CallControl.Esl.Protocol;

/// <summary>
/// Reads Event Socket frames one after another from a <see cref="PipeReader"/> (or a <see cref="Stream"/>, wrapped in
/// one), tracking each frame's absolute byte offset in the stream (<see cref="EslFrame.StreamOffset"/>).
/// Every complete frame in a read is returned before the pipe is asked for more bytes; an incomplete frame leaves the
/// pipe examined to its end so the next read waits for new bytes (only the header lines are looked at again, the body
/// is only counted, so a large body arriving in small pieces costs linear time).
/// At end of stream, bytes left over inside a frame are a protocol error ("truncated frame"), not a silent end.
/// After any <see cref="EslProtocolException"/> the decoder is faulted and throws it again.
/// </summary>
public sealed class EslStreamDecoder : IAsyncDisposable
{
    /// <summary>Pipe buffer size used for streams: an event is a few KiB, a burst of them fills this in one read.</summary>
    private const int StreamBufferSize = 64 * 1024;

    private readonly PipeReader _reader;
    private readonly EslFrameReader _frameReader;
    private readonly bool _ownsReader;
    private ReadOnlySequence<byte> _buffer;
    private bool _holding;
    private bool _completed;
    private bool _finished;
    private EslProtocolException? _fault;

    /// <summary>Decodes frames from <paramref name="reader"/>. The caller keeps ownership of the reader.</summary>
    public EslStreamDecoder(PipeReader reader, EslFrameLimits? limits = null)
        : this(reader, limits, ownsReader: false)
    {
    }

    private EslStreamDecoder(PipeReader reader, EslFrameLimits? limits, bool ownsReader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _frameReader = new EslFrameReader(limits);
        _ownsReader = ownsReader;
    }

    /// <summary>Decodes frames from <paramref name="stream"/> (a socket, a file, standard input).</summary>
    /// <param name="stream">The byte stream, exactly as FreeSWITCH sent it.</param>
    /// <param name="limits">Frame limits, or the defaults.</param>
    /// <param name="leaveOpen">Whether disposing the decoder leaves <paramref name="stream"/> open.</param>
    public static EslStreamDecoder Create(Stream stream, EslFrameLimits? limits = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: StreamBufferSize, leaveOpen: leaveOpen));
        return new EslStreamDecoder(reader, limits, ownsReader: true);
    }

    /// <summary>Bytes of the stream consumed so far: the offset where the next frame starts.</summary>
    public long Position { get; private set; }

    /// <summary>
    /// Returns the next frame (the caller owns it and should dispose it), or null when the stream ended cleanly
    /// between frames. Throws <see cref="EslProtocolException"/> (offset from the start of the stream) for bytes that
    /// are not a frame or a stream that ends inside one.
    /// </summary>
    public async ValueTask<EslFrame?> ReadFrameAsync(CancellationToken cancellationToken = default)
    {
        if (_fault is not null)
        {
            throw _fault;
        }

        while (!_finished)
        {
            if (_holding)
            {
                if (TryTake(out var frame))
                {
                    return frame;
                }

                if (_completed)
                {
                    EndOfStream();
                    return null;
                }

                // Nothing complete: keep the unconsumed bytes, mark everything as seen so the pipe waits for more.
                _reader.AdvanceTo(_buffer.Start, _buffer.End);
                _holding = false;
            }

            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                throw new OperationCanceledException("the pipe read was canceled", cancellationToken);
            }

            _buffer = result.Buffer;
            _completed = result.IsCompleted;
            _holding = true;
        }

        return null;
    }

    /// <summary>Every frame until the stream ends cleanly; see <see cref="ReadFrameAsync"/>.</summary>
    public async IAsyncEnumerable<EslFrame> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadFrameAsync(cancellationToken).ConfigureAwait(false) is { } frame)
        {
            yield return frame;
        }
    }

    /// <summary>
    /// Decodes a whole byte stream held in memory. Frames come out with their stream offsets; bytes left inside an
    /// unfinished frame at the end are a "truncated frame" <see cref="EslProtocolException"/>.
    /// </summary>
    public static IEnumerable<EslFrame> DecodeAll(ReadOnlyMemory<byte> data, EslFrameLimits? limits = null)
    {
        var reader = new EslFrameReader(limits);
        var buffer = new ReadOnlySequence<byte>(data);
        long position = 0;
        while (true)
        {
            var before = buffer.Length;
            EslFrame? frame;
            try
            {
                if (!reader.TryReadFrame(ref buffer, out frame))
                {
                    break;
                }
            }
            catch (EslProtocolException e)
            {
                throw new EslProtocolException(e.Reason, position + e.Offset);
            }

            var consumed = before - buffer.Length;
            frame!.StreamOffset = position + consumed - frame.Length;
            position += consumed;
            yield return frame;
        }

        if (!IsOnlyLineBreaks(buffer))
        {
            throw Truncated(position, buffer.Length);
        }
    }

    /// <summary>Completes the pipe reader when the decoder created it (and so the stream, unless left open).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsReader)
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private bool TryTake(out EslFrame? frame)
    {
        var before = _buffer.Length;
        try
        {
            if (!_frameReader.TryReadFrame(ref _buffer, out frame))
            {
                return false;
            }
        }
        catch (EslProtocolException e)
        {
            throw Fault(new EslProtocolException(e.Reason, Position + e.Offset));
        }

        var consumed = before - _buffer.Length;
        frame!.StreamOffset = Position + consumed - frame.Length;
        Position += consumed;
        return true;
    }

    private void EndOfStream()
    {
        // FreeSWITCH ends a stream after a whole frame; stray line breaks carry nothing, anything else is a frame cut
        // short. Look before AdvanceTo: the pipe's buffer is not ours to read after it.
        var clean = IsOnlyLineBreaks(_buffer);
        var leftover = _buffer.Length;
        _reader.AdvanceTo(_buffer.End);
        _buffer = default;
        _holding = false;
        _finished = true;
        if (!clean)
        {
            throw Fault(Truncated(Position, leftover));
        }

        Position += leftover;
    }

    private EslProtocolException Fault(EslProtocolException e)
    {
        _fault = e;
        return e;
    }

    private static EslProtocolException Truncated(long offset, long bytes) =>
        new($"truncated frame: the stream ended {bytes} bytes into a frame", offset);

    private static bool IsOnlyLineBreaks(ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            if (segment.Span.IndexOfAnyExcept((byte)'\n', (byte)'\r') >= 0)
            {
                return false;
            }
        }

        return true;
    }
}
