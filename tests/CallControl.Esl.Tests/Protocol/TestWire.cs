using System.IO.Pipelines;
using System.Text;
using CallControl.Esl.Protocol;

namespace CallControl.Esl.Tests.Protocol;

/// <summary>Builds frames the way mod_event_socket writes them, and feeds bytes in chosen pieces.</summary>
internal static class TestWire
{
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>A frame with a body: <c>Content-Length</c> (bytes) then <c>Content-Type</c>, as FreeSWITCH orders them for events.</summary>
    public static byte[] Frame(string contentType, byte[] body) =>
        Concat(Utf8($"Content-Length: {body.Length}\nContent-Type: {contentType}\n\n"), body);

    /// <summary>A text/event-plain frame whose body is the given (already encoded) header lines and optional inner body.</summary>
    public static byte[] PlainEvent(string encodedHeaderLines, byte[]? innerBody = null)
    {
        var block = innerBody is null
            ? Utf8(encodedHeaderLines + "\n")
            : Concat(Utf8(encodedHeaderLines + $"\nContent-Length: {innerBody.Length}\n\n"), innerBody);
        return Frame("text/event-plain", block);
    }

    public static byte[] CommandReply(string replyText) => Utf8($"Content-Type: command/reply\nReply-Text: {replyText}\n\n");

    /// <summary>A decoder over a stream that hands out the bytes in pieces whose sizes come from <paramref name="nextSize"/>,
    /// through a pipe with small segments so frames straddle segment boundaries.</summary>
    public static EslStreamDecoder ChunkedDecoder(byte[] data, Func<int> nextSize, EslFrameLimits? limits = null)
    {
        var pipe = PipeReader.Create(new ChunkedStream(data, nextSize), new StreamPipeReaderOptions(bufferSize: 512, minimumReadSize: 128));
        return new EslStreamDecoder(pipe, limits);
    }

    public static async Task<List<string>> RenderAllAsync(EslStreamDecoder decoder, CancellationToken ct)
    {
        var rendered = new List<string>();
        await foreach (var frame in decoder.ReadAllAsync(ct))
        {
            rendered.Add(Captures.CaptureDecoding.Render(frame));
        }

        return rendered;
    }

    public static List<string> RenderAll(byte[] data) => [.. EslStreamDecoder.DecodeAll(data).Select(Captures.CaptureDecoding.Render)];

    public static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;
}

/// <summary>A read-only stream that returns at most the next chunk size per read, then end of stream.</summary>
internal sealed class ChunkedStream(byte[] data, Func<int> nextSize) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => data.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(Math.Min(buffer.Length, Math.Max(1, nextSize())), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
