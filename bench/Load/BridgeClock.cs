using System.Collections.Concurrent;
using System.Diagnostics;

namespace CallControl.Bench.Load;

/// <summary>
/// Watches the simulator's events: the time from the later of the two bridged legs' CHANNEL_PARK / CHANNEL_ANSWER
/// (a verto leg's park, or the carrier leg's answer: the moment the service had everything it needed) to the CHANNEL_BRIDGE its uuid_bridge produced, and signals
/// each leg's park and bridge to the call driver.
/// </summary>
internal sealed class BridgeClock
{
    private readonly ConcurrentDictionary<string, long> _ready = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _parked = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _bridged = new();
    private readonly ConcurrentQueue<double> _latencies = new();

    public IReadOnlyCollection<double> LatenciesMs => _latencies;

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
                _ready[uuid] = now;
                Signal(_parked, uuid);
                break;
            case "CHANNEL_ANSWER" when (header("Channel-Name") ?? "").StartsWith("sofia/", StringComparison.Ordinal):
                // Only the carrier leg's answer is an input to the service; a verto leg is answered by the bridge itself.
                _ready[uuid] = now;
                break;
            case "CHANNEL_BRIDGE":
                var other = header("Bridge-B-Unique-ID") ?? header("Other-Leg-Unique-ID");
                var from = Math.Max(_ready.GetValueOrDefault(uuid), other is null ? 0 : _ready.GetValueOrDefault(other));
                if (from > 0)
                {
                    _latencies.Enqueue(Stopwatch.GetElapsedTime(from, now).TotalMilliseconds);
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

    public Task ParkedAsync(string uuid) => _parked.GetOrAdd(uuid, _ => New()).Task;

    public Task BridgedAsync(string uuid) => _bridged.GetOrAdd(uuid, _ => New()).Task;

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void Signal(ConcurrentDictionary<string, TaskCompletionSource> map, string uuid) =>
        map.GetOrAdd(uuid, _ => New()).TrySetResult();
}
