using CallControl.Dialing;

namespace CallControl.Calls.Router;

/// <summary>
/// One live call as the router holds it: the machine's state, the stored row's version, who the parties are, and the
/// gate that makes the call's inputs run one at a time, in order (different calls run in parallel).
/// </summary>
public sealed class CallSession : IDisposable
{
    internal CallSession(Guid callId, string roomId, string node, string callerUserId, string? calleeUserId, E164Number? number)
    {
        CallId = callId;
        RoomId = roomId;
        Node = node;
        CallerUserId = callerUserId;
        CalleeUserId = calleeUserId;
        Number = number;
    }

    public Guid CallId { get; }

    public string RoomId { get; }

    /// <summary>The FreeSWITCH node the room was placed on (commands go there).</summary>
    public string Node { get; }

    public string CallerUserId { get; }

    public string? CalleeUserId { get; }

    /// <summary>The number the carrier leg would dial, already passed by the dialing policy; null when none may be dialed.</summary>
    public E164Number? Number { get; }

    /// <summary>
    /// The room as this instance stored it with the call (<see cref="CallRouter.StartAsync"/>); null for a call rebuilt
    /// from the node and the database. Its parties and node never change; its <c>state</c> is <c>open</c> for as long
    /// as the call is live (only the call's end closes it).
    /// </summary>
    internal Data.RoomRecord? Room { get; set; }

    /// <summary>The machine's state after the last input (read it under <see cref="Gate"/>).</summary>
    public CallState State { get; internal set; } = CallState.Empty;

    /// <summary>The calls row's version as last written (optimistic concurrency).</summary>
    internal int Version { get; set; }

    internal DateTimeOffset CreatedAt { get; set; }

    /// <summary>Steps (not the end) whose write PostgreSQL did not take, in order: written, with their own times,
    /// before the call's next write, so its history has no hole (see CallRouter.CatchUpAsync).</summary>
    internal List<Data.CallChange> Unwritten { get; } = [];

    internal SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Channel events for this call not yet run through the machine, in the order their queues read them.</summary>
    internal System.Collections.Concurrent.ConcurrentQueue<CallInput> Inbox { get; } = new();

    /// <summary>1 while a task drains <see cref="Inbox"/> (set and cleared with Interlocked).</summary>
    internal int Draining;

    internal ITimer? RingTimer { get; set; }

    // The logins this instance issued for this call, by login, each with the leg that claimed it (null until one
    // parks): the caller's, stored with the room, and the callee's at each join handled here. Only the instance that
    // steers the room's node consumes its logins (for legs parked on that node), and a session lives only while this
    // instance steers it without a break (losing the node forgets it; a call rebuilt from the node starts with none), so
    // no other instance can have consumed one of these: a claim here decides as PostgreSQL would (see
    // CallRouter.AdoptLegAsync, which stores the claim afterwards).
    private readonly Dictionary<string, (string UserId, DateTime ExpiresAt, string? Leg)> _issued = new(StringComparer.Ordinal);

    /// <summary>Notes a login this instance issued for this call (stored: its insert committed).</summary>
    internal void Issued(Data.VertoLogin login)
    {
        ArgumentNullException.ThrowIfNull(login);
        if (login.RoomId != RoomId)
        {
            return;
        }

        lock (_issued)
        {
            _issued.TryAdd(login.Login, (login.UserId, login.ExpiresAt, null));
        }
    }

    /// <summary>
    /// Claims <paramref name="login"/> for <paramref name="leg"/> if this instance issued it for this call: decided here
    /// by the rules of <see cref="Data.VertoLoginStore.ConsumeForCallAsync"/> (a party's login of this room, not
    /// expired, not claimed by another leg; the same leg again finds its own claim). <see cref="LoginClaim.Unknown"/>
    /// when it was not issued here: then PostgreSQL decides.
    /// </summary>
    internal LoginClaim ClaimLogin(string login, string leg, DateTime now, out string? userId)
    {
        userId = null;
        lock (_issued)
        {
            if (!_issued.TryGetValue(login, out var issued))
            {
                return LoginClaim.Unknown;
            }

            var party = issued.UserId == CallerUserId || issued.UserId == CalleeUserId;
            if (issued.Leg == leg || (party && issued.Leg is null && issued.ExpiresAt > now))
            {
                _issued[login] = issued with { Leg = leg };
                userId = issued.UserId;
                return LoginClaim.Claimed;
            }

            return LoginClaim.Refused;
        }
    }

    private const long ParkArrivalUnknown = -1;

    // When the latest of the call's adopted parks was read off the node's connection (a Stopwatch timestamp; 0 before
    // any): the bridge that both parks make possible is timed from it (ServiceMetrics.BridgeCommanded). A park adopted
    // without one (found by reconcile, or checked again after an outage) makes it unknown for good: not timed.
    private long _lastParkArrived;

    /// <summary>The latest adopted park's arrival (Stopwatch timestamp), or 0 or less when none or not known.</summary>
    internal long LastParkArrived => Interlocked.Read(ref _lastParkArrived);

    /// <summary>Notes a park adopted into the call: when its event was read, or 0 when that is not known.</summary>
    internal void ParkArrived(long timestamp)
    {
        var seen = Interlocked.Read(ref _lastParkArrived);
        while (seen != ParkArrivalUnknown && (timestamp <= 0 || timestamp > seen))
        {
            var before = Interlocked.CompareExchange(ref _lastParkArrived, timestamp <= 0 ? ParkArrivalUnknown : timestamp, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }

    // The channel UUIDs the router maps to this call (CallRouter.MapLeg), so forgetting it removes those entries
    // without scanning the map of every call's legs.
    private readonly List<string> _legs = new(3);

    internal void AddLeg(string legUuid)
    {
        lock (_legs)
        {
            _legs.Add(legUuid);
        }
    }

    internal string[] Legs()
    {
        lock (_legs)
        {
            return [.. _legs];
        }
    }

    /// <summary>Removes the ended call from the router after a grace period.</summary>
    internal ITimer? ForgetTimer { get; set; }

    public void Dispose()
    {
        RingTimer?.Dispose();
        ForgetTimer?.Dispose();
        Gate.Dispose();
    }
}

/// <summary>What a session knows of a login a leg parked with (<see cref="CallSession.ClaimLogin"/>).</summary>
internal enum LoginClaim
{
    /// <summary>Not issued by this instance for this call: PostgreSQL decides.</summary>
    Unknown,

    /// <summary>Issued here for this call, and now claimed by the leg.</summary>
    Claimed,

    /// <summary>Issued here for this call, but expired or claimed by another leg.</summary>
    Refused,
}
