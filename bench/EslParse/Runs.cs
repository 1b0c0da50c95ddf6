using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using CallControl.Esl.Events;
using CallControl.Esl.Protocol;

namespace CallControl.Bench.EslParse;

/// <summary>One measured run: events decoded, bytes, wall time, bytes allocated.</summary>
internal sealed record RunResult(string Name, long Events, long Bytes, TimeSpan Elapsed, long Allocated)
{
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;

    public double MegabytesPerSecond => Bytes / 1e6 / Elapsed.TotalSeconds;

    public double AllocatedPerEvent => (double)Allocated / Events;
}

internal static class Runs
{
    /// <summary>(a) From memory: the frame reader over one contiguous buffer, every event parsed, read and disposed.</summary>
    public static RunResult FromMemory(byte[] stream)
    {
        var reader = new EslFrameReader();
        var sink = 0L;
        var events = 0L;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var buffer = new ReadOnlySequence<byte>(stream);
        while (reader.TryReadFrame(ref buffer, out var frame))
        {
            using var ev = EslEvent.FromFrame(frame!);
            sink += Consumer.Consume(ev);
            events++;
        }

        clock.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        GC.KeepAlive(sink);
        return new RunResult("memory", events, stream.Length, clock.Elapsed, allocated);
    }

    /// <summary>
    /// (b) Through a loopback TCP socket: a sender task writes the stream to 127.0.0.1 in 64 KiB writes; the reader is
    /// the stream decoder (Pipelines + EslFrameReader), each event parsed, read and disposed. Allocation counts every
    /// thread (the sender and the socket machinery included).
    /// </summary>
    public static async Task<RunResult> ThroughSocketAsync(byte[] stream)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var sender = Task.Run(async () =>
        {
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
            var net = client.GetStream();
            for (var offset = 0; offset < stream.Length; offset += 64 * 1024)
            {
                await net.WriteAsync(stream.AsMemory(offset, Math.Min(64 * 1024, stream.Length - offset))).ConfigureAwait(false);
            }

            client.Client.Shutdown(SocketShutdown.Send);
        });

        using var socket = await listener.AcceptSocketAsync().ConfigureAwait(false);
        var events = 0L;
        var sink = 0L;
        var decoder = EslStreamDecoder.Create(new NetworkStream(socket, ownsSocket: false));
        await using (decoder.ConfigureAwait(false))
        {
            while (await decoder.ReadFrameAsync().ConfigureAwait(false) is { } frame)
            {
                using var ev = EslEvent.FromFrame(frame);
                sink += Consumer.Consume(ev);
                events++;
            }
        }

        await sender.ConfigureAwait(false);
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        GC.KeepAlive(sink);
        return new RunResult("socket", events, stream.Length, clock.Elapsed, allocated);
    }

    /// <summary>The loopback socket alone: the same sender, a reader that only counts bytes. The ceiling for (b).</summary>
    public static async Task<RunResult> RawSocketAsync(byte[] stream)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var clock = Stopwatch.StartNew();
        var sender = Task.Run(async () =>
        {
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
            await client.GetStream().WriteAsync(stream).ConfigureAwait(false);
            client.Client.Shutdown(SocketShutdown.Send);
        });

        using var socket = await listener.AcceptSocketAsync().ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = await socket.ReceiveAsync(buffer).ConfigureAwait(false)) > 0)
        {
            total += n;
        }

        await sender.ConfigureAwait(false);
        clock.Stop();
        return new RunResult("raw", 0, total, clock.Elapsed, 0);
    }

    /// <summary>A lookup-cost probe: how long one header lookup takes at the start versus the end of a large event.</summary>
    public static (double FirstNs, double LastNs, int Headers) LookupCost(byte[] unit)
    {
        var reader = new EslFrameReader();
        var buffer = new ReadOnlySequence<byte>(unit);
        EslEvent? biggest = null;
        while (reader.TryReadFrame(ref buffer, out var frame))
        {
            var ev = EslEvent.FromFrame(frame!);
            if (biggest is null || ev.HeaderCount > biggest.HeaderCount)
            {
                biggest?.Dispose();
                biggest = ev;
            }
            else
            {
                ev.Dispose();
            }
        }

        using (biggest)
        {
            var headers = biggest!.Headers;
            var first = headers[0].Key;
            var last = headers[^1].Key;
            return (Time(() => biggest.HasHeader(first)), Time(() => biggest.HasHeader(last)), headers.Count);
        }
    }

    private static double Time(Func<bool> lookup)
    {
        const int Iterations = 2_000_000;
        var hits = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++)
        {
            hits += lookup() ? 1 : 0;
        }

        clock.Stop();
        GC.KeepAlive(hits);
        return clock.Elapsed.TotalNanoseconds / Iterations;
    }
}
