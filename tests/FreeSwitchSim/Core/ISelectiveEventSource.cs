namespace FreeSwitchSim.Core;

/// <summary>Whether a listener may want events of this name (and subclass, for CUSTOM). A superset is harmless; saying
/// no to an event the listener would have sent loses it.</summary>
public delegate bool EventInterest(string name, string? subclass);

/// <summary>
/// Optional: a switch that builds an event only when some listener may want it. FreeSWITCH builds every event; the
/// simulator is a .NET process, where building the three quarters of a call's events that nobody subscribed to was
/// most of its allocation and kept its collector busy (bench/load at 300 calls/s: about 600 KB a call, 8-11% of the
/// run paused). An event nobody wants still takes its Event-Sequence number, so what a listener sees is unchanged.
/// Handlers registered through <see cref="ISwitchCore.EventFired"/> want everything.
/// </summary>
public interface ISelectiveEventSource
{
    /// <summary>Adds a listener: <paramref name="handler"/> runs for every event that is built (any listener wanting
    /// it builds it), in firing order, on the firing thread. Disposing the result removes it.</summary>
    IDisposable Listen(EventInterest interest, Action<SimEvent> handler);

    /// <summary>Events fired since start (every Event-Sequence number handed out) and how many of them were built.</summary>
    EventCounts EventCounts { get; }
}

/// <summary>Events the switch fired and, of those, how many it built for a listener.</summary>
public readonly record struct EventCounts(long Fired, long Built);
