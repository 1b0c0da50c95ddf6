using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using FreeSwitchSim.Core;
using Microsoft.Extensions.Logging;

namespace FreeSwitchSim.Esl;

/// <summary>
/// The simulated mod_event_socket: a TCP listener on 127.0.0.1 for inbound connections, the outbound
/// <c>socket</c> dialer, and the fan-out of every switch event and log line to each listener.
/// </summary>
public sealed partial class EslServer : IOutboundSocketDialer, IAsyncDisposable
{
    private readonly ConcurrentDictionary<EslConnection, Task> _connections = new();

    // The connections as an array, replaced whole when one comes or goes: every event and log line is offered to
    // each of them, and ConcurrentDictionary.Keys takes all its locks and copies into a new list on every call.
    private volatile EslConnection[] _listeners = [];
    private readonly object _listenersLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _listenLock = new();
    private TcpListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private volatile bool _rudeRejection;
    private readonly IDisposable? _selective;

    public EslServer(ISwitchCore core, EslServerOptions options, ILogger<EslServer>? logger = null)
    {
        Core = core;
        Options = options;
        Logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<EslServer>.Instance;
        // A switch that can skip building events nobody wants asks the connections: an event goes unbuilt only when
        // no connection's subscriptions name it.
        if (core is ISelectiveEventSource selective)
        {
            _selective = selective.Listen(MayWant, OnEvent);
        }
        else
        {
            Core.EventFired += OnEvent;
        }
        if (core is ISwitchLogSource logs)
        {
            logs.LogEmitted += OnLog;
        }
    }

    /// <summary>The port actually bound (known after <see cref="Start"/>).</summary>
    public int Port { get; private set; }

    /// <summary>How many listeners are connected now (inbound and outbound).</summary>
    public int ConnectionCount => _connections.Count;

    internal ISwitchCore Core { get; }

    internal EslServerOptions Options { get; }

    internal ILogger Logger { get; }

    internal FaultState Faults { get; } = new();

    public void Start()
    {
        Listen(Options.Port);
        Port = ((IPEndPoint)_listener!.LocalEndpoint).Port;
        Log.Listening(Logger, Port);
    }

    /// <summary>IOutboundSocketDialer: the <c>socket</c> app connects to host:port and speaks for the channel.</summary>
    public async Task RunOutboundAsync(string uuid, string host, int port, bool async, bool full, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        await RunConnectionAsync(new EslConnection(socket, this, new OutboundSession(uuid, async, full)), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_selective is not null)
        {
            _selective.Dispose();
        }
        else
        {
            Core.EventFired -= OnEvent;
        }
        if (Core is ISwitchLogSource logs)
        {
            logs.LogEmitted -= OnLog;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        StopListening();
        foreach (var c in _connections.Keys)
        {
            c.Drop();
        }
        try
        {
            await _acceptLoop.ConfigureAwait(false);
            await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        _stopping.Dispose();
    }

    private void Listen(int port)
    {
        lock (_listenLock)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _listener = listener;
            _acceptLoop = AcceptLoopAsync(listener);
        }
    }

    private void StopListening()
    {
        lock (_listenLock)
        {
            _listener?.Stop();
            _listener = null;
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                return;
            }
            if (_rudeRejection)
            {
                _ = RejectAsync(socket);
                continue;
            }
            var connection = new EslConnection(socket, this, null);
            _ = RunConnectionAsync(connection, _stopping.Token);
        }
    }

    // listener_run's ACL check: "text/rude-rejection", then the socket closes.
    private static async Task RejectAsync(Socket socket)
    {
        try
        {
            await socket.SendAsync(WireText.RudeRejection()).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The client went first.
        }
        finally
        {
            socket.Dispose();
        }
    }

    private async Task RunConnectionAsync(EslConnection connection, CancellationToken token)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connections[connection] = done.Task;
        UpdateListeners();
        try
        {
            await connection.RunAsync(token).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            UpdateListeners();
            done.TrySetResult();
        }
    }

    private void UpdateListeners()
    {
        lock (_listenersLock)
        {
            _listeners = [.. _connections.Keys];
        }
    }

    private void OnEvent(SimEvent e)
    {
        foreach (var c in _listeners)
        {
            c.Offer(e);
        }
    }

    private bool MayWant(string name, string? subclass)
    {
        foreach (var c in _listeners)
        {
            if (c.MayWant(name, subclass))
            {
                return true;
            }
        }
        return false;
    }

    private void OnLog(SimLogLine line)
    {
        foreach (var c in _listeners)
        {
            c.OfferLog(line);
        }
    }
}
