using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using FreeSwitchSim.Core;
using Microsoft.Extensions.Logging;

namespace FreeSwitchSim.Esl;

/// <summary>
/// One mod_event_socket listener (inbound connection or outbound <c>socket</c> session). Like listener_run it is a
/// single loop that both answers commands and writes queued events, so a reply is never cut into an event frame
/// and, as in FreeSWITCH, nothing else flows on the socket while an <c>api</c> command runs.
/// Events are matched against the subscription when fired (event_handler) and serialised when written.
/// </summary>
internal sealed partial class EslConnection
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly EslServer _server;
    private readonly ISwitchCore _core;
    private readonly EslServerOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<object> _inbox = Channel.CreateUnbounded<object>(new() { SingleReader = true });
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _cts = new();
    private int _queuedEvents;
    private int _lostEvents;
    private int _queuedLogs;
    private int _lostLogs;
    private volatile bool _dropped;
    private volatile string? _killMessage;
    private string _closingMessage = WireText.Goodbye;
    private bool _gotFirstCommand;
    private bool _suppressNextReply;

    public EslConnection(Socket socket, EslServer server, OutboundSession? outbound)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _server = server;
        _core = server.Core;
        _options = server.Options;
        _logger = server.Logger;
        if (outbound is not null)
        {
            // socket_function: an outbound listener is authed, controls its session, and the reply to its very
            // first command is not written by listener_run (connect writes its own CHANNEL_DATA reply).
            _authed = true;
            _outbound = true;
            _full = outbound.Full;
            _async = outbound.Async;
            _sessionUuid = outbound.Uuid;
            _suppressNextReply = true;
        }
    }

    public string Remote { get; private set; } = "";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cts.Token);
        var token = linked.Token;
        Remote = _socket.RemoteEndPoint?.ToString() ?? "";
        Log.ConnectionOpened(_logger, Remote, _outbound);
        var reader = Task.Run(() => ReadCommandsAsync(token), CancellationToken.None);
        using var firstTimer = _core.Clock.CreateTimer(_ => Post(FirstCommandTimedOut.Instance), null,
            _options.FirstCommandTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            if (!_outbound)
            {
                await WriteAsync(System.Text.Encoding.ASCII.GetBytes(WireText.AuthRequest), token).ConfigureAwait(false);
            }
            await LoopAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away or the simulator is stopping: nothing more to say on this socket.
        }
        finally
        {
            lock (_gate)
            {
                _running = false;
            }
            // listener_run's exit path: a notice (normally the goodbye), then close; a dropped socket says nothing.
            var message = _dropped ? null : _killMessage ?? _closingMessage;
            if (message is not null)
            {
                await TryWriteAsync(WireText.DisconnectNotice(message, _sessionUuid)).ConfigureAwait(false);
            }
            Close();
            await reader.ConfigureAwait(false);
            _lingerTimer?.Dispose();
            Log.ConnectionClosed(_logger, Remote);
        }
    }

    /// <summary>Fault: the connection vanishes without a notice, as when the network or process dies.</summary>
    public void Drop()
    {
        _dropped = true;
        Close();
    }

    /// <summary>kill_listener: the loop is interrupted (even mid-write, as FreeSWITCH writes the notice from the
    /// event thread) and the notice is written instead of the goodbye, then the socket closes.</summary>
    public void Kill(string message)
    {
        if (_killMessage is not null || _dropped)
        {
            return;
        }
        _killMessage = message;
        // Not inline: this runs on the switch's thread (inside its lock) and cancellation runs continuations.
        _ = Task.Run(() => _cts.Cancel());
    }

    /// <summary>Like <see cref="Kill"/> but after the events already queued (module shutdown on restart).</summary>
    public void Shutdown() => Post(new KillAfterQueue(WireText.ShuttingDown));

    /// <summary>Fault: bytes written between frames as they are, to see how the client copes.</summary>
    public void SendGarbage(byte[] bytes) => Post(new RawBytes(bytes));

    private async Task LoopAsync(CancellationToken token)
    {
        while (await _inbox.Reader.WaitToReadAsync(token).ConfigureAwait(false))
        {
            while (_inbox.Reader.TryRead(out var item))
            {
                await StallIfNeededAsync(token).ConfigureAwait(false);
                if (!await HandleItemAsync(item, token).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    private async Task<bool> HandleItemAsync(object item, CancellationToken token)
    {
        switch (item)
        {
            case EslCommand command:
                _gotFirstCommand = true;
                return await HandleCommandAsync(command, token).ConfigureAwait(false);
            case QueuedEvent queued:
                Interlocked.Decrement(ref _queuedEvents);
                await WriteEventAsync(queued.Event, token).ConfigureAwait(false);
                return true;
            case QueuedLog log:
                Interlocked.Decrement(ref _queuedLogs);
                if (IsLogging)
                {
                    await WriteAsync(WireText.LogData(log.Line, _core.Clock.LocalTimeZone), token).ConfigureAwait(false);
                }
                return true;
            case ChannelDown:
                return await OnChannelDownAsync(token).ConfigureAwait(false);
            case LingerExpired:
                return false;
            case FirstCommandTimedOut:
                return _gotFirstCommand;
            case RawBytes raw:
                await WriteAsync(raw.Bytes, token).ConfigureAwait(false);
                return true;
            case KillAfterQueue kill:
                _closingMessage = kill.Message;
                return false;
            case ReaderDone:
                return false;
            default:
                return true;
        }
    }

    private async Task StallIfNeededAsync(CancellationToken token)
    {
        var wait = _server.Faults.StallUntil - _core.Clock.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _core.Clock, token).ConfigureAwait(false);
        }
    }

    private async Task ReadCommandsAsync(CancellationToken token)
    {
        var pipe = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await pipe.ReadAsync(token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (CommandParser.TryParse(ref buffer, out var command))
                {
                    Post(command!);
                }
                pipe.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException
            or ObjectDisposedException or InvalidDataException)
        {
            // A read fault or a frame FreeSWITCH would reject ends the listener like a closed socket.
        }
        finally
        {
            await pipe.CompleteAsync().ConfigureAwait(false);
            Post(ReaderDone.Instance);
        }
    }

    private void Post(object item) => _inbox.Writer.TryWrite(item);

    private async Task WriteAsync(byte[] bytes, CancellationToken token)
    {
        await _writeLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, token).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Best effort with a bound: a peer that stopped reading must not hold up closing.</summary>
    private async Task TryWriteAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            if (!await _writeLock.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false))
            {
                return;
            }
            try
            {
                await _stream.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The socket is already gone.
        }
    }

    private void Close()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
        _socket.Dispose();
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }
}

/// <summary>What the <c>socket</c> application asked for: the channel, and its <c>async</c> / <c>full</c> flags.</summary>
internal sealed record OutboundSession(string Uuid, bool Async, bool Full);
