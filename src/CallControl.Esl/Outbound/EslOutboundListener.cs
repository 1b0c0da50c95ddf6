using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CallControl.Esl.Commands;
using CallControl.Esl.Connection;
using CallControl.Esl.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Esl.Outbound;

/// <summary>
/// Accepts the connections FreeSWITCH's <c>socket</c> application opens. For each: sends <c>connect</c>, reads the
/// CHANNEL_DATA reply, and runs the handler with an <see cref="EslOutboundSession"/>; the session is closed when the
/// handler returns. A failing handler is logged and ends only its own session.
/// </summary>
public sealed class EslOutboundListener : IAsyncDisposable
{
    private readonly EslOutboundOptions _options;
    private readonly Func<EslOutboundSession, CancellationToken, Task> _handler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<Task, byte> _sessions = new();
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    /// <summary>Creates a listener; call <see cref="Start"/> to bind.</summary>
    public EslOutboundListener(EslOutboundOptions options, Func<EslOutboundSession, CancellationToken, Task> handler, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        _options = options;
        _handler = handler;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The bound endpoint (with the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndpoint => (IPEndPoint)(_listener?.LocalEndpoint ?? throw new InvalidOperationException("The listener is not started."));

    /// <summary>Binds and starts accepting.</summary>
    public void Start()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("The listener is already started.");
        }

        _listener = new TcpListener(_options.Endpoint);
        _listener.Start();
        Log.OutboundListening(_logger, LocalEndpoint.ToString());
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Stops accepting, cancels the handlers' token, closes every session and waits for the handlers.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_sessions.Keys).ConfigureAwait(false);
        _listener?.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (_stop.IsCancellationRequested && e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // A connection reset before accept completed: keep listening.
                Log.OutboundAcceptFailed(_logger, e);
                continue;
            }

            socket.NoDelay = true;
            var session = Task.Run(() => RunSessionAsync(socket));
            _sessions.TryAdd(session, 0);
            _ = session.ContinueWith(t => _sessions.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task RunSessionAsync(Socket socket)
    {
        var remote = socket.RemoteEndPoint?.ToString() ?? "?";
        var connection = EslConnection.FromAcceptedSocket(socket, _options.ToConnectionOptions(remote), _logger, _time);
        EslOutboundSession session;
        try
        {
            // The reply to connect is the channel's data: a CHANNEL_DATA header block in the reply envelope.
            var reply = await connection.SendAsync(EslCommands.Connect(), _options.ConnectTimeout, _stop.Token).ConfigureAwait(false);
            var channelData = EslEvent.FromFrame(reply, _options.FrameLimits);
            session = new EslOutboundSession(connection, channelData);
        }
        catch (Exception e) when (e is EslConnectionException or Protocol.EslProtocolException or OperationCanceledException)
        {
            Log.OutboundHandshakeFailed(_logger, remote, e.Message);
            await connection.DisposeAsync().ConfigureAwait(false);
            return;
        }

        await using (session.ConfigureAwait(false))
        {
            try
            {
                await _handler(session, _stop.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One channel's handler bug must not take the listener down.
            catch (Exception e) when (!(e is OperationCanceledException && _stop.IsCancellationRequested))
#pragma warning restore CA1031
            {
                Log.OutboundHandlerFailed(_logger, session.UniqueId, e);
            }
            catch (OperationCanceledException)
            {
                // Listener stopping.
            }
        }
    }
}
