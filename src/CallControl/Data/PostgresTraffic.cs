using System.Diagnostics.Metrics;

namespace CallControl.Data;

/// <summary>
/// How many bytes this process has read from PostgreSQL, over every Npgsql data source (Npgsql's own
/// <c>bytes_read</c> counter, listened to here). It tells a slow database from an unreachable one without asking it
/// anything: a loaded server keeps answering someone's commands, so the count keeps growing while one write waits;
/// behind a dark network (packets dropped, nothing refused) it stands still.
/// </summary>
public sealed class PostgresTraffic : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _bytesRead;

    /// <summary>Starts listening (Npgsql reports reads only while someone listens).</summary>
    public PostgresTraffic()
        : this(null)
    {
    }

    /// <summary>As <see cref="PostgresTraffic()"/>, counting only the data source named <paramref name="dataSourceName"/>
    /// (Npgsql's pool name tag) when one is given: a test's own database among others.</summary>
    public PostgresTraffic(string? dataSourceName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name.EndsWith("bytes_read", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, bytes, tags, _) =>
        {
            if (dataSourceName is null || Names(tags, dataSourceName))
            {
                Interlocked.Add(ref _bytesRead, bytes);
            }
        });
        _listener.Start();
    }

    /// <summary>Bytes read from PostgreSQL since this started.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public void Dispose() => _listener.Dispose();

    private static bool Names(ReadOnlySpan<KeyValuePair<string, object?>> tags, string dataSourceName)
    {
        foreach (var (key, value) in tags)
        {
            if (key.EndsWith("pool.name", StringComparison.Ordinal) && value as string == dataSourceName)
            {
                return true;
            }
        }

        return false;
    }
}
