using System.IO.Pipelines;
using CallControl.Esl.Protocol;

namespace CallControl.Esl.Tests.Protocol;

/// <summary>
/// Large bodies (a <c>show channels as json</c> on a busy node runs to MiBs) arriving in small pieces: while waiting
/// for the body the reader looks at the header lines again but only counts body bytes, so the work is linear.
/// A reader that rescanned the body on every piece would need hours here and trip the 10 s guard.
/// </summary>
public sealed class LargeBodyTests
{
    [Fact]
    public async Task Four_MiB_body_in_256_byte_pieces_decodes_intact()
    {
        var body = new byte[4 * 1024 * 1024];
        new Random(11).NextBytes(body);
        body[0] = (byte)'\n'; // bytes in the body that look like line ends or blank lines must not matter
        body[1] = (byte)'\n';
        var data = TestWire.Concat(TestWire.Frame("api/response", body), TestWire.CommandReply("+OK after"));

        await using var decoder = TestWire.ChunkedDecoder(data, () => 256);
        var frame = await decoder.ReadFrameAsync(TestWire.Timeout());
        var next = await decoder.ReadFrameAsync(TestWire.Timeout());

        Assert.NotNull(frame);
        Assert.Equal(EslFrameKind.ApiResponse, frame.Kind);
        Assert.True(frame.BodySpan.SequenceEqual(body));
        Assert.Equal("+OK after", next!.ReplyText);
        Assert.Null(await decoder.ReadFrameAsync(TestWire.Timeout()));
        frame.Dispose();
        next.Dispose();
    }

    [Fact]
    public async Task Body_written_by_a_slow_writer_completes_once_the_last_byte_arrives()
    {
        var body = TestWire.Utf8(new string('x', 100_000));
        var data = TestWire.Frame("api/response", body);
        var pipe = new Pipe();
        var decoder = new EslStreamDecoder(pipe.Reader);
        var read = decoder.ReadFrameAsync(TestWire.Timeout()).AsTask();

        for (var offset = 0; offset < data.Length - 1; offset += 1000)
        {
            await pipe.Writer.WriteAsync(data.AsMemory(offset, Math.Min(1000, data.Length - 1 - offset)));
        }

        Assert.False(read.IsCompleted);
        await pipe.Writer.WriteAsync(data.AsMemory(data.Length - 1));
        using var frame = await read;

        Assert.Equal(body.Length, frame!.BodySpan.Length);
        Assert.Equal(data.Length, decoder.Position);
    }
}
