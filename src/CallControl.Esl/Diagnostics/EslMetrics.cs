using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CallControl.Esl.Diagnostics;

/// <summary>
/// The client's instruments, on the meter <c>CallControl.Esl</c>. Every measurement is tagged <c>esl.node</c> with the
/// connection's display name.
/// </summary>
public static class EslMetrics
{
    /// <summary>The meter name to listen to.</summary>
    public const string MeterName = "CallControl.Esl";

    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<object, Func<Measurement<long>>> QueueDepths = new();

    internal static readonly Counter<long> EventsReceived = Meter.CreateCounter<long>("esl.events.received", "{event}", "Events read from FreeSWITCH.");
    internal static readonly Counter<long> EventsShed = Meter.CreateCounter<long>("esl.events.shed", "{event}", "Events dropped because the consumer fell behind (policy Shed).");
    internal static readonly Counter<long> ConsumerStalls = Meter.CreateCounter<long>("esl.consumer.stalls", "{stall}", "Times the event queue was full and the read loop had to wait or shed.");
    internal static readonly Counter<long> LogLinesShed = Meter.CreateCounter<long>("esl.log.shed", "{line}", "log/data lines dropped because nobody read them.");
    internal static readonly Counter<long> Reconnects = Meter.CreateCounter<long>("esl.reconnects", "{connection}", "Successful reconnects after a lost connection.");
    internal static readonly Counter<long> DecodeProblems = Meter.CreateCounter<long>("esl.decode.problems", "{problem}", "Events or frames that could not be decoded.");
    internal static readonly Counter<long> SequenceGaps = Meter.CreateCounter<long>("esl.events.sequence_gaps", "{event}", "Event-Sequence numbers missing or out of order while subscribed to ALL.");
    internal static readonly Histogram<double> CommandDuration = Meter.CreateHistogram<double>("esl.command.duration", "ms", "Time from writing a command to its reply.");
    internal static readonly Histogram<double> EventLag = Meter.CreateHistogram<double>(
        "esl.events.lag", "ms", "Time from the node firing an event (its Event-Date-Timestamp) to this client reading it; across hosts it includes their clocks' offset.");

    static EslMetrics()
    {
        Meter.CreateObservableGauge("esl.events.queued", ObserveQueues, "{event}", "Events waiting for the consumer.");
    }

    internal static TagList Tags(string node) => new() { { "esl.node", node } };

    internal static void TrackQueue(object owner, string node, Func<int> depth) =>
        QueueDepths[owner] = () => new Measurement<long>(depth(), new KeyValuePair<string, object?>("esl.node", node));

    internal static void UntrackQueue(object owner) => QueueDepths.TryRemove(owner, out _);

    private static IEnumerable<Measurement<long>> ObserveQueues()
    {
        foreach (var observe in QueueDepths.Values)
        {
            yield return observe();
        }
    }
}
