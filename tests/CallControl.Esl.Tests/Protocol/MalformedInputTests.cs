using System.IO.Pipelines;
using CallControl.Esl.Events;
using CallControl.Esl.Protocol;

namespace CallControl.Esl.Tests.Protocol;

/// <summary>
/// Bytes that are not Event Socket framing end in a clear <see cref="EslProtocolException"/> with the stream offset,
/// promptly (every wait has a 10 s cancellation), and never in a crash or a hang.
/// </summary>
public sealed class MalformedInputTests
{
    private static readonly byte[] Greeting = TestWire.Utf8("Content-Type: auth/request\n\n");

    [Fact]
    public async Task Garbage_is_a_header_line_without_colon_at_offset_zero()
    {
        var e = await DecodeUntilErrorAsync(TestWire.Utf8("HTTP/1.1 200 OK junk\n\n"));

        Assert.Equal(0, e.Offset);
        Assert.Contains("without", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_line_without_colon_after_a_good_frame_reports_the_line_offset()
    {
        var bad = TestWire.Utf8("Content-Type: command/reply\nno colon here\n\n");

        var e = await DecodeUntilErrorAsync(TestWire.Concat(Greeting, bad));

        Assert.Equal(Greeting.Length + "Content-Type: command/reply\n".Length, e.Offset);
    }

    [Fact]
    public async Task Truncated_frame_at_end_of_stream_reports_where_the_frame_starts()
    {
        var cut = TestWire.Utf8("Content-Type: api/response\nContent-Length: 10\n\nabc");

        var e = await DecodeUntilErrorAsync(TestWire.Concat(Greeting, cut));

        Assert.Equal(Greeting.Length, e.Offset);
        Assert.StartsWith("truncated frame", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Content_length_beyond_the_limit_fails_without_waiting_for_the_body()
    {
        var limits = new EslFrameLimits { MaxBodyBytes = 1024 };
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(TestWire.Concat(Greeting, TestWire.Utf8("Content-Type: api/response\nContent-Length: 5000\n\n")));
        var decoder = new EslStreamDecoder(pipe.Reader, limits);

        (await decoder.ReadFrameAsync(TestWire.Timeout()))!.Dispose();
        var e = await Assert.ThrowsAsync<EslProtocolException>(async () => await decoder.ReadFrameAsync(TestWire.Timeout()));

        Assert.Equal(Greeting.Length, e.Offset);
        Assert.Contains("5000", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_line_beyond_the_limit_fails_without_waiting_for_its_end()
    {
        var limits = new EslFrameLimits { MaxHeaderLineBytes = 256 };
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(TestWire.Concat(Greeting, TestWire.Utf8("X-Long: " + new string('a', 1000))));
        var decoder = new EslStreamDecoder(pipe.Reader, limits);

        (await decoder.ReadFrameAsync(TestWire.Timeout()))!.Dispose();
        var e = await Assert.ThrowsAsync<EslProtocolException>(async () => await decoder.ReadFrameAsync(TestWire.Timeout()));

        Assert.Equal(Greeting.Length, e.Offset);
        Assert.Contains("256", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_block_beyond_the_limit_fails_without_waiting_for_its_end()
    {
        var limits = new EslFrameLimits { MaxHeaderBlockBytes = 4096 };
        var pipe = new Pipe();
        var lines = string.Concat(Enumerable.Range(0, 400).Select(i => $"variable_x{i}: {i}\n"));
        await pipe.Writer.WriteAsync(TestWire.Concat(Greeting, TestWire.Utf8(lines)));
        var decoder = new EslStreamDecoder(pipe.Reader, limits);

        (await decoder.ReadFrameAsync(TestWire.Timeout()))!.Dispose();
        var e = await Assert.ThrowsAsync<EslProtocolException>(async () => await decoder.ReadFrameAsync(TestWire.Timeout()));

        Assert.Equal(Greeting.Length, e.Offset);
        Assert.Contains("header block", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_header_lines_fail()
    {
        var limits = new EslFrameLimits { MaxHeaderCount = 10 };
        var lines = string.Concat(Enumerable.Range(0, 11).Select(i => $"X-{i}: v\n"));

        var e = await DecodeUntilErrorAsync(TestWire.Utf8(lines + "\n"), limits);

        Assert.Contains("10", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("12x")]
    [InlineData("99999999999999999999999999999999999")]
    public async Task Content_length_that_is_not_a_non_negative_number_fails(string value)
    {
        var e = await DecodeUntilErrorAsync(TestWire.Utf8($"Content-Type: api/response\nContent-Length: {value}\n\n"));

        // The offset points at the bad line itself.
        Assert.Equal("Content-Type: api/response\n".Length, e.Offset);
        Assert.Contains("Content-Length", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Peer_that_stops_mid_frame_and_closes_gives_a_truncated_frame()
    {
        var pipe = new Pipe();
        var decoder = new EslStreamDecoder(pipe.Reader);
        var read = decoder.ReadFrameAsync(TestWire.Timeout()).AsTask();

        await pipe.Writer.WriteAsync(TestWire.Utf8("Content-Length: 100\nContent-Type: text/event-plain\n\nEvent-Name: HEART"));
        Assert.False(read.IsCompleted);
        await pipe.Writer.CompleteAsync();

        var e = await Assert.ThrowsAsync<EslProtocolException>(() => read);
        Assert.Equal(0, e.Offset);
        Assert.StartsWith("truncated frame", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Peer_that_stalls_mid_frame_leaves_the_read_cancellable()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(TestWire.Utf8("Content-Length: 100\nContent-Type: text/event-plain\n\n"));
        var decoder = new EslStreamDecoder(pipe.Reader);
        using var cts = new CancellationTokenSource();

        var read = decoder.ReadFrameAsync(cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
    }

    [Fact]
    public async Task Decoder_after_a_protocol_error_keeps_failing_with_the_same_error()
    {
        await using var decoder = TestWire.ChunkedDecoder(TestWire.Utf8("junk\n\n"), () => 64);

        var first = await Assert.ThrowsAsync<EslProtocolException>(async () => await decoder.ReadFrameAsync(TestWire.Timeout()));
        var second = await Assert.ThrowsAsync<EslProtocolException>(async () => await decoder.ReadFrameAsync(TestWire.Timeout()));

        Assert.Same(first, second);
    }

    [Fact]
    public void Plain_event_body_with_a_line_without_colon_fails_at_its_stream_offset()
    {
        var frameBytes = TestWire.Frame("text/event-plain", TestWire.Utf8("Event-Name: HEARTBEAT\nbroken line\n\n"));
        var data = TestWire.Concat(Greeting, frameBytes);
        var frame = EslStreamDecoder.DecodeAll(data).Last();

        var e = Assert.Throws<EslProtocolException>(() => EslEvent.FromFrame(frame));

        var bodyStart = data.Length - "Event-Name: HEARTBEAT\nbroken line\n\n".Length;
        Assert.Equal(bodyStart + "Event-Name: HEARTBEAT\n".Length, e.Offset);
        frame.Dispose();
    }

    [Fact]
    public void Plain_event_inner_content_length_beyond_the_frame_fails()
    {
        var frame = EslStreamDecoder.DecodeAll(TestWire.Frame("text/event-plain", TestWire.Utf8("Event-Name: BACKGROUND_JOB\nContent-Length: 50\n\nshort"))).Single();

        var e = Assert.Throws<EslProtocolException>(() => EslEvent.FromFrame(frame));

        Assert.Contains("50", e.Reason, StringComparison.Ordinal);
        frame.Dispose();
    }

    [Fact]
    public void Json_event_that_is_not_json_fails_with_a_protocol_error()
    {
        var frame = EslStreamDecoder.DecodeAll(TestWire.Frame("text/event-json", TestWire.Utf8("{\"Event-Name\": \"HEARTBEAT\""))).Single();

        Assert.Throws<EslProtocolException>(() => EslEvent.FromFrame(frame));
        frame.Dispose();
    }

    [Fact]
    public void Random_bytes_never_crash_the_decoder()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var data = new byte[random.Next(1, 400)];
            random.NextBytes(data);
            if (i % 2 == 0)
            {
                // Make some of them look like frames so deeper paths run too.
                data = TestWire.Concat(TestWire.Utf8("Content-Length: 20\nContent-Type: text/event-plain\n\n"), data);
            }

            try
            {
                foreach (var frame in EslStreamDecoder.DecodeAll(data))
                {
                    if (frame.CarriesEvent)
                    {
                        using var ev = EslEvent.FromFrame(frame);
                        _ = ev.Headers;
                        _ = ev.Body;
                    }
                    else
                    {
                        frame.Dispose();
                    }
                }
            }
            catch (EslProtocolException e)
            {
                Assert.InRange(e.Offset, 0, data.Length);
            }
        }
    }

    private static async Task<EslProtocolException> DecodeUntilErrorAsync(byte[] data, EslFrameLimits? limits = null)
    {
        await using var decoder = TestWire.ChunkedDecoder(data, () => 5, limits);
        return await Assert.ThrowsAsync<EslProtocolException>(async () =>
        {
            while (await decoder.ReadFrameAsync(TestWire.Timeout()) is { } frame)
            {
                frame.Dispose();
            }
        });
    }
}
