using System.Globalization;
using System.Threading.Channels;
using CallControl.Esl.Connection;
using CallControl.Esl.Events;
using Microsoft.Extensions.Logging;

namespace CallControl.Switch;

/// <summary>
/// One configured node: its <see cref="EslClient"/> (inbound, plain events, reconnecting with backoff and re-subscribing),
/// the pump that moves its events to the <see cref="EventDispatcher"/>, and its <see cref="NodeState"/>.
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

    private readonly FreeSwitchNodeOptions _options;
    private readonly EventDispatcher _dispatcher;
    private readonly IReadOnlyList<INodeConnectionListener> _listeners;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<bool?> _transitions = Channel.CreateUnbounded<bool?>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _sync = new();
    private NodeState _state;
    private Task _pump = Task.CompletedTask;
    private Task _notify = Task.CompletedTask;

    internal FreeSwitchNode(
        FreeSwitchNodeOptions options,
        EslConnectionOptions connection,
        EventDispatcher dispatcher,
        IReadOnlyList<INodeConnectionListener> listeners,
        ILoggerFactory loggers,
        TimeProvider time)
    {
        _options = options;
        _dispatcher = dispatcher;
        _listeners = listeners;
        _logger = loggers.CreateLogger<FreeSwitchNode>();
        _time = time;
        Client = new EslClient(connection, loggers.CreateLogger<EslClient>(), time);
        Commands = new NodeCommands(options.Name, Client);
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

    /// <summary>Records the subscriptions (applied on every connection) and starts connecting.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Log.NodeStarting(_logger, Name, _options.Host, _options.Port);
        // While disconnected the client only records these; it sends them on each (re)connection before it
        // publishes the connection, so no event of interest is missed between connect and subscribe.
        await Client.SubscribeAsync(Subscriptions, cancellationToken).ConfigureAwait(false);
        _pump = Task.Run(PumpAsync, CancellationToken.None);
        _notify = Task.Run(NotifyAsync, CancellationToken.None);
        await Client.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the client; its event queue completes and the pump ends.</summary>
    public async ValueTask DisposeAsync()
    {
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

            await _dispatcher.DispatchAsync(Name, e, CancellationToken.None).ConfigureAwait(false);
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
        _transitions.Writer.TryWrite(e.IsReconnect);
    }

    private void OnDisconnected(object? sender, EslDisconnectedEventArgs e)
    {
        lock (_sync)
        {
            _state = _state with { Connected = false, ConnectedSince = null, LastError = e.Reason.Message };
        }

        Log.NodeDisconnected(_logger, Name, e.Reason.Kind.ToString(), e.Reason.Message);
        _transitions.Writer.TryWrite(null);
    }

    /// <summary>Tells listeners about transitions one at a time, in order, off the client's loop.</summary>
    private async Task NotifyAsync()
    {
        await foreach (var transition in _transitions.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            foreach (var listener in _listeners)
            {
                try
                {
                    if (transition is { } isReconnect)
                    {
                        await listener.OnConnectedAsync(Name, isReconnect, CancellationToken.None).ConfigureAwait(false);
                    }
                    else
                    {
                        await listener.OnDisconnectedAsync(Name, CancellationToken.None).ConfigureAwait(false);
                    }
                }
#pragma warning disable CA1031 // A listener's bug must not stop the others.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.ListenerFailed(_logger, Name, listener.GetType().Name, ex);
                }
            }
        }
    }
}
