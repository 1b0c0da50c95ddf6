namespace FreeSwitchSim.Http;

/// <summary>
/// <c>GET /runtime</c>: the simulator process's own .NET runtime figures since it started (garbage-collection pause
/// time, bytes allocated, collections by generation), so a harness that runs it as a separate process (bench/load)
/// can tell how long the stand-in for FreeSWITCH, which has no collector, stood still.
/// </summary>
public sealed record RuntimeFigures(double GcPauseMs, long AllocatedBytes, int Gen0Collections, int Gen1Collections, int Gen2Collections)
{
    public static RuntimeFigures Now() => new(
        GC.GetTotalPauseDuration().TotalMilliseconds,
        GC.GetTotalAllocatedBytes(precise: true),
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2));
}
