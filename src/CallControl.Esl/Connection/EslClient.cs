using System.Threading.Channels;
using CallControl.Esl.Commands;
using CallControl.Esl.Diagnostics;
using CallControl.Esl.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Esl.Connection;

/// <summary>
/// Keeps one FreeSWITCH Event Socket connection up for as long as it runs: connect, authenticate, re-apply the
/// recorded subscriptions (event, filter, myevents, log), read until the connection faults, then wait
/// <c>min(base * 2^n + jitter, cap)</c> and try again (n resets after a healthy session). A wrong password or an ACL
/// rejection waits <see cref="EslConnectionOptions.AuthFailureBackoff"/> instead: retrying sooner cannot help.
/// Events from every successive connection arrive on one queue, <see cref="Events"/>. <see cref="Connected"/> and
/// <see cref="Disconnected"/> tell the owner when to reconcile.
/// </summary>
public sealed partial class EslClient : IAsyncDisposable
{
    private readonly EslConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<EslEvent> _events;
    private readonly EslSubscriptions _desired = new();
    private readonly SemaphoreSlim _subscriptionLock = new(1, 1);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _stop;
    private Task? _run;
    private volatile EslConnection? _current;
    private volatile EslConnection? _commands;
    private volatile TaskCompletionSource<EslConnection> _connected = NewConnectedSignal();

    /// <summary>Creates a client; nothing connects until <see cref="StartAsync"/> or <see cref="RunAsync"/>.</summary>
    public EslClient(EslConnectionOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _events = Channel.CreateBounded<EslEvent>(new BoundedChannelOptions(options.EventQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });
        EslMetrics.TrackQueue(this, options.DisplayName, () => _events.Reader.Count);
    }

    /// <summary>Raised (on the client's loop) after each successful connect, authenticate and subscribe.</summary>
    public event EventHandler<EslConnectedEventArgs>? Connected;

    /// <summary>Raised when a connection is lost or authentication is refused.</summary>
    public event EventHandler<EslDisconnectedEventArgs>? Disconnected;

    /// <summary>Events from every connection, in arrival order; completes when the client stops. Dispose each event.</summary>
    public ChannelReader<EslEvent> Events => _events.Reader;

    /// <summary>The live connection, or null while disconnected.</summary>
    public EslConnection? Connection => _current;

    /// <summary>True while a connection is up.</summary>
    public bool IsConnected => _current is { IsConnected: true };

    /// <summary>The subscriptions re-applied on every new connection.</summary>
    public EslSubscriptions Subscriptions => _desired;

    /// <summary>Successful connections so far (the first included).</summary>
    public int ConnectionCount { get; private set; }

    /// <summary>Connection attempts so far, failed ones included.</summary>
    public int AttemptCount => Volatile.Read(ref _attempts);

    /// <summary>Starts the reconnect loop in the background and returns.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_run is not null)
        {
            throw new InvalidOperationException("The ESL client is already running.");
        }

        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _run = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops the loop, closes the connection, completes <see cref="Events"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_stop is null || _run is null)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _run.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the client.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop?.Dispose();
        EslMetrics.UntrackQueue(this);
    }

    /// <summary>Waits until a connection is up (returns it), or the token is cancelled.</summary>
    public Task<EslConnection> WaitForConnectionAsync(CancellationToken cancellationToken = default) =>
        _current is { IsConnected: true } current ? Task.FromResult(current) : _connected.Task.WaitAsync(cancellationToken);

    /// <summary>Runs the reconnect loop until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var loop = new LoopState(_time.GetTimestamp());
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var session = await TryConnectAsync(loop, cancellationToken).ConfigureAwait(false);
                if (session is null)
                {
                    continue;
                }

                await RunSessionAsync(session.Value, loop, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            _current = null;
            _commands = null;
            _events.Writer.TryComplete();
            _stopped.TrySetResult();
        }
    }

    private int _attempts;

    private async Task<(EslConnection Events, EslConnection? Commands)?> TryConnectAsync(LoopState loop, CancellationToken cancellationToken)
    {
        EslConnection? events = null;
        EslConnection? commands = null;
        Interlocked.Increment(ref _attempts);
        try
        {
            events = await EslConnection.ConnectAsync(_options, _logger, _time, _events, cancellationToken).ConfigureAwait(false);
            if (_options.DedicatedCommandConnection)
            {
                commands = await EslConnection.ConnectAsync(_options, _logger, _time, null, cancellationToken).ConfigureAwait(false);
            }

            await ApplySubscriptionsAsync(events, cancellationToken).ConfigureAwait(false);
            return (events, commands);
        }
        catch (Exception e) when (e is EslConnectionException or EslCommandException or TimeoutException)
        {
            await DisposeAllAsync(events, commands).ConfigureAwait(false);
            var reason = e as EslConnectionException ?? new EslConnectionException(EslFailureKind.ProtocolError, $"re-applying subscriptions on {_options.DisplayName} failed: {e.Message}", e);
            await WaitAfterFailureAsync(reason, loop, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch
        {
            await DisposeAllAsync(events, commands).ConfigureAwait(false);
            throw;
        }
    }

    private async Task RunSessionAsync((EslConnection Events, EslConnection? Commands) session, LoopState loop, CancellationToken cancellationToken)
    {
        var (events, commands) = session;
        try
        {
            var isReconnect = ConnectionCount > 0;
            TimeSpan? downtime = loop.DownSince is { } since ? _time.GetElapsedTime(since) : null;
            ConnectionCount++;
            if (isReconnect)
            {
                EslMetrics.Reconnects.Add(1, EslMetrics.Tags(_options.DisplayName));
                Log.Recovered(_logger, _options.DisplayName, downtime ?? TimeSpan.Zero, loop.Failures + 1);
            }
            else
            {
                Log.Connected(_logger, _options.DisplayName);
            }

            var started = _time.GetTimestamp();
            loop.DownSince = null;
            Raise(Connected, new EslConnectedEventArgs(isReconnect, isReconnect ? downtime : null));
            _connected.TrySetResult(events);
            _commands = commands;
            var ended = commands is null ? events.Completion : Task.WhenAny(events.Completion, commands.Completion).Unwrap();
            var reason = await ended.WaitAsync(cancellationToken).ConfigureAwait(false);
            _connected = NewConnectedSignal();
            _current = null;
            _commands = null;
            Log.ConnectionLost(_logger, _options.DisplayName, reason.Kind.ToString(), reason.Message);
            Raise(Disconnected, new EslDisconnectedEventArgs(reason));
            loop.DownSince = _time.GetTimestamp();
            loop.LastStillDown = loop.DownSince.Value;
            if (_time.GetElapsedTime(started) >= _options.HealthySession)
            {
                loop.Failures = 0;
            }

            await DelayAsync(loop.NextDelay(_options), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _current = null;
            _commands = null;
            await DisposeAllAsync(events, commands).ConfigureAwait(false);
        }
    }

    private async Task WaitAfterFailureAsync(EslConnectionException reason, LoopState loop, CancellationToken cancellationToken)
    {
        loop.DownSince ??= _time.GetTimestamp();
        if (reason is EslAuthenticationException)
        {
            // A wrong password or an ACL rejection: report every time (they are minutes apart), never retry quickly.
            Log.AuthenticationRefused(_logger, _options.DisplayName, reason.Message, _options.AuthFailureBackoff);
            Raise(Disconnected, new EslDisconnectedEventArgs(reason));
            await DelayAsync(_options.AuthFailureBackoff, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_time.GetElapsedTime(loop.LastStillDown) >= _options.StillDownLogInterval)
        {
            loop.LastStillDown = _time.GetTimestamp();
            Log.StillDown(_logger, _options.DisplayName, _time.GetElapsedTime(loop.DownSince.Value), loop.Failures + 1, reason.Message);
        }

        var delay = loop.NextDelay(_options);
        loop.Failures++;
        await DelayAsync(delay, cancellationToken).ConfigureAwait(false);
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, _time, cancellationToken);

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        try
        {
            handler?.Invoke(this, args);
        }
#pragma warning disable CA1031 // A listener's bug must not stop the reconnect loop.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.ListenerFailed(_logger, _options.DisplayName, e);
        }
    }

    private static async Task DisposeAllAsync(EslConnection? events, EslConnection? commands)
    {
        if (events is not null)
        {
            await events.DisposeAsync().ConfigureAwait(false);
        }

        if (commands is not null)
        {
            await commands.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource<EslConnection> NewConnectedSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Consecutive failures and downtime bookkeeping of the loop.</summary>
    private sealed class LoopState(long now)
    {
        public int Failures { get; set; }

        public long? DownSince { get; set; }

        public long LastStillDown { get; set; } = now;

        public TimeSpan NextDelay(EslConnectionOptions o) => EslBackoff.Delay(Failures, o.ReconnectBase, o.ReconnectCap, o.ReconnectJitter);
    }
}
