using System.Globalization;
using FreeSwitchSim.Core;

namespace FreeSwitchSim.Switch;

/// <summary>
/// Stamps the core headers every FreeSWITCH event carries (switch_event.c, switch_event_prep_for_delivery) and
/// fires events one at a time, so that Event-Sequence order is delivery order.
/// </summary>
internal sealed class EventBus
{
    private readonly SimSwitchOptions _options;
    private readonly TimeProvider _clock;
    private long _sequence;
    private volatile DateStrings? _dates;

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

    public event Action<SimEvent>? EventFired;

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

    /// <summary>Delivers under the switch lock: handlers run synchronously in firing order.</summary>
    public void Fire(SimEvent e)
    {
        lock (Sync)
        {
            EventFired?.Invoke(e);
        }
    }

    /// <summary>Builds and fires in one step, sequence taken under the lock so numbering is delivery order.</summary>
    public SimEvent Fire(string name, string? subclass, CallSite site, Action<SimEvent>? fill) =>
        Fire(name, subclass, site, 0, fill);

    /// <summary>As above, the event made with room for <paramref name="capacity"/> headers.</summary>
    public SimEvent Fire(string name, string? subclass, CallSite site, int capacity, Action<SimEvent>? fill)
    {
        lock (Sync)
        {
            var e = NewEvent(name, subclass, site.File, site.Function, site.Line, capacity);
            fill?.Invoke(e);
            EventFired?.Invoke(e);
            return e;
        }
    }
}

/// <summary>Event-Calling-File / -Function / -Line-Number of an event, as real FreeSWITCH 1.10.12 reports them.</summary>
internal readonly record struct CallSite(string File, string Function, int Line);
