using System.Globalization;
using System.Threading.Channels;
using CallControl.Esl.Connection;
using CallControl.Esl.Events;
using Microsoft.Extensions.Logging;

namespace CallControl.Switch;

/// <summary>
/// One configured node: its <see cref="EslClient"/> (inbound, plain events, reconnecting with backoff and re-subscribing),
/// the pump that moves its events to the <see cref="EventDispatcher"/>, and its <see cref="NodeState"/>. With a
/// <see cref="NodeLease"/> the node is steered only while the lease is held: otherwise its events update the load
/// figures and go no further (a standby acts on nothing), and its commands are refused.
/// </summary>
public sealed class FreeSwitchNode : IAsyncDisposable
{
    /// <summary>What the service subscribes to on every node.</summary>
    public static readonly IReadOnlyList<string> Subscriptions =
    [
        "CHANNEL_CREATE", "CHANNEL_PROGRESS", "CHANNEL_PROGRESS_MEDIA", "CHANNEL_ANSWER", "CHANNEL_PARK",
        "CHANNEL_BRIDGE", "CHANNEL_UNBRIDGE", "CHANNEL_HANGUP", "CHANNEL_HANGUP_COMPLETE", "CHANNEL_EXECUTE_COMPLETE",
        "DTMF", "RECORD_START", "RECORD_STOP", "BACKGROUND_JOB", "HEARTBEAT",
        "CUSTOM", "verto::login", "verto::client_disconnect",
    ];

    /// <summary>
    /// The applications the service runs with <c>sendmsg execute</c> (<see cref="NodeCommands.SendMsgExecuteAsync"/>
    /// refuses any other): their CHANNEL_EXECUTE_COMPLETE, which completes the command and which the router reads, is
    /// the only one <see cref="Filters"/> lets through.
    /// </summary>
    public static readonly IReadOnlyList<string> ExecutedApplications = ["bridge"];

    /// <summary>
    /// The filters applied with <see cref="Subscriptions"/>. Once a socket has a filter, mod_event_socket sends an
    /// event only when some filter matches it, so every subscribed event is let through by name, except
    /// CHANNEL_EXECUTE_COMPLETE, which passes only for the <see cref="ExecutedApplications"/>. FreeSWITCH fires that
    /// event, with all the channel's variables, for every application a channel runs: the room dialplan's set, export
    /// and park alone make four per verto leg in the captures, each as large as a CHANNEL_HANGUP_COMPLETE. Filtered
    /// events are never serialised by FreeSWITCH nor parsed here.
    /// </summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> Filters = FiltersFor(Subscriptions);

    private static List<KeyValuePair<string, string>> FiltersFor(IReadOnlyList<string> subscriptions)
    {
        var filters = new List<KeyValuePair<string, string>>();
        foreach (var name in subscriptions)
        {
            if (name != "CHANNEL_EXECUTE_COMPLETE")
            {
                filters.Add(new("Event-Name", name));
            }

            if (name == "CUSTOM")
            {
                // The words after CUSTOM are subclasses; their events are named CUSTOM.
                break;
            }
        }

        if (subscriptions.Contains("CHANNEL_EXECUTE_COMPLETE"))
        {
            filters.AddRange(ExecutedApplications.Select(app => new KeyValuePair<string, string>("Application", app)));
        }

        return filters;
    }

    private readonly FreeSwitchNodeOptions _options;
    private readonly EventDispatcher _dispatcher;
    private readonly IReadOnlyList<INodeConnectionListener> _listeners;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<INodeSteeringListener> _steeringListeners;
    private readonly Channel<Transition> _transitions = Channel.CreateUnbounded<Transition>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _sync = new();
    private NodeState _state;
    private NodeLease? _lease;
    private volatile bool _leaseHeld = true;
    private volatile bool _fenced;
    private bool _steeringStarted;
    private string? _coreUuid;
    private Task _pump = Task.CompletedTask;
    private Task _notify = Task.CompletedTask;

    internal FreeSwitchNode(
        FreeSwitchNodeOptions options,
        EslConnectionOptions connection,
        EventDispatcher dispatcher,
        IReadOnlyList<INodeConnectionListener> listeners,
        IReadOnlyList<INodeSteeringListener> steeringListeners,
        ILoggerFactory loggers,
        TimeProvider time)
    {
        _options = options;
        _dispatcher = dispatcher;
        _listeners = listeners;
        _steeringListeners = steeringListeners;
        _logger = loggers.CreateLogger<FreeSwitchNode>();
        _time = time;
        Client = new EslClient(connection, loggers.CreateLogger<EslClient>(), time);
        Commands = new NodeCommands(options.Name, Client, () => _leaseHeld);
        _state = new NodeState(options.Name, false, 0, null, null, null, null, null, null, options.VertoUrl);
        Client.Connected += OnConnected;
        Client.Disconnected += OnDisconnected;
    }

    /// <summary>The node's name.</summary>
    public string Name => _options.Name;

    /// <summary>The node's ESL client.</summary>
    public EslClient Client { get; }

    /// <summary>Validated commands for this node.</summary>
    public NodeCommands Commands { get; }

    /// <summary>A snapshot of the node's state.</summary>
    public NodeState State
    {
        get
        {
            lock (_sync)
            {
                return _state;
            }
        }
    }

    /// <summary>Whether this instance steers the node (holds its lease; always true without leases).</summary>
    public bool Steering => _leaseHeld;

    /// <summary>Steer only while holding a lease made by <paramref name="lease"/> (call before <see cref="StartAsync"/>).</summary>
    internal void UseLease(Func<Func<bool, Task>, NodeLease> lease)
    {
        _leaseHeld = false;
        SetSteering(false);
        _lease = lease(OnLeaseChangedAsync);
    }

    /// <summary>Records the subscriptions (applied on every connection) and starts connecting.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_lease is not null)
        {
            await _lease.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        Log.NodeStarting(_logger, Name, _options.Host, _options.Port);
        // While disconnected the client only records these; it sends them on each (re)connection before it
        // publishes the connection, so no event of interest is missed between connect and subscribe.
        await Client.SubscribeAsync(Subscriptions, cancellationToken).ConfigureAwait(false);
        foreach (var (header, value) in Filters)
        {
            await Client.FilterAsync(header, value, cancellationToken).ConfigureAwait(false);
        }

        _pump = Task.Run(PumpAsync, CancellationToken.None);
        _notify = Task.Run(NotifyAsync, CancellationToken.None);
        await Client.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the client; its event queue completes and the pump ends.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_lease is not null)
        {
            await _lease.DisposeAsync().ConfigureAwait(false);
        }

        await Client.DisposeAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        _transitions.Writer.TryComplete();
        await _notify.ConfigureAwait(false);
    }

    private async Task PumpAsync()
    {
        await foreach (var e in Client.Events.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (string.Equals(e.EventName, "HEARTBEAT", StringComparison.Ordinal))
            {
                OnHeartbeat(e);
            }

            if (!_leaseHeld && !_fenced)
            {
                // A standby keeps the load figures and nothing else: the owner acts on this event.
                e.Dispose();
                continue;
            }

            // Fenced (the lease was ours and its connection failed): only idempotent CDR handlers still see events.
            await _dispatcher.DispatchAsync(Name, e, CancellationToken.None, steering: _leaseHeld).ConfigureAwait(false);
        }
    }

    private void OnHeartbeat(EslEvent e)
    {
        lock (_sync)
        {
            _state = _state with
            {
                LastHeartbeatAt = e.Timestamp ?? _time.GetUtcNow(),
                SessionCount = int.TryParse(e["Session-Count"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : _state.SessionCount,
                IdleCpu = double.TryParse(e["Idle-CPU"], NumberStyles.Float, CultureInfo.InvariantCulture, out var c) ? c : _state.IdleCpu,
                MaxSessions = int.TryParse(e["Max-Sessions"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? m : _state.MaxSessions,
            };
        }
    }

    private void OnConnected(object? sender, EslConnectedEventArgs e)
    {
        lock (_sync)
        {
            _state = _state with
            {
                Connected = true,
                ConnectedSince = _time.GetUtcNow(),
                ReconnectCount = e.IsReconnect ? _state.ReconnectCount + 1 : _state.ReconnectCount,
                LastError = null,
            };
        }

        Log.NodeConnected(_logger, Name, e.IsReconnect, e.Downtime);
        _transitions.Writer.TryWrite(new Transition(TransitionKind.Connected, e.IsReconnect));
    }

    private void OnDisconnected(object? sender, EslDisconnectedEventArgs e)
    {
        lock (_sync)
        {
            _state = _state with { Connected = false, ConnectedSince = null, LastError = e.Reason.Message };
        }

        Log.NodeDisconnected(_logger, Name, e.Reason.Kind.ToString(), e.Reason.Message);
        _transitions.Writer.TryWrite(new Transition(TransitionKind.Disconnected, false));
    }

    private Task OnLeaseChangedAsync(bool held)
    {
        // The gate moves now (fencing must not wait for the listeners); the listeners hear it in order.
        _fenced = !held;
        _leaseHeld = held;
        SetSteering(held);
        _transitions.Writer.TryWrite(new Transition(held ? TransitionKind.LeaseAcquired : TransitionKind.LeaseLost, false));
        return Task.CompletedTask;
    }

    private void SetSteering(bool steering)
    {
        lock (_sync)
        {
            _state = _state with { Steering = steering };
        }
    }

    /// <summary>Tells listeners about transitions one at a time, in order, off the client's loop.</summary>
    private async Task NotifyAsync()
    {
        await foreach (var transition in _transitions.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            switch (transition.Kind)
            {
                case TransitionKind.Connected:
                    await ForEachListenerAsync(l => l.OnConnectedAsync(Name, transition.IsReconnect, CancellationToken.None)).ConfigureAwait(false);
                    await StartSteeringAsync().ConfigureAwait(false);
                    break;
                case TransitionKind.Disconnected:
                    _steeringStarted = false;
                    await ForEachListenerAsync(l => l.OnDisconnectedAsync(Name, CancellationToken.None)).ConfigureAwait(false);
                    break;
                case TransitionKind.LeaseAcquired:
                    await StartSteeringAsync().ConfigureAwait(false);
                    break;
                case TransitionKind.LeaseLost:
                    _steeringStarted = false;
                    SwitchLog.SteeringStops(_logger, Name);
                    await ForEachSteeringListenerAsync(l => l.OnSteeringStoppedAsync(Name, CancellationToken.None)).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>Steering starts when both the lease and the connection are there (whichever came second).</summary>
    private async Task StartSteeringAsync()
    {
        // A standby sends nothing at all, not even this read.
        if (!Client.IsConnected || !_leaseHeld)
        {
            return;
        }

        var core = await ReadCoreUuidAsync().ConfigureAwait(false);
        var restarted = core is not null && _coreUuid is not null && !string.Equals(core, _coreUuid, StringComparison.OrdinalIgnoreCase);
        _coreUuid = core ?? _coreUuid;
        if (_steeringStarted && !restarted)
        {
            return;
        }

        _steeringStarted = true;
        SwitchLog.SteeringStarts(_logger, Name, restarted);
        await ForEachSteeringListenerAsync(l => l.OnSteeringStartedAsync(Name, restarted, CancellationToken.None)).ConfigureAwait(false);
    }

    private async Task<string?> ReadCoreUuidAsync()
    {
        try
        {
            var reply = await Commands.CoreUuidAsync(CancellationToken.None).ConfigureAwait(false);
            var value = reply.Ok ? reply.Text.Trim() : null;
            return Guid.TryParse(value, out _) ? value : null;
        }
        catch (Exception e) when (e is Esl.Connection.EslConnectionException or TimeoutException or OperationCanceledException)
        {
            SwitchLog.CoreUuidFailed(_logger, Name, e);
            return null;
        }
    }

    private async Task ForEachListenerAsync(Func<INodeConnectionListener, ValueTask> notify)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                await notify(listener).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A listener's bug must not stop the others.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ListenerFailed(_logger, Name, listener.GetType().Name, ex);
            }
        }
    }

    private async Task ForEachSteeringListenerAsync(Func<INodeSteeringListener, ValueTask> notify)
    {
        foreach (var listener in _steeringListeners)
        {
            try
            {
                await notify(listener).ConfigureAwait(false);
            }
            catch (EslConnectionException ex)
            {
                // The connection dropped mid-reconcile: steering starts (and the listener runs) again on reconnect.
                SwitchLog.SteeringListenerCutOff(_logger, Name, listener.GetType().Name, ex);
            }
#pragma warning disable CA1031 // A listener's bug must not stop the others.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                SwitchLog.SteeringListenerFailed(_logger, Name, listener.GetType().Name, ex);
            }
        }
    }

    private enum TransitionKind
    {
        Connected,
        Disconnected,
        LeaseAcquired,
        LeaseLost,
    }

    private readonly record struct Transition(TransitionKind Kind, bool IsReconnect);
}
