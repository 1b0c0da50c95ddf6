namespace FreeSwitchSim.Esl;

/// <summary>event, nixevent, noevents, filter, myevents: the subscription commands of parse_command.</summary>
internal sealed partial class EslConnection
{
    // "event [plain|json|xml] NAME ... [CUSTOM sub ...]": unknown names are skipped; after CUSTOM every word is
    // a subclass; without any known name the reply is "-ERR no keywords supplied" (format still changes).
    private string EventCommand(string line)
    {
        var words = Words(line);
        var keys = 0;
        var custom = false;
        lock (_gate)
        {
            for (var i = 0; i < words.Count; i++)
            {
                var w = words[i];
                if (i == 0 && TryFormat(w, out var format))
                {
                    _format = format;
                    continue;
                }
                if (custom)
                {
                    _subclasses.Add(w);
                    continue;
                }
                var name = EventNames.Lookup(w);
                if (name is null)
                {
                    continue;
                }
                keys++;
                if (name == EventNames.All)
                {
                    _allEvents = true;
                    _allCustom = true;
                    _nixedSubclasses.Clear();
                }
                _eventNames.Add(name);
                custom |= name == EventNames.Custom;
            }
            if (keys == 0)
            {
                return "-ERR no keywords supplied";
            }
            _eventsOn = true;
            return $"+OK event listener enabled {EventSerializer.FormatName(_format)}";
        }
    }

    private string NixEvent(string line)
    {
        var keys = 0;
        var custom = false;
        lock (_gate)
        {
            foreach (var w in Words(line))
            {
                if (custom)
                {
                    _subclasses.Remove(w);
                    _nixedSubclasses.Add(w);
                    continue;
                }
                var name = EventNames.Lookup(w);
                if (name is null)
                {
                    continue;
                }
                keys++;
                if (name == EventNames.Custom)
                {
                    custom = true;
                }
                else if (name == EventNames.All)
                {
                    _allEvents = false;
                    _eventNames.Clear();
                }
                else
                {
                    if (_allEvents)
                    {
                        // Leaving ALL: every single event stays on except the one nixed.
                        _allEvents = false;
                        _eventNames.UnionWith(EventNames.Known.Where(n => n != EventNames.All));
                    }
                    _eventNames.Remove(name);
                }
            }
            if (keys == 0)
            {
                return "-ERR no keywords supplied";
            }
            _eventsOn = true;
            return "+OK events nixed";
        }
    }

    private string NoEvents()
    {
        lock (_gate)
        {
            if (!_eventsOn)
            {
                return "-ERR not listening for events";
            }
            _eventsOn = false;
            _allEvents = false;
            _allCustom = false;
            _eventNames.Clear();
            _subclasses.Clear();
            _nixedSubclasses.Clear();
            return "+OK no longer listening for events";
        }
    }

    // "filter <header> <value>", "filter add <header> <value>", "filter delete <header> [<value>]",
    // "filter delete all". The value is everything after the first space (it may contain spaces).
    private string FilterCommand(string rest)
    {
        var headerName = rest.TrimStart(' ');
        string? headerVal = null;
        var space = headerName.IndexOf(' ', StringComparison.Ordinal);
        if (space >= 0)
        {
            headerVal = headerName[(space + 1)..];
            headerName = headerName[..space];
        }
        lock (_gate)
        {
            if (string.Equals(headerName, "delete", StringComparison.OrdinalIgnoreCase) && headerVal is not null)
            {
                headerName = headerVal;
                headerVal = null;
                space = headerName.IndexOf(' ', StringComparison.Ordinal);
                if (space >= 0)
                {
                    headerVal = headerName[(space + 1)..];
                    headerName = headerName[..space];
                }
                if (string.Equals(headerName, "all", StringComparison.OrdinalIgnoreCase))
                {
                    _filters.Clear();
                }
                else
                {
                    var name = headerName;
                    var val = headerVal;
                    _filters.RemoveAll(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)
                        && (string.IsNullOrEmpty(val) || f.Value == val));
                }
                return $"+OK filter deleted. [{headerName}][{headerVal}]";
            }
            if (headerVal is null)
            {
                return "-ERR invalid syntax";
            }
            if (string.Equals(headerName, "add", StringComparison.OrdinalIgnoreCase))
            {
                headerName = headerVal;
                headerVal = null;
                space = headerName.IndexOf(' ', StringComparison.Ordinal);
                if (space >= 0)
                {
                    headerVal = headerName[(space + 1)..];
                    headerName = headerName[..space];
                }
            }
            if (!string.IsNullOrEmpty(headerVal))
            {
                // switch_event_add_header_string ignores an empty value, but the reply is sent all the same.
                _filters.Add(new Filter(headerName, headerVal));
            }
            return $"+OK filter added. [{headerName}]=[{headerVal ?? "(null)"}]";
        }
    }

    // myevents [<uuid> [plain|json|xml]]: inbound it names a channel (an unknown UUID still enables the events
    // unless a format follows it); the listed channel events are switched on and only that channel's pass.
    private string MyEvents(string line)
    {
        // Ask the switch before taking _gate: the switch fires events (which take _gate) under its own lock.
        var arg = line.Length > 9 ? line[9..] : "";
        var space = arg.IndexOf(' ', StringComparison.Ordinal);
        var uuid = space >= 0 ? arg[..space] : arg;
        var exists = _sessionUuid is null && _core.ChannelExists(uuid);
        lock (_gate)
        {
            if (_myEvents)
            {
                return "-ERR aready enabled.";
            }
            if (_sessionUuid is null)
            {
                if (exists)
                {
                    _sessionUuid = uuid;
                }
                else if (space >= 0)
                {
                    return "-ERR invalid uuid";
                }
                _async = true;
            }
            _eventNames.UnionWith(EventNames.MyEvents);
            _myEvents = true;
            _eventsOn = true;
            if (line.Contains("xml", StringComparison.Ordinal) || line.Contains("XML", StringComparison.Ordinal))
            {
                _format = EventFormat.Xml;
            }
            if (line.Contains("json", StringComparison.Ordinal) || line.Contains("JSON", StringComparison.Ordinal))
            {
                _format = EventFormat.Json;
            }
            return "+OK Events Enabled";
        }
    }

    private static bool TryFormat(string word, out EventFormat format)
    {
        format = EventFormat.Plain;
        if (string.Equals(word, "plain", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (string.Equals(word, "json", StringComparison.OrdinalIgnoreCase))
        {
            format = EventFormat.Json;
            return true;
        }
        if (string.Equals(word, "xml", StringComparison.OrdinalIgnoreCase))
        {
            format = EventFormat.Xml;
            return true;
        }
        return false;
    }

    // The words after the command itself, split on single spaces as strchr(cur, ' ') does.
    private static List<string> Words(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? [] : [.. line[(space + 1)..].Split(' ')];
    }
}
