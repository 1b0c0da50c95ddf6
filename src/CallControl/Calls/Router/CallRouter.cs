using System.Collections.Concurrent;
using CallControl.Data;
using CallControl.Dialing;
using CallControl.Observability;
using CallControl.Rooms;
using CallControl.Switch;
using Microsoft.Extensions.Options;

namespace CallControl.Calls.Router;

/// <summary>
/// The thin shell around <see cref="CallMachine"/>: it turns FreeSWITCH events and API actions into the machine's
/// inputs and carries out the commands it returns (ESL commands on the call's node, store writes, signaling pushes,
/// the ring timer). Each call's inputs run one at a time under its own gate; different calls run in parallel.
/// </summary>
public sealed partial class CallRouter : IFreeSwitchEventHandler, IDisposable
{
    /// <summary>The keyed <see cref="TimeProvider"/> the ring timers run on (tests put a fake clock there).</summary>
    public const string TimerClockKey = "callcontrol.ring-timer";

    private readonly ConcurrentDictionary<Guid, CallSession> _calls = new();
    private readonly ConcurrentDictionary<string, Guid> _byRoom = new(StringComparer.Ordinal);

    // Rooms whose call ended here and was forgotten, kept for the logins' lifetime with what the call ended with (a
    // few hundred bytes each, against about 3.3 KB for the whole call): a leg that parks in one later is hung up
    // without a read. Expired oldest first: every entry lives the same time.
    private readonly ConcurrentDictionary<string, EndedCall> _endedRooms = new(StringComparer.Ordinal);
    private readonly Queue<(string RoomId, Guid CallId, DateTimeOffset Until)> _endedRoomsOrder = new();
    private readonly ConcurrentDictionary<string, Guid> _byLeg = new(StringComparer.OrdinalIgnoreCase);
    private readonly IServiceProvider _services;
    private readonly CallStore _callStore;
    private readonly RoomStore _rooms;
    private readonly VertoLoginStore _logins;
    private readonly DialStringBuilder _dialStrings;
    private readonly ICallNotifier _notifier;
    private readonly TimeProvider _clock;
    private readonly TimeProvider _timerClock;
    private readonly RoomsOptions _options;
    private readonly ILogger<CallRouter> _logger;

    /// <summary>
    /// The node pool is resolved on first use: it takes every <see cref="IFreeSwitchEventHandler"/>, this router
    /// among them, so a constructor dependency on it would be a cycle.
    /// </summary>
    public CallRouter(
        IServiceProvider services,
        CallStore calls,
        RoomStore rooms,
        VertoLoginStore logins,
        DialStringBuilder dialStrings,
        ICallNotifier notifier,
        TimeProvider clock,
        [FromKeyedServices(TimerClockKey)] TimeProvider timerClock,
        IOptions<RoomsOptions> options,
        ILogger<CallRouter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _services = services;
        _callStore = calls;
        _rooms = rooms;
        _logins = logins;
        _dialStrings = dialStrings;
        _notifier = notifier;
        _clock = clock;
        _timerClock = timerClock;
        _options = options.Value;
        _logger = logger;
    }

    private NodePool Nodes => _services.GetRequiredService<NodePool>();

    /// <summary>The configured policy defaults.</summary>
    public FallbackPolicy DefaultPolicy => _options.Fallback.ToPolicy();

    /// <summary>The live call of a room, or null.</summary>
    public CallSession? FindByRoom(string roomId) =>
        _byRoom.TryGetValue(roomId, out var id) && _calls.TryGetValue(id, out var session) ? session : null;

    /// <summary>Calls held that have not reached a final status (a gauge; read without the calls' gates).</summary>
    public int ActiveCalls => _calls.Values.Count(s => !s.State.IsFinal);

    /// <summary>Calls held in memory: the active ones and the ended ones within their grace.</summary>
    public int HeldCalls => _calls.Count;

    /// <summary>Now, as the router stamps inputs.</summary>
    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>
    /// Creates the call: inserts its row (status ringing, history "created") with its new <paramref name="room"/> and
    /// the caller's <paramref name="callerLogin"/> (one statement), registers it, and runs <paramref name="created"/>
    /// through the machine (alert the callee, or fall back at once, or wait for the caller's leg). Returns the room as
    /// stored.
    /// </summary>
    public async Task<RoomRecord> StartAsync(
        CallCreated created, string node, E164Number? number, RoomRecord room, VertoLogin callerLogin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(created);
        var session = new CallSession(created.CallId, created.RoomId, node, created.CallerUserId, created.CalleeUserId, number)
        {
            CreatedAt = created.At,
        };
        var record = new CallRecord
        {
            Id = created.CallId,
            RoomId = created.RoomId,
            Caller = created.CallerUserId,
            Callee = created.CalleeUserId,
            CalleeNumber = number?.Value,
            Media = created.Media == CallMedia.Video ? "video" : "audio",
            Status = CallStatus.Ringing.ToWire(),
            CreatedAt = created.At.UtcDateTime,
            RingingAt = created.At.UtcDateTime,
            FreeswitchNode = node,
            // The machine arms the ring timer at creation; stored, so another instance can resume it.
            RingDeadline = (created.At + created.RingTimeout).UtcDateTime,
            // A direct call dials the carrier as soon as the caller's leg parks: it counts against the limits now.
            PstnDialedAt = created.CalleeUserId is null ? created.At.UtcDateTime : null,
        };
        var (stored, storedRoom) = await _callStore.CreateWithRoomAsync(record, CallReasons.Created, room, callerLogin, cancellationToken).ConfigureAwait(false);
        session.Version = stored.Version;
        session.Room = storedRoom;
        session.Issued(callerLogin);
        _calls[session.CallId] = session;
        _byRoom[session.RoomId] = session.CallId;
        MapLeg(session, created.PstnLegUuid);
        await SubmitAsync(session, created, cancellationToken).ConfigureAwait(false);
        return storedRoom;
    }

    /// <summary>Feeds an API action or a timer to the room's live call; false when the room has none.</summary>
    public async Task<bool> SubmitAsync(string roomId, Func<DateTimeOffset, CallInput> input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (FindByRoom(roomId) is not { } session)
        {
            return false;
        }

        await SubmitAsync(session, input(Now), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>A user's last signaling connection closed: a callee being alerted is now offline.</summary>
    public async Task UserWentOfflineAsync(string userId, CancellationToken cancellationToken)
    {
        foreach (var session in _calls.Values.Where(s => s.CalleeUserId == userId).ToArray())
        {
            await SubmitAsync(session, new CalleeWentOffline(Now), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="first"/> and whatever its commands feed back (the uuid_bridge reply) through the machine,
    /// one at a time, under the call's gate.
    /// </summary>
    private async Task SubmitAsync(CallSession session, CallInput first, CancellationToken cancellationToken)
    {
        // Every line logged while the call handles an input (here, in the stores, in the ESL commands) names it.
        using var scope = _logger.BeginScope(CallLogScope.ForCall(session.CallId, session.RoomId));
        await session.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = new Queue<CallInput>();
            pending.Enqueue(first);
            while (pending.TryDequeue(out var input))
            {
                if (!IsRegistered(session))
                {
                    // Forgotten while waiting (fenced: the node is another's now, or this instance's again with the
                    // call rebuilt as a new session). A stale session must not decide, write or arm anything.
                    RouterLog.StaleInput(_logger, session.CallId, input.GetType().Name);
                    break;
                }

                var transition = CallMachine.Handle(session.State, input);
                if (transition.State.IsFinal && !session.State.IsFinal)
                {
                    _services.GetService<ServiceMetrics>()?.CallEnded(transition.State.Status!.Value);
                }

                session.State = transition.State;
                if (transition.Commands.Count > 0)
                {
                    RouterLog.Input(_logger, session.CallId, input.GetType().Name, session.State.Status?.ToWire(), transition.Commands.Count);
                }

                await ExecuteAsync(session, input, transition.Commands, pending, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            session.Gate.Release();
        }

        if (session.State.IsFinal && session.ForgetTimer is null && IsRegistered(session))
        {
            // Kept a while after the end, for its legs' last events; a leg that parks later (its client never heard
            // the call is over) is hung up from how it ended (_endedRooms, OnParkAsync).
            session.ForgetTimer = _timerClock.CreateTimer(_ => Forget(session), null, _options.EndedCallGrace, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>This session object is the one registered for its call (not forgotten, not replaced by a rebuild).</summary>
    private bool IsRegistered(CallSession session) =>
        _calls.TryGetValue(session.CallId, out var current) && ReferenceEquals(current, session);

    /// <summary>Whether the channel is still mapped to a call (tests check that forgetting a call drops its entries).</summary>
    internal bool MapsLeg(string legUuid) => _byLeg.ContainsKey(legUuid);

    /// <summary>Routes the channel's events to the session's call (and lets <see cref="Forget"/> find the entry).</summary>
    private void MapLeg(CallSession session, string legUuid)
    {
        _byLeg[legUuid] = session.CallId;
        session.AddLeg(legUuid);
    }

    private void Forget(CallSession session)
    {
        if (session.State is { IsFinal: true, Status: { } status })
        {
            RememberEndedRoom(new EndedCall { Id = session.CallId, RoomId = session.RoomId, Status = status.ToWire(), HangupCause = session.State.FinalCause });
        }

        _calls.TryRemove(session.CallId, out _);
        _byRoom.TryRemove(new KeyValuePair<string, Guid>(session.RoomId, session.CallId));
        foreach (var leg in session.Legs())
        {
            _byLeg.TryRemove(new KeyValuePair<string, Guid>(leg, session.CallId));
        }

        session.RingTimer?.Dispose();
        session.ForgetTimer?.Dispose();
    }

    private void RememberEndedRoom(EndedCall ended)
    {
        var now = _timerClock.GetUtcNow();
        _endedRooms[ended.RoomId] = ended;
        lock (_endedRoomsOrder)
        {
            _endedRoomsOrder.Enqueue((ended.RoomId, ended.Id, now + _options.VertoLoginTtl));
            while (_endedRoomsOrder.Peek() is var oldest && oldest.Until <= now)
            {
                _endedRoomsOrder.Dequeue();
                if (_endedRooms.TryGetValue(oldest.RoomId, out var entry) && entry.Id == oldest.CallId)
                {
                    _endedRooms.TryRemove(new KeyValuePair<string, EndedCall>(oldest.RoomId, entry));
                }
            }
        }
    }

    public void Dispose()
    {
        foreach (var session in _calls.Values)
        {
            session.Dispose();
        }

        _calls.Clear();
    }
}
