using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CallControl.Esl.Diagnostics;

namespace CallControl.Observability;

/// <summary>
/// Listens to the ESL client's meter (<see cref="EslMetrics.MeterName"/>, process-wide) and this host's
/// <see cref="ServiceMetrics"/> meter, and keeps what Prometheus asks for: running totals of counters, the latest value
/// of gauges, bucket counts of histograms. Observable instruments are read when scraped (<see cref="Snapshot"/>).
/// It listens from the host's start (a hosted service for that alone): a listener made at the first scrape missed
/// whatever was counted before it, calls ended and requests shed included.
/// </summary>
public sealed class MetricsCollector : IDisposable, IHostedService
{
    /// <summary>Upper bounds (ms) of the latency histograms: sub-millisecond loopback replies up to a stalled node.</summary>
    public static readonly double[] Buckets = [0.25, 0.5, 1, 2.5, 5, 10, 20, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<SeriesKey, Series> _series = new();
    private readonly Lock _scrape = new();

    /// <summary>Starts listening.</summary>
    public MetricsCollector(ServiceMetrics service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var own = service.Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, own) ||
                (instrument.Meter.Name == EslMetrics.MeterName && instrument.Meter.Scope is null))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments, then returns every series (sorted by name, then labels).</summary>
    public IReadOnlyList<Series> Snapshot()
    {
        lock (_scrape)
        {
            foreach (var s in _series.Values.Where(s => s.Kind == SeriesKind.Gauge))
            {
                s.Stale = true;
            }

            _listener.RecordObservableInstruments();
            return [.. _series.Values.Where(s => !s.Stale).OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Labels, StringComparer.Ordinal)];
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>Nothing to do: being constructed (when the host starts its hosted services) starts the listening.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = SeriesKey.Of(instrument, tags);
        if (!_series.TryGetValue(key, out var series))
        {
            series = _series.GetOrAdd(key, Series.Create(instrument, key.Labels ?? PrometheusText.Labels(tags)));
        }

        series.Record(value);
    }

    /// <summary>An instrument and its tags; one tag (the common case: the node) is kept without building a string.</summary>
    private readonly record struct SeriesKey(Instrument Instrument, string? TagName, object? TagValue, string? Labels)
    {
        public static SeriesKey Of(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags) => tags.Length switch
        {
            0 => new(instrument, null, null, null),
            1 => new(instrument, tags[0].Key, tags[0].Value, null),
            _ => new(instrument, null, null, PrometheusText.Labels(tags)),
        };
    }
}

/// <summary>What kind of Prometheus series an instrument becomes.</summary>
public enum SeriesKind
{
    /// <summary>A running total (<c>_total</c>).</summary>
    Counter,
    /// <summary>A value as last observed.</summary>
    Gauge,
    /// <summary>Bucket counts, sum and count.</summary>
    Histogram,
}

/// <summary>One series: an instrument with one set of labels.</summary>
public sealed class Series
{
    private readonly Lock _sync = new();
    private readonly long[] _buckets = new long[MetricsCollector.Buckets.Length];
    private double _value;
    private long _count;

    private Series(string name, string help, string labels, SeriesKind kind)
    {
        Name = name;
        Help = help;
        Labels = labels;
        Kind = kind;
    }

    /// <summary>The Prometheus metric name (without the <c>_total</c>/<c>_bucket</c> suffixes).</summary>
    public string Name { get; }

    public string Help { get; }

    /// <summary>The label set as written inside the braces (<c>esl_node="fs1"</c>), empty for none.</summary>
    public string Labels { get; }

    public SeriesKind Kind { get; }

    internal bool Stale { get; set; }

    internal static Series Create(Instrument instrument, string labels)
    {
        var kind = instrument switch
        {
            Histogram<double> or Histogram<long> or Histogram<int> => SeriesKind.Histogram,
            Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => SeriesKind.Counter,
            _ => SeriesKind.Gauge,
        };
        return new Series(PrometheusText.Name(instrument.Name, instrument.Unit), instrument.Description ?? instrument.Name, labels, kind)
        {
            Observable = instrument.IsObservable,
        };
    }

    private bool Observable { get; init; }

    internal void Record(double value)
    {
        lock (_sync)
        {
            Stale = false;
            switch (Kind)
            {
                case SeriesKind.Histogram:
                    _count++;
                    _value += value;
                    // The first bound >= value; above the last bound only +Inf (the count) holds it.
                    var i = Array.BinarySearch(MetricsCollector.Buckets, value);
                    var bucket = i >= 0 ? i : ~i;
                    if (bucket < _buckets.Length)
                    {
                        _buckets[bucket]++;
                    }

                    break;
                case SeriesKind.Counter when !Observable:
                    _value += value;
                    break;
                default:
                    _value = value;
                    break;
            }
        }
    }

    /// <summary>The counter total or gauge value.</summary>
    public double Value
    {
        get
        {
            lock (_sync)
            {
                return _value;
            }
        }
    }

    /// <summary>Cumulative bucket counts (one per <see cref="MetricsCollector.Buckets"/> bound), the sum and the count.</summary>
    public (long[] Cumulative, double Sum, long Count) Histogram()
    {
        lock (_sync)
        {
            var cumulative = new long[_buckets.Length];
            long running = 0;
            for (var i = 0; i < _buckets.Length; i++)
            {
                running += _buckets[i];
                cumulative[i] = running;
            }

            return (cumulative, _value, _count);
        }
    }
}
