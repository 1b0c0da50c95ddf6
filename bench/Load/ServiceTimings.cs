using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CallControl.Esl.Diagnostics;
using CallControl.Observability;

namespace CallControl.Bench.Load;

/// <summary>
/// The service's own latency instruments, heard in-process: <c>callcontrol.bridge.reaction</c> (the later park read off
/// the node's connection to the uuid_bridge handed to the command connection) and <c>esl.events.lag</c> (an event's
/// Event-Date-Timestamp to its reading). With the node's park-to-bridge they split it into the node's side, the
/// transport and the service's side.
/// </summary>
internal sealed class ServiceTimings : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<double> _reactions = new();
    private readonly ConcurrentQueue<double> _lags = new();

    public ServiceTimings(Meter serviceMeter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if ((ReferenceEquals(instrument.Meter, serviceMeter) && instrument.Name == "callcontrol.bridge.reaction")
                || (instrument.Meter.Name == EslMetrics.MeterName && instrument.Name == "esl.events.lag"))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
            (instrument.Name == "esl.events.lag" ? _lags : _reactions).Enqueue(value));
        _listener.Start();
    }

    /// <summary>Reactions since the last <see cref="Clear"/>, ms, sorted.</summary>
    public double[] Reactions() => [.. _reactions.Order()];

    /// <summary>Event lags since the last <see cref="Clear"/>, ms, sorted.</summary>
    public double[] Lags() => [.. _lags.Order()];

    /// <summary>Forgets what was heard so far (the warm-up's).</summary>
    public void Clear()
    {
        _reactions.Clear();
        _lags.Clear();
    }

    public void Dispose() => _listener.Dispose();
}
