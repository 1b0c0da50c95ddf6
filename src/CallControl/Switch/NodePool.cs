using CallControl.Esl.Connection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Switch;

/// <summary>
/// Keeps one Event Socket connection per configured FreeSWITCH node (each reconnecting on its own), feeds their
/// events to the <see cref="EventDispatcher"/>, and answers "which nodes are up, how loaded" and "commands for node X".
/// </summary>
public sealed class NodePool : IHostedService, IAsyncDisposable
{
    private readonly FreeSwitchOptions _options;
    private readonly IEnumerable<IFreeSwitchEventHandler> _handlers;
    private readonly IEnumerable<INodeConnectionListener> _listeners;
    private readonly IEnumerable<INodeSteeringListener> _steeringListeners;
    private readonly NodeLeases? _leases;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, FreeSwitchNode> _nodes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Observability.ServiceMetrics? _metrics;
    private EventDispatcher? _dispatcher;
    private int _stopped;

    /// <summary>Created by DI; nothing connects before <see cref="StartAsync"/>.</summary>
    public NodePool(
        IOptions<FreeSwitchOptions> options,
        IEnumerable<IFreeSwitchEventHandler> handlers,
        IEnumerable<INodeConnectionListener> listeners,
        ILoggerFactory loggers,
        TimeProvider? time = null,
        IEnumerable<INodeSteeringListener>? steeringListeners = null,
        NodeLeases? leases = null,
        Observability.ServiceMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _handlers = handlers;
        _listeners = listeners;
        _steeringListeners = steeringListeners ?? [];
        _leases = leases;
        _loggers = loggers;
        _time = time ?? TimeProvider.System;
        _metrics = metrics;
    }

    /// <summary>Every configured node, connected or not.</summary>
    public IReadOnlyList<NodeState> States => [.. _nodes.Values.Select(n => n.State)];

    /// <summary>Whether at least one node is connected and authenticated.</summary>
    public bool AnyConnected => _nodes.Values.Any(n => n.State.Connected);

    /// <summary>Whether this instance steers at least one connected node.</summary>
    public bool AnySteered => _nodes.Values.Any(n => n.State is { Connected: true, Steering: true });

    /// <summary>Whether this instance steers the node (holds its lease); false for an unknown node.</summary>
    public bool IsSteering(string node) => _nodes.TryGetValue(node, out var n) && n.Steering;

    /// <summary>The lease key of a node, or null when this pool runs without leases.</summary>
    public long? LeaseKey(string node) => _leases is null ? null : NodeLease.KeyFor(_leases.Options.LeaseNamespace, node);

    /// <summary>The configured node names.</summary>
    public IReadOnlyCollection<string> Names => _nodes.Keys;

    /// <summary>Events waiting for handlers across all partitions.</summary>
    public int DispatchBacklog => _dispatcher?.Backlog ?? 0;

    /// <summary>Commands for a node, or null when no such node is configured.</summary>
    public NodeCommands? Commands(string node) => _nodes.TryGetValue(node, out var n) ? n.Commands : null;

    /// <summary>The node's state, or null when no such node is configured.</summary>
    public NodeState? State(string node) => _nodes.TryGetValue(node, out var n) ? n.State : null;

    /// <summary>Creates the dispatcher and one client per node; connecting happens in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _dispatcher = new EventDispatcher(_handlers, _options.DispatchPartitions, _options.PartitionCapacity, _loggers.CreateLogger<EventDispatcher>(),
            _metrics is null ? null : _metrics.HandlerRan);
        _dispatcher.Start();
        var listeners = _listeners.ToArray();
        var steeringListeners = _steeringListeners.ToArray();
        foreach (var options in _options.Nodes)
        {
            var connection = new EslConnectionOptions
            {
                Name = options.Name,
                Host = options.Host,
                Port = options.Port,
                Password = options.Password,
                // A restarted node must be steered again within about a second of coming back.
                ReconnectCap = _leases?.Options.ReconnectCap ?? TimeSpan.FromSeconds(1),
                // The service's api commands (uuid_bridge, uuid_answer, ...) must not hold up event delivery.
                DedicatedCommandConnection = true,
            };
            var node = new FreeSwitchNode(options, connection, _dispatcher, listeners, steeringListeners, _loggers, _time);
            if (_leases is not null)
            {
                node.UseLease(changed => _leases.Create(options.Name, changed));
            }

            _nodes.Add(options.Name, node);
            await node.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops every client, then lets the handlers finish what was queued. Runs once (the host stops the
    /// pool, then the container disposes it).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await Task.WhenAll(_nodes.Values.Select(n => n.DisposeAsync().AsTask())).ConfigureAwait(false);
        if (_dispatcher is not null)
        {
            await _dispatcher.DisposeAsync().ConfigureAwait(false);
            _dispatcher = null;
        }
    }

    /// <summary>Same as <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);
}
