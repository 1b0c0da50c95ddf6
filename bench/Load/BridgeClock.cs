using System.Collections.Concurrent;
using System.Diagnostics;

namespace CallControl.Bench.Load;

/// <summary>
/// Watches the simulator's events: the time from the later of the two bridged legs' CHANNEL_PARK / CHANNEL_ANSWER
/// (a verto leg's park, or the carrier leg's answer: the moment the service had everything it needed) to the
/// CHANNEL_BRIDGE its uuid_bridge produced, and signals each leg's park and bridge to the call driver. Timed twice:
/// on the switch's own clock (the events' <c>Event-Date-Timestamp</c>, stamped when FreeSWITCH fired them: what an
/// operator reads off the node), and as this process saw the events arrive, which adds the driver's own lag in reading
/// the feed inside the loaded service process.
/// </summary>
internal sealed class BridgeClock
{
    private readonly ConcurrentDictionary<string, (long Seen, long SwitchUs, bool Parked)> _ready = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _parked = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _bridged = new();
    private readonly ConcurrentQueue<double> _latencies = new();
    private readonly ConcurrentQueue<double> _seenLatencies = new();
    private readonly ConcurrentQueue<double> _commandedLatencies = new();
    private readonly ConcurrentQueue<double> _carrierLatencies = new();

    /// <summary>Park-to-bridge on the switch's clock (the events' Event-Date-Timestamp), ms.</summary>
    public IReadOnlyCollection<double> LatenciesMs => _latencies;

    /// <summary>Park-to-bridge as this process saw the events arrive, ms (the same bridges, in the same order).</summary>
    public IReadOnlyCollection<double> SeenLatenciesMs => _seenLatencies;

    /// <summary>The switch-clock latencies of bridges between two verto legs that both parked: the service commanded
    /// each with uuid_bridge once it had the second park.</summary>
    public IReadOnlyCollection<double> CommandedLatenciesMs => _commandedLatencies;

    /// <summary>The switch-clock latencies of bridges to a carrier leg, from its answer: the node's bridge app (which the
    /// service started when it dialed) joins the legs itself, with no command in between.</summary>
    public IReadOnlyCollection<double> CarrierLatenciesMs => _carrierLatencies;

    /// <summary>One channel event: its name, Unique-ID and a header lookup (from the in-process simulator or ESL).</summary>
    public void OnEvent(string name, string? uuid, Func<string, string?> header)
    {
        var now = Stopwatch.GetTimestamp();
        if (uuid is null)
        {
            return;
        }

        switch (name)
        {
            case "CHANNEL_PARK":
                _ready[uuid] = (now, SwitchUs(header), true);
                Signal(_parked, uuid);
                break;
            case "CHANNEL_ANSWER" when (header("Channel-Name") ?? "").StartsWith("sofia/", StringComparison.Ordinal):
                // Only the carrier leg's answer is an input to the service; a verto leg is answered by the bridge itself.
                _ready[uuid] = (now, SwitchUs(header), false);
                break;
            case "CHANNEL_BRIDGE":
                var other = header("Bridge-B-Unique-ID") ?? header("Other-Leg-Unique-ID");
                var mine = _ready.GetValueOrDefault(uuid);
                var theirs = other is null ? default : _ready.GetValueOrDefault(other);
                var from = Math.Max(mine.Seen, theirs.Seen);
                if (from > 0)
                {
                    _seenLatencies.Enqueue(Stopwatch.GetElapsedTime(from, now).TotalMilliseconds);
                    // The later input on the switch's clock; both stamps come from the same node, so no clock skew.
                    var latency = (SwitchUs(header) - Math.Max(mine.SwitchUs, theirs.SwitchUs)) / 1000.0;
                    _latencies.Enqueue(latency);
                    (mine.Parked && theirs.Parked ? _commandedLatencies : _carrierLatencies).Enqueue(latency);
                }

                Signal(_bridged, uuid);
                if (other is not null)
                {
                    Signal(_bridged, other);
                }

                break;
            case "CHANNEL_DESTROY":
                _ready.TryRemove(uuid, out _);
                _parked.TryRemove(uuid, out _);
                _bridged.TryRemove(uuid, out _);
                break;
        }
    }

    private static long SwitchUs(Func<string, string?> header) =>
        long.TryParse(header("Event-Date-Timestamp"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var us)
            ? us
            : throw new InvalidOperationException("a channel event without Event-Date-Timestamp");

    public Task ParkedAsync(string uuid) => _parked.GetOrAdd(uuid, _ => New()).Task;

    public Task BridgedAsync(string uuid) => _bridged.GetOrAdd(uuid, _ => New()).Task;

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void Signal(ConcurrentDictionary<string, TaskCompletionSource> map, string uuid) =>
        map.GetOrAdd(uuid, _ => New()).TrySetResult();
}
