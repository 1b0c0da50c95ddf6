using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using CallControl.Calls.Router;
using CallControl.Switch;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CallControl.Rooms;

/// <summary>
/// Signaling across service instances, over PostgreSQL LISTEN/NOTIFY (no other infrastructure). <see cref="SignalHub"/>
/// stays the registry of this instance's sockets; the bus adds what peers announce, so the router's
/// <see cref="ICallNotifier"/> covers the whole cluster: <see cref="IsOnline"/> is true for a user with a socket on any
/// live instance, <see cref="NotifyAsync"/> reaches sockets wherever they are, and a user whose last socket anywhere
/// closes (or whose instance dies) is offline for every instance's router, each of which acts on the calls it owns.
/// A lone instance publishes nothing per event: room events and presence go out only when a peer needs them.
/// </summary>
public sealed partial class SignalBus : ICallNotifier, IHostedService, IAsyncDisposable
{
    /// <summary>What the listening connection's <c>application_name</c> starts with, before the instance id.</summary>
    public const string ApplicationNamePrefix = "callcontrol-signal:";

    private const string DefaultChannel = "callcontrol_signal";

    private readonly SignalHub _hub;
    private readonly SignalStateStore _states;
    private readonly IServiceProvider _services;
    private readonly SignalBusOptions _options;
    private readonly ILogger<SignalBus> _logger;
    private readonly string _instance;
    private readonly string _incarnation = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
    private readonly PeerPresence _presence = new();
    private readonly Lock _local = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> _forwarded = new(StringComparer.Ordinal);
    private long _sequence;
    private readonly SignalSeal _seal;
    private long _snapshotId;
    private long _published;
    private long _received;
    private long _dropped;

    public SignalBus(
        SignalHub hub,
        SignalStateStore states,
        IServiceProvider services,
        IConfiguration configuration,
        IOptions<ClusterOptions> cluster,
        IOptions<SignalBusOptions> options,
        IOptions<Auth.AuthOptions> auth,
        ILogger<SignalBus> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(auth);
        _seal = SignalSeal.FromSigningKey(auth.Value.SigningKey);
        _hub = hub;
        _states = states;
        _services = services;
        _options = options.Value;
        _logger = logger;
        _instance = cluster.Value.InstanceId;
        Channel = ChannelFor(cluster.Value.LeaseNamespace);
        _listenConnectionString = new NpgsqlConnectionStringBuilder(
            configuration.GetConnectionString(Data.DataServiceCollectionExtensions.ConnectionStringName))
        {
            // LISTEN belongs to a session: a pooled connection handed back would keep listening for nobody.
            Pooling = false,
            // Whatever the operator set: a multiplexed connection has no session of its own to hold.
            Multiplexing = false,
            ApplicationName = ApplicationNamePrefix + _instance,
            Timeout = 5,
            CommandTimeout = 5,
            // Npgsql sends a keepalive query on an idle connection, so a dead listener is noticed while it waits.
            KeepAlive = Math.Max(1, (int)_options.HeartbeatInterval.TotalSeconds),
            TcpKeepAlive = true,
        }.ConnectionString;
    }

    /// <summary>
    /// The NOTIFY channel: <c>callcontrol_signal</c> for the default <c>Cluster:LeaseNamespace</c>, else with a digest of
    /// the namespace, so deployments (and test runs) sharing one database do not hear each other.
    /// </summary>
    public string Channel { get; }

    /// <summary>Whether the listening connection is up (a gauge).</summary>
    public bool Listening => _listening;

    /// <summary>Peers heard within the timeout (a gauge).</summary>
    public int Peers => _presence.PeerCount;

    /// <summary>Messages published, received (valid ones from peers and our own echo), and dropped (counters).</summary>
    public long Published => Interlocked.Read(ref _published);

    public long Received => Interlocked.Read(ref _received);

    public long Dropped => Interlocked.Read(ref _dropped);

    // Resolved on use: the router takes this bus as its notifier.
    private CallRouter Router => _services.GetRequiredService<CallRouter>();

    public static string ChannelFor(string leaseNamespace)
    {
        ArgumentNullException.ThrowIfNull(leaseNamespace);
        if (leaseNamespace == new ClusterOptions().LeaseNamespace)
        {
            return DefaultChannel;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("callcontrol-signal\n" + leaseNamespace));
        return DefaultChannel + "_" + BinaryPrimitives.ReadUInt64BigEndian(hash).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public bool IsOnline(string userId) => _hub.IsOnline(userId) || _presence.IsOnlineElsewhere(userId);

    /// <summary>Whether the user has a socket on another instance (as its announcements say).</summary>
    public bool IsOnlineElsewhere(string userId) => _presence.IsOnlineElsewhere(userId);

    /// <inheritdoc />
    public async Task NotifyAsync(string userId, RoomEvent roomEvent, CancellationToken cancellationToken)
    {
        await _hub.NotifyAsync(userId, roomEvent, cancellationToken).ConfigureAwait(false);
        if (_presence.IsOnlineElsewhere(userId))
        {
            Enqueue(New(SignalKind.RoomEvent) with { User = userId, Event = roomEvent });
        }
    }

    /// <summary>Whether an action can be handed to a peer now (one is alive and this instance is on the bus).</summary>
    public bool CanForward => _presence.HasPeers && _listening;

    /// <summary>
    /// Hands a party's action on a room's call to the instance steering it (its router holds the call, this one's does
    /// not) and waits up to <see cref="SignalBusOptions.ForwardTimeout"/> for that instance to say its router holds the
    /// call and queued it. NOTIFY delivers at most once (a message sent while a listener is reconnecting is lost), so
    /// only that answer makes the action certain.
    /// </summary>
    public async Task<ForwardOutcome> ForwardActionAsync(string roomId, string action, CancellationToken cancellationToken)
    {
        if (!CanForward)
        {
            return ForwardOutcome.NoPeer;
        }

        var request = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _forwarded[request] = taken;
        try
        {
            Enqueue(New(SignalKind.RoomAction) with { Room = roomId, Action = action, Request = request });
            await taken.Task.WaitAsync(_options.ForwardTimeout, cancellationToken).ConfigureAwait(false);
            return ForwardOutcome.Taken;
        }
        catch (TimeoutException)
        {
            SignalLog.ForwardUnconfirmed(_logger, roomId, action, _options.ForwardTimeout);
            return ForwardOutcome.Unconfirmed;
        }
        finally
        {
            _forwarded.TryRemove(request, out _);
        }
    }

    /// <summary>
    /// A socket opened: registers it held (pushed events wait), announces the user's first socket here to peers, then
    /// sends the state of the user's calls in progress and lets the events through (see <see cref="SendStateAsync"/>).
    /// </summary>
    internal SignalHub.Registration Connect(string userId, WebSocket socket)
    {
        lock (_local)
        {
            var first = !_hub.IsOnline(userId);
            var registration = _hub.Register(userId, socket, held: true);
            if (first && _presence.HasPeers)
            {
                Enqueue(New(SignalKind.Presence) with { User = userId, Online = true });
            }

            return registration;
        }
    }

    /// <summary>
    /// Sends a new socket one <c>state</c> event per call of the user in progress, then releases it: an event pushed
    /// meanwhile follows the snapshot, never precedes it. A failed read is logged and the socket released anyway.
    /// </summary>
    internal async Task SendStateAsync(string userId, SignalHub.Registration registration, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.StateQueryTimeout);
            foreach (var state in await _states.InProgressAsync(userId, timeout.Token).ConfigureAwait(false))
            {
                await registration.Connection.SendHeldAsync(SignalHub.Serialize(state), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException or WebSocketException)
        {
            SignalLog.StateFailed(_logger, userId, e);
        }
        finally
        {
            registration.Connection.Release();
        }
    }

    /// <summary>
    /// A socket closed. When it was the user's last anywhere, this instance's router hears the user is offline. Not
    /// while this instance stops (<paramref name="leaving"/>): it closed the socket itself, the client reconnects
    /// elsewhere, and its goodbye lets the peers judge (after a grace) whether the user came back.
    /// </summary>
    internal async Task DisconnectAsync(string userId, SignalHub.Registration registration, bool leaving)
    {
        bool last;
        lock (_local)
        {
            registration.Connection.Release();
            last = registration.Close();
            if (last && _presence.HasPeers && !leaving)
            {
                Enqueue(New(SignalKind.Presence) with { User = userId, Online = false });
            }
        }

        if (last && !leaving && !_presence.IsOnlineElsewhere(userId))
        {
            await Router.UserWentOfflineAsync(userId, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Every user with a socket here, as snapshot chunks; under the same lock as presence deltas, so a
    /// delta and a snapshot are queued in the order they happened.</summary>
    private void AnnounceSnapshot()
    {
        lock (_local)
        {
            var id = ++_snapshotId;
            foreach (var chunk in SignalMessage.SnapshotChunksOf(_instance, _incarnation, NextSequence, id, _hub.OnlineUsers))
            {
                Enqueue(chunk);
            }
        }
    }

    private SignalMessage New(SignalKind kind) => new(kind, _instance, _incarnation, NextSequence());

    private long NextSequence() => Interlocked.Increment(ref _sequence);

    /// <summary>
    /// Users no peer holds any more: offline everywhere unless they have a socket here. After a goodbye the check waits
    /// <paramref name="grace"/>: the stopping instance closed its sockets with "going away" and their clients are
    /// reconnecting somewhere; a callee who does within the grace is still being alerted.
    /// </summary>
    private void WentOfflineElsewhere(List<string> gone, TimeSpan? grace = null)
    {
        if (gone.Count == 0)
        {
            return;
        }

        if (grace is { } wait)
        {
            _ = Task.Delay(wait, _stop.Token).ContinueWith(
                _ => WentOfflineElsewhere(gone), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            return;
        }

        foreach (var user in gone)
        {
            if (!_hub.IsOnline(user) && !_presence.IsOnlineElsewhere(user))
            {
                _routerInputs.Writer.TryWrite((router, ct) => router.UserWentOfflineAsync(user, ct));
            }
        }
    }
}
