using System.Text.RegularExpressions;
using FreeSwitchSim.Core;

namespace FreeSwitchSim.Esl;

/// <summary>Which events a listener gets: event_list, custom subclasses, filters, myevents (event_handler).</summary>
internal sealed partial class EslConnection
{
    // Guards the subscription and session state: commands change it on the loop, events read it on the
    // switch's threads (FreeSWITCH's filter_mutex / flag_mutex).
    private readonly object _gate = new();
    private readonly HashSet<string> _eventNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _subclasses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nixedSubclasses = new(StringComparer.Ordinal);
    private readonly List<Filter> _filters = [];
    private bool _running = true;
    private bool _eventsOn;
    private bool _allEvents;
    private bool _allCustom;
    private bool _myEvents;
    private EventFormat _format = EventFormat.Plain;
    private bool _log;
    private int _logLevel;

    private bool IsLogging
    {
        get
        {
            lock (_gate)
            {
                return _log;
            }
        }
    }

    /// <summary>event_handler for this listener: match, then enqueue or count a lost event.</summary>
    public void Offer(SimEvent e)
    {
        var down = DownPosition.None;
        lock (_gate)
        {
            if (!_running)
            {
                return;
            }
            down = ChannelDownPosition(e);
            if (down == DownPosition.Before)
            {
                Post(ChannelDown.Instance);
            }
            if (Matches(e))
            {
                Enqueue(e);
            }
            if (down == DownPosition.After)
            {
                Post(ChannelDown.Instance);
            }
        }
    }

    /// <summary>
    /// Whether this listener may send an event of this name, for a switch deciding whether to build it at all: its
    /// subscriptions (event names, CUSTOM subclasses, myevents), not its filters or myevents' channel match, which
    /// only narrow them further. A connection that controls a channel watches every event until it sees the channel
    /// go down (<see cref="ChannelDownPosition"/>), whatever it subscribed to.
    /// </summary>
    public bool MayWant(string name, string? subclass)
    {
        lock (_gate)
        {
            if (!_running)
            {
                return false;
            }
            if (_sessionUuid is not null && !_channelDownSeen)
            {
                return true;
            }
            if (!_eventsOn)
            {
                return false;
            }
            if (_allEvents)
            {
                return true;
            }
            return _eventNames.Contains(name)
                && (name != EventNames.Custom || subclass is null
                    || _subclasses.Contains(subclass) || (_allCustom && !_nixedSubclasses.Contains(subclass)));
        }
    }

    public void OfferLog(SimLogLine line)
    {
        lock (_gate)
        {
            if (!_running || !_log || _logLevel < line.Level)
            {
                return;
            }
        }
        if (Interlocked.Increment(ref _queuedLogs) > _options.EventQueueCapacity)
        {
            Interlocked.Decrement(ref _queuedLogs);
            if (Interlocked.Increment(ref _lostLogs) > _options.MaxMissedEvents)
            {
                Kill(WireText.LostLogs);
            }
            return;
        }
        Interlocked.Exchange(ref _lostLogs, 0);
        Post(new QueuedLog(line));
    }

    private void Enqueue(SimEvent e)
    {
        if (Interlocked.Increment(ref _queuedEvents) > _options.EventQueueCapacity)
        {
            Interlocked.Decrement(ref _queuedEvents);
            var lost = Interlocked.Increment(ref _lostEvents);
            Log.EventLost(_logger, Remote, lost);
            if (lost > _options.MaxMissedEvents)
            {
                _running = false;
                Kill(WireText.LostEvents);
            }
            return;
        }
        Interlocked.Exchange(ref _lostEvents, 0);
        Post(new QueuedEvent(e));
    }

    private bool Matches(SimEvent e)
    {
        if (!_eventsOn)
        {
            return false;
        }
        var send = _allEvents;
        if (!send && _eventNames.Contains(e.Name))
        {
            var subclass = e.Subclass ?? e.Get("Event-Subclass");
            send = e.Name != EventNames.Custom || subclass is null
                || _subclasses.Contains(subclass) || (_allCustom && !_nixedSubclasses.Contains(subclass));
        }
        if (send && _filters.Count > 0)
        {
            send = PassesFilters(e);
        }
        if (send && _myEvents)
        {
            var uuid = e.Get("unique-id");
            if (uuid is null || (_sessionUuid is not null && uuid != _sessionUuid))
            {
                send = false;
            }
            // A bgapi started from this session comes back to it (Job-Owner-UUID).
            if (_sessionUuid is not null && e.Get("Job-Owner-UUID") == _sessionUuid)
            {
                send = true;
            }
        }
        return send;
    }

    // The filter loop of event_handler: after the first filter only matching events pass; a value starting
    // with '-' denies; a value starting with '/' is a regex; otherwise a case-insensitive comparison. An event
    // without the filtered header does not match (so filter Unique-ID swallows BACKGROUND_JOB).
    private bool PassesFilters(SimEvent e)
    {
        var send = false;
        foreach (var f in _filters)
        {
            var hval = e.Get(f.Name);
            if (hval is null)
            {
                continue;
            }
            if (send && f.Positive)
            {
                continue;
            }
            var cmp = f.Regex is not null ? SafeIsMatch(f.Regex, hval) : string.Equals(hval, f.Compare, StringComparison.OrdinalIgnoreCase);
            if (cmp)
            {
                if (f.Positive)
                {
                    send = true;
                }
                else
                {
                    return false;
                }
            }
        }
        return send;
    }

    private static bool SafeIsMatch(Regex regex, string value)
    {
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private enum DownPosition
    {
        None,
        Before,
        After,
    }

    // read_packet notices switch_channel_down() on the controlled channel while it polls; in the capture that
    // lands after CHANNEL_STATE CS_REPORTING and before CHANNEL_HANGUP_COMPLETE, so we place it there.
    private DownPosition ChannelDownPosition(SimEvent e)
    {
        if (_sessionUuid is null || _channelDownSeen || e.UniqueId != _sessionUuid)
        {
            return DownPosition.None;
        }
        if (e.Name is "CHANNEL_HANGUP_COMPLETE" or "CHANNEL_DESTROY")
        {
            _channelDownSeen = true;
            return DownPosition.Before;
        }
        if (e.Name == "CHANNEL_STATE" && e.Get("Channel-State") is "CS_REPORTING" or "CS_DESTROY")
        {
            _channelDownSeen = true;
            return DownPosition.After;
        }
        return DownPosition.None;
    }

    private sealed class Filter
    {
        public Filter(string name, string value)
        {
            Name = name;
            Value = value;
            var i = 0;
            var positive = true;
            while (i < value.Length && value[i] is '+' or '-' or ' ')
            {
                positive = value[i] switch { '+' => true, '-' => false, _ => positive };
                i++;
            }
            Positive = positive;
            Compare = value[i..];
            if (value.StartsWith('/'))
            {
                Regex = BuildRegex(value);
            }
        }

        public string Name { get; }

        public string Value { get; }

        public bool Positive { get; }

        public string Compare { get; }

        public Regex? Regex { get; }

        // switch_regex_perform: "/pattern/flags" with i (caseless) and s (dotall); a missing closing '/' or a
        // pattern that does not compile never matches.
        private static Regex BuildRegex(string value)
        {
            var body = value[1..];
            var close = body.LastIndexOf('/');
            if (close < 0)
            {
                return new Regex("(?!)", RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            var options = RegexOptions.CultureInvariant;
            var flags = body[(close + 1)..];
            if (flags.Contains('i', StringComparison.Ordinal))
            {
                options |= RegexOptions.IgnoreCase;
            }
            if (flags.Contains('s', StringComparison.Ordinal))
            {
                options |= RegexOptions.Singleline;
            }
            try
            {
                return new Regex(body[..close], options, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException)
            {
                return new Regex("(?!)", RegexOptions.None, TimeSpan.FromSeconds(1));
            }
        }
    }
}
