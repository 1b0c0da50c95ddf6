using System.Globalization;
using FreeSwitchSim.Core;

namespace FreeSwitchSim.Switch;

/// <summary>
/// Stamps the core headers every FreeSWITCH event carries (switch_event.c, switch_event_prep_for_delivery) and
/// fires events one at a time, so that Event-Sequence order is delivery order. An event no listener may want is
/// numbered and not built (see <see cref="ISelectiveEventSource"/>).
/// </summary>
internal sealed class EventBus
{
    private readonly SimSwitchOptions _options;
    private readonly TimeProvider _clock;
    private long _sequence;
    private long _fired;
    private long _built;
    private volatile DateStrings? _dates;

    // Replaced whole when a listener comes or goes (under _listenersLock), read once per event under Sync.
    private volatile Listener[] _listeners = [];
    private readonly object _listenersLock = new();

    public EventBus(SimSwitchOptions options, TimeProvider clock, object sync)
    {
        _options = options;
        _clock = clock;
        Sync = sync;
        CoreUuid = Guid.NewGuid().ToString();
    }

    /// <summary>The one lock of the switch: state changes and event delivery happen under it.</summary>
    public object Sync { get; }

    public string CoreUuid { get; private set; }

    /// <summary>Handlers that want every event.</summary>
    public event Action<SimEvent>? EventFired
    {
        add => Add(new Listener(null, value ?? throw new ArgumentNullException(nameof(value))));
        remove => Remove(l => l.Interest is null && Equals(l.Handler, value));
    }

    public EventCounts Counts => new(Interlocked.Read(ref _fired), Interlocked.Read(ref _built));

    /// <summary>A listener that wants only some events: see <see cref="ISelectiveEventSource.Listen"/>.</summary>
    public IDisposable Listen(EventInterest interest, Action<SimEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(interest);
        ArgumentNullException.ThrowIfNull(handler);
        var listener = new Listener(interest, handler);
        Add(listener);
        return new Removal(() => Remove(l => ReferenceEquals(l, listener)));
    }

    private void Add(Listener listener)
    {
        lock (_listenersLock)
        {
            _listeners = [.. _listeners, listener];
        }
    }

    // Removes the last match, as removing a handler from a multicast delegate does.
    private void Remove(Func<Listener, bool> match)
    {
        lock (_listenersLock)
        {
            var all = _listeners;
            var at = Array.FindLastIndex(all, l => match(l));
            if (at >= 0)
            {
                _listeners = [.. all.AsSpan(0, at), .. all.AsSpan(at + 1)];
            }
        }
    }

    private static bool Wanted(Listener[] listeners, string name, string? subclass)
    {
        foreach (var l in listeners)
        {
            if (l.Interest is null || l.Interest(name, subclass))
            {
                return true;
            }
        }
        return false;
    }

    private static void Deliver(Listener[] listeners, SimEvent e)
    {
        foreach (var l in listeners)
        {
            l.Handler(e);
        }
    }

    /// <summary>Microseconds since the Unix epoch, FreeSWITCH's switch_micro_time_now().</summary>
    public long NowUs() => (_clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;

    public void Restart()
    {
        CoreUuid = Guid.NewGuid().ToString();
        Interlocked.Exchange(ref _sequence, 0);
    }

    public SimEvent NewEvent(string name, string? subclass, string file, string function, int line) =>
        NewEvent(name, subclass, file, function, line, 0);

    private SimEvent NewEvent(string name, string? subclass, string file, string function, int line, int capacity)
    {
        var e = new SimEvent(name, subclass, capacity);
        if (subclass is not null)
        {
            // A CUSTOM event's first header is Event-Subclass, then Event-Name (conference.server.raw, verto-login*).
            e.Add("Event-Subclass", subclass);
        }
        e.Add("Event-Name", name);
        var now = _clock.GetUtcNow();
        var dates = EventDates(now);
        e.Add("Core-UUID", CoreUuid)
            .Add("FreeSWITCH-Hostname", _options.Hostname)
            .Add("FreeSWITCH-Switchname", _options.Hostname)
            .Add("FreeSWITCH-IPv4", _options.IPv4)
            .Add("FreeSWITCH-IPv6", _options.IPv6)
            .Add("Event-Date-Local", dates.Local)
            .Add("Event-Date-GMT", dates.Gmt)
            .Add("Event-Date-Timestamp", NowUs().ToString(CultureInfo.InvariantCulture))
            .Add("Event-Calling-File", file)
            .Add("Event-Calling-Function", function)
            .Add("Event-Calling-Line-Number", line.ToString(CultureInfo.InvariantCulture))
            .Add("Event-Sequence", Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture));
        return e;
    }

    // Event-Date-Local and -GMT change once a second: formatted once per second (and time zone), not per event.
    private DateStrings EventDates(DateTimeOffset now)
    {
        var second = now.UtcTicks / TimeSpan.TicksPerSecond;
        var zone = _clock.LocalTimeZone;
        var cached = _dates;
        if (cached is not null && cached.Second == second && ReferenceEquals(cached.Zone, zone))
        {
            return cached;
        }
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var fresh = new DateStrings(second, zone,
            local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            now.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture));
        _dates = fresh;
        return fresh;
    }

    private sealed record DateStrings(long Second, TimeZoneInfo Zone, string Local, string Gmt);

    /// <summary>Delivers an event built with <see cref="NewEvent(string, string?, string, string, int)"/> under the switch
    /// lock: handlers run synchronously in firing order.</summary>
    public void Fire(SimEvent e)
    {
        lock (Sync)
        {
            Interlocked.Increment(ref _fired);
            Interlocked.Increment(ref _built);
            Deliver(_listeners, e);
        }
    }

    /// <summary>Builds and fires in one step, sequence taken under the lock so numbering is delivery order. When no
    /// listener may want it, the event only takes its sequence number: <paramref name="fill"/> does not run.</summary>
    public void Fire(string name, string? subclass, CallSite site, Action<SimEvent>? fill) =>
        Fire(name, subclass, site, 0, fill);

    /// <summary>As above, the event made with room for <paramref name="capacity"/> headers.</summary>
    public void Fire(string name, string? subclass, CallSite site, int capacity, Action<SimEvent>? fill)
    {
        lock (Sync)
        {
            Interlocked.Increment(ref _fired);
            var listeners = _listeners;
            if (!Wanted(listeners, name, subclass))
            {
                Interlocked.Increment(ref _sequence);
                return;
            }
            Interlocked.Increment(ref _built);
            var e = NewEvent(name, subclass, site.File, site.Function, site.Line, capacity);
            fill?.Invoke(e);
            Deliver(listeners, e);
        }
    }

    private sealed record Listener(EventInterest? Interest, Action<SimEvent> Handler);

    private sealed class Removal(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }
}

/// <summary>Event-Calling-File / -Function / -Line-Number of an event, as real FreeSWITCH 1.10.12 reports them.</summary>
internal readonly record struct CallSite(string File, string Function, int Line);
