using System.Diagnostics.Metrics;
using CallControl.Calls;
using CallControl.Calls.Router;
using CallControl.Cdr.Journal;
using CallControl.Rooms;
using CallControl.Switch;

namespace CallControl.Observability;

/// <summary>
/// The service's own instruments, on a meter named <c>CallControl</c> created through the host's
/// <see cref="IMeterFactory"/> (so two hosts in one process, as in the tests, keep their figures apart). The gauges read
/// their parts when scraped; the parts are resolved lazily because the router and the node pool depend on each other.
/// </summary>
public sealed class ServiceMetrics
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "CallControl";

    private readonly Counter<long> _callsEnded;
    private readonly Counter<long> _cdrsJournaled;
    private readonly Counter<long> _requestsShed;
    private readonly Histogram<double> _handlerDuration;
    private readonly Histogram<double> _bridgeReaction;

    /// <summary>Creates the meter and its instruments.</summary>
    public ServiceMetrics(IMeterFactory meters, IServiceProvider services, BacklogSampler backlog)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(MeterName);
        _callsEnded = Meter.CreateCounter<long>("callcontrol.calls.ended", "{call}", "Calls that reached a final status, by status.");
        _cdrsJournaled = Meter.CreateCounter<long>("callcontrol.cdr.journaled", "{cdr}", "CDR writes spooled to the local journal because PostgreSQL was unreachable.");
        _requestsShed = Meter.CreateCounter<long>(
            "callcontrol.requests.shed", "{request}", "Requests answered 503 at once because PostgreSQL was known to be unreachable.");
        Meter.CreateObservableGauge(
            "callcontrol.database.reachable",
            () => services.GetService<Health.DatabaseWatch>() is { Checks: > 0 } watch ? (watch.Unreachable is null ? 1L : 0L) : 1L,
            "{database}",
            "0 while PostgreSQL is known to be unreachable (no answer to anyone over a whole check), otherwise 1.");
        _handlerDuration = Meter.CreateHistogram<double>(
            "callcontrol.dispatch.handler.duration", "ms", "Time one event handler took for one FreeSWITCH event, by handler and event.");
        _bridgeReaction = Meter.CreateHistogram<double>(
            "callcontrol.bridge.reaction", "ms",
            "Time from reading the later of a call's two parks off the node's connection to handing its uuid_bridge to the command connection.");
        Meter.CreateObservableGauge(
            "callcontrol.calls.active",
            () => (long)(services.GetService<CallRouter>()?.ActiveCalls ?? 0),
            "{call}",
            "Calls the router holds that have not reached a final status.");
        Meter.CreateObservableGauge(
            "callcontrol.dispatch.backlog",
            () => (long)(services.GetService<NodePool>()?.DispatchBacklog ?? 0),
            "{event}",
            "FreeSWITCH events queued for the service's handlers (all partitions).");
        Meter.CreateObservableGauge("callcontrol.nodes.connected", () => ObserveNodes(services), "{node}", "1 when the node's Event Socket is connected and authenticated.");
        Meter.CreateObservableGauge(
            "callcontrol.cdr.journal.pending",
            () => (long)(services.GetService<CdrJournal>()?.Pending ?? 0),
            "{cdr}",
            "CDR writes in the local journal waiting for PostgreSQL.");
        Meter.CreateObservableCounter("callcontrol.cdr.batches", () => services.GetService<CallControl.Cdr.CdrWriter>()?.Batches ?? 0, "{batch}", "CDR batches written to PostgreSQL (one round trip and one transaction each).");
        Meter.CreateObservableCounter("callcontrol.cdr.rows", () => services.GetService<CallControl.Cdr.CdrWriter>()?.Rows ?? 0, "{row}", "CDR leg writes stored in PostgreSQL.");
        Meter.CreateObservableCounter("callcontrol.cdr.combined", () => services.GetService<CallControl.Cdr.CdrWriter>()?.Combined ?? 0, "{leg}", "Legs whose CHANNEL_HANGUP_COMPLETE and mod_json_cdr POST were written as one row.");
        Meter.CreateObservableCounter("callcontrol.cdr.late_events", () => services.GetService<CallControl.Cdr.CdrWriter>()?.Late ?? 0, "{leg}", "CHANNEL_HANGUP_COMPLETE events that came after their leg's POST was stored (written without their variables).");
        Meter.CreateObservableGauge("callcontrol.jobs.enqueued", () => Sampled(backlog.JobsEnqueued), "{job}", "Hangfire jobs enqueued (when Hangfire is registered).");
        Meter.CreateObservableGauge("callcontrol.jobs.failed", () => Sampled(backlog.JobsFailed), "{job}", "Hangfire jobs in the failed state (when Hangfire is registered).");
        Meter.CreateObservableGauge(
            "callcontrol.signal.bus.connected",
            () => services.GetService<SignalBus>() is { Listening: true } ? 1L : 0L,
            "{connection}",
            "1 while the signal bus's LISTEN connection to PostgreSQL is up.");
        Meter.CreateObservableGauge("callcontrol.signal.bus.peers", () => (long)(services.GetService<SignalBus>()?.Peers ?? 0), "{instance}", "Other service instances heard on the signal bus within the peer timeout.");
        Meter.CreateObservableCounter("callcontrol.signal.bus.published", () => services.GetService<SignalBus>()?.Published ?? 0, "{message}", "Signal bus messages published (NOTIFY).");
        Meter.CreateObservableCounter("callcontrol.signal.bus.received", () => services.GetService<SignalBus>()?.Received ?? 0, "{message}", "Valid signal bus messages received, this instance's own echo included.");
        Meter.CreateObservableCounter("callcontrol.signal.bus.dropped", () => services.GetService<SignalBus>()?.Dropped ?? 0, "{message}", "Signal bus messages dropped: queue full, or PostgreSQL unreachable.");
        Meter.CreateObservableGauge("callcontrol.recordings.failed", () => Sampled(backlog.RecordingsFailed), "{recording}", "Recordings whose archiving failed (recordings rows in state failed).");
    }

    /// <summary>The meter (the exposition listens to it by reference).</summary>
    public Meter Meter { get; }

    /// <summary>A call reached its final status.</summary>
    public void CallEnded(CallStatus status) =>
        _callsEnded.Add(1, new KeyValuePair<string, object?>("status", status.ToWire()));

    /// <summary>The router sent a uuid_bridge <paramref name="milliseconds"/> after the park that completed its pair arrived.</summary>
    public void BridgeCommanded(double milliseconds) => _bridgeReaction.Record(milliseconds);

    /// <summary>An event handler finished with one event after <paramref name="milliseconds"/>.</summary>
    public void HandlerRan(string handler, string eventName, double milliseconds) =>
        _handlerDuration.Record(
            milliseconds,
            new KeyValuePair<string, object?>("handler", handler),
            new KeyValuePair<string, object?>("event", eventName));

    /// <summary>A request that needs PostgreSQL was refused at once while it was unreachable.</summary>
    public void RequestShed() => _requestsShed.Add(1);

    /// <summary>A CDR write went to the journal instead of PostgreSQL.</summary>
    public void CdrJournaled(string source) =>
        _cdrsJournaled.Add(1, new KeyValuePair<string, object?>("source", source));

    private static IEnumerable<Measurement<long>> ObserveNodes(IServiceProvider services)
    {
        if (services.GetService<NodePool>() is not { } pool)
        {
            yield break;
        }

        foreach (var node in pool.States)
        {
            yield return new Measurement<long>(node.Connected ? 1 : 0, new KeyValuePair<string, object?>("node", node.Name));
        }
    }

    private static IEnumerable<Measurement<long>> Sampled(long? value)
    {
        if (value is { } v)
        {
            yield return new Measurement<long>(v);
        }
    }
}
