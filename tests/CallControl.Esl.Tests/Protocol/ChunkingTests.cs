using System.Buffers;
using CallControl.Esl.Protocol;
using CallControl.Esl.Tests.Captures;

namespace CallControl.Esl.Tests.Protocol;

/// <summary>However the bytes arrive, the same stream decodes to the same frames.</summary>
public sealed class ChunkingTests
{
    public static TheoryData<string, int> ScenariosAndSeeds()
    {
        var data = new TheoryData<string, int>();
        foreach (var path in CaptureFiles.ServerStreams())
        {
            data.Add(CaptureFiles.ScenarioName(path), 20261126);
        }

        data.Add("app-to-app", 1);
        data.Add("outbound-socket", 2);
        return data;
    }

    [Theory]
    [MemberData(nameof(ScenariosAndSeeds))]
    public async Task Capture_in_random_chunks_decodes_to_the_same_frames_as_from_memory(string scenario, int seed)
    {
        var bytes = CaptureFiles.ServerStream(scenario);
        var expected = TestWire.RenderAll(bytes);
        var random = new Random(seed);

        // Sizes from 1 byte to 64 KiB, skewed small so most frames are cut several times.
        await using var decoder = TestWire.ChunkedDecoder(bytes, () => random.Next(4) == 0 ? random.Next(1, 65537) : random.Next(1, 64));
        var actual = await TestWire.RenderAllAsync(decoder, TestWire.Timeout());

        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual);
        Assert.Equal(bytes.Length, decoder.Position);
    }

    [Theory]
    [InlineData("commands")]
    [InlineData("non-ascii")]
    [InlineData("outbound-socket")]
    [InlineData("auth-fail")]
    [InlineData("verto-login-directory")]
    public async Task Capture_one_byte_at_a_time_decodes_to_the_same_frames_as_from_memory(string scenario)
    {
        var bytes = CaptureFiles.ServerStream(scenario);
        var expected = TestWire.RenderAll(bytes);

        await using var decoder = TestWire.ChunkedDecoder(bytes, () => 1);
        var actual = await TestWire.RenderAllAsync(decoder, TestWire.Timeout());

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("non-ascii")]
    [InlineData("commands")]
    [InlineData("outbound-socket")]
    public void Every_prefix_of_a_frame_is_incomplete_and_the_whole_frame_decodes_the_same(string scenario)
    {
        var bytes = CaptureFiles.ServerStream(scenario);
        var reader = new EslFrameReader();
        var frames = EslStreamDecoder.DecodeAll(bytes).Select(f => (f.StreamOffset, f.Length, Text: CaptureDecoding.Render(f))).Take(12).ToList();
        Assert.NotEmpty(frames);

        foreach (var (offset, length, text) in frames)
        {
            var frameBytes = bytes.AsMemory((int)offset, length);
            for (var prefix = 0; prefix < length; prefix++)
            {
                var buffer = new ReadOnlySequence<byte>(frameBytes[..prefix]);
                Assert.False(reader.TryReadFrame(ref buffer, out var none), $"frame at {offset} complete after {prefix} of {length} bytes");
                Assert.Null(none);
                Assert.Equal(prefix, buffer.Length);
            }

            var whole = new ReadOnlySequence<byte>(frameBytes);
            Assert.True(reader.TryReadFrame(ref whole, out var frame));
            Assert.Equal(0, whole.Length);
            frame!.StreamOffset = offset;
            Assert.Equal(text, CaptureDecoding.Render(frame));
        }
    }

    [Fact]
    public async Task Stream_ending_inside_any_prefix_of_a_frame_reports_a_truncated_frame_at_its_offset()
    {
        var first = TestWire.CommandReply("+OK accepted");
        var second = TestWire.PlainEvent("Event-Name: BACKGROUND_JOB\nJob-UUID: 7f4db78a", TestWire.Utf8("+OK done\n"));

        for (var cut = 1; cut < second.Length; cut++)
        {
            var data = TestWire.Concat(first, second[..cut]);
            await using var decoder = TestWire.ChunkedDecoder(data, () => 7);

            var ok = await decoder.ReadFrameAsync(TestWire.Timeout());
            ok!.Dispose();
            var e = await Assert.ThrowsAsync<EslProtocolException>(async () => await decoder.ReadFrameAsync(TestWire.Timeout()));
            Assert.StartsWith("truncated frame", e.Reason, StringComparison.Ordinal);
            Assert.Equal(first.Length, e.Offset);
        }
    }
}
