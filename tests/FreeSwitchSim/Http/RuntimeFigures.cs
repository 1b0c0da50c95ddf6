namespace FreeSwitchSim.Http;

/// <summary>
/// <c>GET /runtime</c>: the simulator process's own .NET runtime figures since it started (garbage-collection pause
/// time, bytes allocated, collections by generation), so a harness that runs it as a separate process (bench/load)
/// can tell how long the stand-in for FreeSWITCH, which has no collector, stood still; and the switch's events fired
/// and, of those, built because some listener may want them (<see cref="Core.ISelectiveEventSource"/>).
/// </summary>
public sealed record RuntimeFigures(
    double GcPauseMs, long AllocatedBytes, int Gen0Collections, int Gen1Collections, int Gen2Collections,
    long EventsFired, long EventsBuilt)
{
    public static RuntimeFigures Now(Core.ISwitchControl sw)
    {
        var events = sw is Core.ISelectiveEventSource source ? source.EventCounts : default;
        return new(
            GC.GetTotalPauseDuration().TotalMilliseconds,
            GC.GetTotalAllocatedBytes(precise: true),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            events.Fired,
            events.Built);
    }
}
