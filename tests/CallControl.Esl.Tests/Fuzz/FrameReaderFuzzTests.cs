using System.Diagnostics;
using CallControl.Esl.Events;
using CallControl.Esl.Protocol;
using CallControl.Esl.Tests.Protocol;
using CallControl.Esl.Tests.Support;

namespace CallControl.Esl.Tests.Fuzz;

/// <summary>
/// Hostile bytes into the frame reader and the event decoder, a fixed number of seeded iterations (so a failure
/// reproduces): random bytes and mutated windows of every captured FreeSWITCH stream. Every input must end in frames,
/// a clean end, or an <see cref="EslProtocolException"/>: no other exception, and no input may hang the reader.
/// </summary>
public sealed class FrameReaderFuzzTests
{
    private const int Iterations = 20_000;
    private const int Seed = 20261126;

    /// <summary>Small limits so the limit checks are reached by inputs of a few KB.</summary>
    private static readonly EslFrameLimits Limits = new() { MaxHeaderLineBytes = 512, MaxHeaderCount = 64, MaxHeaderBlockBytes = 4096, MaxBodyBytes = 8192 };

    [Fact]
    public async Task Random_and_mutated_capture_streams_end_in_frames_or_a_protocol_error()
    {
        var captures = Directory.GetFiles(Path.GetDirectoryName(CaptureLocator.File("README.md"))!, "*.server.raw");
        Assert.NotEmpty(captures);
        var mutator = new FrameMutator(new Random(Seed), [.. captures.Select(File.ReadAllBytes)]);
        var random = new Random(Seed + 1);
        var outcomes = new Dictionary<string, int>();
        var frames = 0;

        // A hang cannot be cancelled from inside a parser loop: the watchdog fails the test naming the input instead.
        var current = (Iteration: -1, Input: Array.Empty<byte>(), Started: 0L);
        var run = Task.Run(async () =>
        {
            for (var i = 0; i < Iterations; i++)
            {
                var input = mutator.Next(i);
                current = (i, input, Stopwatch.GetTimestamp());
                var (outcome, count) = i % 2 == 0 ? DecodeInMemory(input) : await DecodeChunkedAsync(input, random);
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                frames += count;
            }
        });
        while (await Task.WhenAny(run, Task.Delay(1000)) != run)
        {
            var (iteration, input, started) = current;
            Assert.True(
                iteration < 0 || Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30),
                $"input {iteration} (seed {Seed}) did not finish: {Convert.ToBase64String(input)}");
        }

        await run;
        // The inputs reached both ends: well-formed frames decoded, and protocol errors raised.
        Assert.True(frames > Iterations, $"{frames} frames decoded");
        Assert.True(outcomes.GetValueOrDefault("protocol error") > Iterations / 10, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault("clean end") > Iterations / 20, string.Join(", ", outcomes));
    }

    private static (string Outcome, int Frames) DecodeInMemory(byte[] input)
    {
        var frames = 0;
        try
        {
            foreach (var frame in EslStreamDecoder.DecodeAll(input, Limits))
            {
                frames++;
                Touch(frame);
            }

            return ("clean end", frames);
        }
        catch (EslProtocolException)
        {
            return ("protocol error", frames);
        }
        catch (Exception e)
        {
            Assert.Fail($"in-memory decode threw {e.GetType().Name} for {Convert.ToBase64String(input)}: {e}");
            throw;
        }
    }

    private static async Task<(string Outcome, int Frames)> DecodeChunkedAsync(byte[] input, Random random)
    {
        var frames = 0;
        var sizes = random.Next(3) switch { 0 => 1, 1 => 7, _ => 1 + random.Next(300) };
        await using var decoder = TestWire.ChunkedDecoder(input, () => sizes, Limits);
        try
        {
            while (await decoder.ReadFrameAsync(TestWire.Timeout()) is { } frame)
            {
                frames++;
                Touch(frame);
            }

            return ("clean end", frames);
        }
        catch (EslProtocolException)
        {
            return ("protocol error", frames);
        }
        catch (Exception e)
        {
            Assert.Fail($"chunked decode threw {e.GetType().Name} for {Convert.ToBase64String(input)}: {e}");
            throw;
        }
    }

    /// <summary>Reads the frame as the connection does: an event is parsed and every header decoded; a bad event body
    /// is an <see cref="EslProtocolException"/> (the connection skips that event and carries on).</summary>
    private static void Touch(EslFrame frame)
    {
        _ = frame.Headers.Count;
        _ = frame.ReplyText;
        if (!frame.CarriesEvent)
        {
            _ = frame.BodyText;
            frame.Dispose();
            return;
        }

        try
        {
            using var e = EslEvent.FromFrame(frame, Limits);
            _ = e.EventName;
            _ = e.UniqueId;
            _ = e.Headers.Count;
            _ = e.Body;
            _ = e.GetVariable("room_id");
        }
        catch (EslProtocolException)
        {
            // The connection skips such an event and disposes its frame, as here.
            frame.Dispose();
        }
    }
}
