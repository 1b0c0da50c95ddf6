using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using CallControl.Esl.Diagnostics;
using CallControl.Esl.Events;
using CallControl.Esl.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Esl.Connection;

/// <summary>
/// One Event Socket connection: one socket, one read loop over a <see cref="PipeReader"/>. FreeSWITCH answers
/// commands strictly in order and without any request id, so replies complete a FIFO of pending commands, enqueued
/// under the write lock so queue order is wire order. Events go to a bounded channel (<see cref="Events"/>);
/// <c>bgapi</c> results are matched by the <c>Job-UUID</c> we send. On any fault every pending command and job
/// fails once with the same <see cref="EslConnectionException"/> and the socket closes; the owner
/// (<see cref="EslClient"/>) reconnects. Nothing waits forever: commands time out, and a command timeout
/// ends the connection because the reply queue can no longer be trusted.
/// </summary>
public sealed partial class EslConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly EslConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly EslFrameReader _frames;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Queue<PendingReply> _pending = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Commands.EslResult>> _jobs = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, PendingExecution> _executions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Channel<EslEvent> _events;
    private readonly bool _ownsEvents;
    private readonly Channel<EslLogLine> _logs;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TaskCompletionSource<EslConnectionException> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _notice = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _node;
    private EslConnectionException? _fault;
    private long _lastReceived;
    private Task _readLoop = Task.CompletedTask;
    private Task _livenessLoop = Task.CompletedTask;

    private EslConnection(Socket socket, EslConnectionOptions options, ILogger? logger, TimeProvider? time, Channel<EslEvent>? events, bool monitorLiveness)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _frames = new EslFrameReader(options.FrameLimits);
        _node = options.DisplayName;
        _ownsEvents = events is null;
        _events = events ?? CreateEventChannel(options);
        _logs = Channel.CreateBounded<EslLogLine>(
            new BoundedChannelOptions(options.LogQueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true },
            _ => EslMetrics.LogLinesShed.Add(1, EslMetrics.Tags(_node)));
        _lastReceived = _time.GetTimestamp();
        MonitorsLiveness = monitorLiveness && options.LivenessTimeout is not null;
        if (_ownsEvents)
        {
            EslMetrics.TrackQueue(this, _node, () => _events.Reader.Count);
        }
    }

    /// <summary>Events in arrival order. The reader owns each event and should dispose it (returns pooled buffers).
    /// Completes when the connection ends (unless the events go to an <see cref="EslClient"/>'s queue).</summary>
    public ChannelReader<EslEvent> Events => _events.Reader;

    /// <summary><c>log/data</c> lines after <c>log &lt;level&gt;</c>; the oldest are dropped (and counted) when unread.</summary>
    public ChannelReader<EslLogLine> Logs => _logs.Reader;

    /// <summary>Completes with the reason once the connection has ended, whoever ended it.</summary>
    public Task<EslConnectionException> Completion => _closed.Task;

    /// <summary>Completes with the <c>Content-Disposition</c> (<c>disconnect</c> or <c>linger</c>) of the first
    /// disconnect notice FreeSWITCH sends; cancelled when the connection ends without one.</summary>
    public Task<string> DisconnectNotice => _notice.Task;

    /// <summary>True once FreeSWITCH sent a linger notice: the channel is gone, events still flow until it closes.</summary>
    public bool IsLingering { get; private set; }

    /// <summary>True while the connection has not failed or been disposed.</summary>
    public bool IsConnected => Volatile.Read(ref _fault) is null;

    /// <summary>What this socket is subscribed to, as recorded from the successful commands sent on it.</summary>
    public EslSubscriptions Subscriptions { get; } = new();

    /// <summary>Event-Sequence numbers missing or out of order while subscribed to ALL.</summary>
    public long SequenceGaps => Interlocked.Read(ref _sequenceGaps);

    /// <summary>Events dropped because the consumer fell behind (policy <see cref="EslOverflowPolicy.Shed"/>).</summary>
    public long EventsShed => Interlocked.Read(ref _eventsShed);

    /// <summary>Frames or events that could not be decoded and were skipped.</summary>
    public long DecodeFailures => Interlocked.Read(ref _decodeFailures);

    internal bool MonitorsLiveness { get; }

    /// <summary>
    /// Connects to FreeSWITCH, reads the <c>auth/request</c> greeting and authenticates (<c>auth</c>, or
    /// <c>userauth</c> when <see cref="EslConnectionOptions.User"/> is set). A wrong password throws
    /// <see cref="EslAuthenticationException"/> carrying <c>-ERR invalid</c>; an ACL rejection throws it with kind
    /// <see cref="EslFailureKind.Rejected"/>; any other failure throws <see cref="EslConnectionException"/>.
    /// </summary>
    public static Task<EslConnection> ConnectAsync(EslConnectionOptions options, ILogger? logger = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(options, logger, null, null, cancellationToken);

    internal static async Task<EslConnection> ConnectAsync(EslConnectionOptions options, ILogger? logger, TimeProvider? time, Channel<EslEvent>? events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new EslConnectionException(
                e is OperationCanceledException ? EslFailureKind.Timeout : EslFailureKind.SocketClosed,
                $"cannot connect to FreeSWITCH at {options.Host}:{options.Port}: {e.Message}",
                e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new EslConnection(socket, options, logger, time, events, monitorLiveness: true);
        try
        {
            await connection.AuthenticateAsync(timeout.Token).ConfigureAwait(false);
            connection.StartLiveness();
        }
        catch (EslConnectionException e)
        {
            connection.Fault(e);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = new EslConnectionException(EslFailureKind.Timeout, $"FreeSWITCH at {options.DisplayName} did not complete authentication within {options.ConnectTimeout}", e);
            connection.Fault(reason);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw reason;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return connection;
    }

    /// <summary>Wraps a socket FreeSWITCH opened to us (the <c>socket</c> dialplan application); no greeting, no auth.</summary>
    internal static EslConnection FromAcceptedSocket(Socket socket, EslConnectionOptions options, ILogger? logger, TimeProvider? time)
    {
        var connection = new EslConnection(socket, options, logger, time, null, monitorLiveness: false);
        connection.Start();
        return connection;
    }

    /// <summary>Closes the socket; pending commands fail with kind <see cref="EslFailureKind.Disposed"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        Fault(new EslConnectionException(EslFailureKind.Disposed, $"ESL connection to {_node} was disposed"));
        try
        {
            await Task.WhenAll(_readLoop, _livenessLoop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loops end by cancellation when disposed.
        }

        await _input.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _shutdown.Dispose();
        _writeLock.Dispose();
    }

    private static Channel<EslEvent> CreateEventChannel(EslConnectionOptions options) =>
        Channel.CreateBounded<EslEvent>(new BoundedChannelOptions(options.EventQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });

    private void Start() => _readLoop = Task.Run(ReadLoopAsync);

    /// <summary>Arms the liveness check once authenticated; before that <see cref="EslConnectionOptions.ConnectTimeout"/> rules.</summary>
    private void StartLiveness()
    {
        if (MonitorsLiveness)
        {
            Touch();
            _livenessLoop = Task.Run(LivenessLoopAsync);
        }
    }

    /// <summary>
    /// Fails the connection once: records the reason, closes the socket, fails every pending reply, job and
    /// execution with it, and completes the queues. Later calls do nothing.
    /// </summary>
    internal void Fault(EslConnectionException reason)
    {
        if (Interlocked.CompareExchange(ref _fault, reason, null) is not null)
        {
            return;
        }

        try
        {
            _shutdown.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already torn down.
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The peer may be gone already.
        }

        _socket.Close();
        PendingReply[] pending;
        lock (_pending)
        {
            pending = [.. _pending];
            _pending.Clear();
        }

        foreach (var p in pending)
        {
            p.Fail(reason);
        }

        foreach (var key in _jobs.Keys)
        {
            if (_jobs.TryRemove(key, out var job))
            {
                job.TrySetException(reason);
            }
        }

        foreach (var key in _executions.Keys)
        {
            if (_executions.TryRemove(key, out var execution))
            {
                execution.Completion.TrySetException(reason);
            }
        }

        if (_ownsEvents)
        {
            _events.Writer.TryComplete();
            EslMetrics.UntrackQueue(this);
        }

        _logs.Writer.TryComplete();
        _notice.TrySetCanceled();
        _closed.TrySetResult(reason);
    }

    private EslConnectionException? CurrentFault => Volatile.Read(ref _fault);
}
