using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace CallControl.Bench.Load;

/// <summary>
/// This process's garbage-collection pauses, from the runtime's own GC events: each pause is the time from the
/// execution engine's suspension (GCSuspendEEBegin) to its restart (GCRestartEEEnd), which every thread waits out.
/// </summary>
internal sealed class GcPauses : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int SuspendEEBegin = 9;
    private const int RestartEEEnd = 3;
    private readonly ConcurrentQueue<double> _pausesMs = new();
    private DateTime _suspendedAt;

    /// <summary>Each pause since this listener was created, ms.</summary>
    public IReadOnlyCollection<double> PausesMs => _pausesMs;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
        }
    }

    // The runtime suspends for one collection at a time, so a begin is always followed by its own restart.
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        switch (eventData.EventId)
        {
            case SuspendEEBegin:
                _suspendedAt = eventData.TimeStamp;
                break;
            case RestartEEEnd when _suspendedAt != default:
                _pausesMs.Enqueue((eventData.TimeStamp - _suspendedAt).TotalMilliseconds);
                _suspendedAt = default;
                break;
        }
    }
}
