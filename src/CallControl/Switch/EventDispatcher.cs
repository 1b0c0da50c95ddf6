using System.Threading.Channels;
using CallControl.Esl.Events;
using Microsoft.Extensions.Logging;

namespace CallControl.Switch;

/// <summary>
/// Hands each node event to every <see cref="IFreeSwitchEventHandler"/>. Events are spread over N single-reader queues
/// by channel (<c>Unique-ID</c>; <c>Job-UUID</c> for BACKGROUND_JOB; the node name for channel-less events such as
/// HEARTBEAT), so one channel's events are handled one at a time in arrival order (FreeSWITCH keeps per-channel order
/// on a connection, not global order) while different channels run in parallel. The key is the channel rather than
/// our <c>x_call_id</c> because a leg's first events (CHANNEL_CREATE, PARK) come before the variable is set: keying on
/// it would move a channel between queues mid-life and could reorder its events.
/// </summary>
public sealed class EventDispatcher : IAsyncDisposable
{
    private readonly Channel<(string Node, EslEvent Event, bool Steering)>[] _partitions;
    private readonly IFreeSwitchEventHandler[] _handlers;
    private readonly ILogger _logger;
    private readonly Action<string, string, double>? _observe;
    private readonly CancellationTokenSource _stop = new();
    private Task[] _readers = [];

    /// <summary>Creates a dispatcher over <paramref name="partitions"/> queues of <paramref name="capacity"/> events;
    /// <paramref name="observe"/> (handler type, event name, milliseconds) hears how long each handler took.</summary>
    public EventDispatcher(
        IEnumerable<IFreeSwitchEventHandler> handlers, int partitions, int capacity, ILogger logger, Action<string, string, double>? observe = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        _handlers = [.. handlers];
        _logger = logger;
        _observe = observe;
        _partitions = new Channel<(string, EslEvent, bool)>[partitions];
        for (var i = 0; i < partitions; i++)
        {
            _partitions[i] = Channel.CreateBounded<(string, EslEvent, bool)>(new BoundedChannelOptions(capacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
        }
    }

    /// <summary>Events waiting in all queues (a gauge for "consumer behind").</summary>
    public int Backlog => _partitions.Sum(p => p.Reader.Count);

    /// <summary>Starts one reader per queue.</summary>
    public void Start() => _readers = [.. _partitions.Select(p => Task.Run(() => ReadAsync(p.Reader)))];

    /// <summary>Queues an event (waits while its queue is full). The dispatcher owns the event from here. When this
    /// instance does not steer the node (<paramref name="steering"/> false) only <see cref="IFencedEventHandler"/>s get it.</summary>
    public ValueTask DispatchAsync(string node, EslEvent freeSwitchEvent, CancellationToken cancellationToken, bool steering = true)
    {
        ArgumentNullException.ThrowIfNull(freeSwitchEvent);
        var key = freeSwitchEvent.UniqueId ?? freeSwitchEvent.JobUuid ?? node;
        var index = (int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_partitions.Length);
        return _partitions[index].Writer.WriteAsync((node, freeSwitchEvent, steering), cancellationToken);
    }

    /// <summary>Stops accepting events, lets the queues drain, and waits for the readers.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var p in _partitions)
        {
            p.Writer.TryComplete();
        }

        try
        {
            await Task.WhenAll(_readers).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task ReadAsync(ChannelReader<(string Node, EslEvent Event, bool Steering)> reader)
    {
        await foreach (var (node, e, steering) in reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            using (e)
            {
                foreach (var handler in _handlers)
                {
                    if (!steering && handler is not IFencedEventHandler)
                    {
                        continue;
                    }

                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    try
                    {
                        await handler.HandleAsync(node, e, _stop.Token).ConfigureAwait(false);
                    }
#pragma warning disable CA1031 // One handler's bug must not stop the others nor the channel's later events.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        Log.HandlerFailed(_logger, node, handler.GetType().Name, e.EventName, e.UniqueId, ex);
                    }

                    _observe?.Invoke(handler.GetType().Name, e.EventName ?? "", System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }
    }
}
