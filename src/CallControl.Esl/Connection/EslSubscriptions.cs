using CallControl.Esl.Commands;

namespace CallControl.Esl.Connection;

/// <summary>
/// The event, filter, myevents and log state of one socket, recorded from the commands FreeSWITCH accepted, so
/// that it can be re-applied on a new socket after a reconnect (FreeSWITCH forgets it with the socket).
/// Thread-safe.
/// </summary>
public sealed class EslSubscriptions
{
    private readonly Lock _lock = new();
    private readonly List<string> _events = [];
    private readonly List<string> _subclasses = [];
    private readonly List<string> _nixed = [];
    private readonly List<KeyValuePair<string, string>> _filters = [];
    private string? _myEvents;
    private string? _logLevel;
    private string _format = "plain";

    /// <summary>True after <c>event ... ALL</c>.</summary>
    public bool All { get; private set; }

    /// <summary>The filters in force, in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Filters
    {
        get
        {
            lock (_lock)
            {
                return [.. _filters];
            }
        }
    }

    /// <summary>Whether BACKGROUND_JOB events reach this socket given the subscriptions and filters (FreeSWITCH
    /// checks the event list first, then, once any filter exists, passes only events some filter matches).</summary>
    public bool ReceivesBackgroundJobs
    {
        get
        {
            lock (_lock)
            {
                var subscribed = (All && !_nixed.Contains("BACKGROUND_JOB")) || _events.Contains("BACKGROUND_JOB");
                return subscribed && !NeedsBackgroundJobFilterLocked();
            }
        }
    }

    /// <summary>Whether any event subscription is active.</summary>
    public bool HasEvents
    {
        get
        {
            lock (_lock)
            {
                return All || _events.Count > 0 || _subclasses.Count > 0;
            }
        }
    }

    /// <summary>True when filters exist and none lets every BACKGROUND_JOB through.</summary>
    public bool NeedsBackgroundJobFilter
    {
        get
        {
            lock (_lock)
            {
                return NeedsBackgroundJobFilterLocked();
            }
        }
    }

    /// <summary>Whether BACKGROUND_JOB is in the event list (directly or through ALL).</summary>
    public bool SubscribedToBackgroundJob
    {
        get
        {
            lock (_lock)
            {
                return (All && !_nixed.Contains("BACKGROUND_JOB")) || _events.Contains("BACKGROUND_JOB");
            }
        }
    }

    /// <summary>Whether events of this name pass the event list and the filters (filters on Event-Name only are
    /// understood; any other filter makes this false).</summary>
    public bool Receives(string eventName)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        var upper = eventName.ToUpperInvariant();
        lock (_lock)
        {
            var subscribed = (All && !_nixed.Contains(upper)) || _events.Contains(upper);
            return subscribed && (_filters.Count == 0 || _filters.Any(f =>
                f.Key.Equals("Event-Name", StringComparison.OrdinalIgnoreCase) && f.Value.Equals(upper, StringComparison.OrdinalIgnoreCase)));
        }
    }

    /// <summary>Records a command FreeSWITCH accepted. Commands that do not change subscriptions are ignored.</summary>
    public void Record(EslCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var words = command.Line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var args = words.AsSpan(1);
        lock (_lock)
        {
            switch (command.Name)
            {
                case "event" when args.Length > 0:
                    _format = args[0];
                    AddEvents(args[1..]);
                    break;
                case "nixevent":
                    NixEvents(args);
                    break;
                case "noevents":
                    All = false;
                    _events.Clear();
                    _subclasses.Clear();
                    _nixed.Clear();
                    break;
                case "filter":
                    RecordFilter(args);
                    break;
                case "myevents":
                    _myEvents = args.Length > 0 ? args[^1] : string.Empty;
                    break;
                case "log" when args.Length > 0:
                    _logLevel = args[0];
                    break;
                case "nolog":
                    _logLevel = null;
                    break;
            }
        }
    }

    /// <summary>The commands that rebuild this state on a fresh socket, in a safe order: events, then filters, then
    /// myevents, then log.</summary>
    public IReadOnlyList<EslCommand> ReplayCommands()
    {
        lock (_lock)
        {
            var commands = new List<EslCommand>();
            var encoding = _format == "json" ? EslEventEncoding.Json : EslEventEncoding.Plain;
            if (All)
            {
                commands.Add(EslCommands.Event(encoding, ["ALL"]));
                if (_nixed.Count > 0)
                {
                    commands.Add(EslCommands.NixEvent(_nixed));
                }
            }
            else if (_events.Count > 0 || _subclasses.Count > 0)
            {
                List<string> names = [.. _events];
                if (_subclasses.Count > 0)
                {
                    names.Add("CUSTOM");
                    names.AddRange(_subclasses);
                }

                commands.Add(EslCommands.Event(encoding, names));
            }

            commands.AddRange(_filters.Select(f => EslCommands.Filter(f.Key, f.Value)));
            if (_myEvents is { } uuid)
            {
                commands.Add(EslCommands.MyEvents(uuid.Length == 0 ? null : uuid));
            }

            if (_logLevel is { } level)
            {
                commands.Add(EslCommands.Log(level));
            }

            return commands;
        }
    }

    private bool NeedsBackgroundJobFilterLocked() =>
        _filters.Count > 0 && !_filters.Any(f =>
            (f.Key.Equals("Event-Name", StringComparison.OrdinalIgnoreCase) && f.Value.Equals("BACKGROUND_JOB", StringComparison.OrdinalIgnoreCase)));

    private void AddEvents(ReadOnlySpan<string> names)
    {
        // As in mod_event_socket: after the word CUSTOM, the following words are subclasses.
        var custom = false;
        foreach (var name in names)
        {
            if (custom)
            {
                AddOnce(_subclasses, name);
                continue;
            }

            var upper = name.ToUpperInvariant();
            if (upper == "ALL")
            {
                All = true;
                _nixed.Clear();
            }
            else if (upper == "CUSTOM")
            {
                custom = true;
            }
            else
            {
                AddOnce(_events, upper);
                _nixed.Remove(upper);
            }
        }
    }

    private void NixEvents(ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            var upper = name.ToUpperInvariant();
            if (upper == "ALL")
            {
                All = false;
                _events.Clear();
                _subclasses.Clear();
                _nixed.Clear();
                continue;
            }

            if (!_events.Remove(upper) && !_subclasses.Remove(name) && All)
            {
                AddOnce(_nixed, upper);
            }
        }
    }

    private void RecordFilter(ReadOnlySpan<string> args)
    {
        if (args.Length >= 2 && args[0].Equals("delete", StringComparison.OrdinalIgnoreCase))
        {
            if (args[1].Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                _filters.Clear();
                return;
            }

            var header = args[1];
            var value = args.Length > 2 ? string.Join(' ', args[2..].ToArray()) : null;
            _filters.RemoveAll(f => f.Key.Equals(header, StringComparison.OrdinalIgnoreCase) && (value is null || f.Value == value));
            return;
        }

        if (args.Length >= 1 && args[0].Equals("add", StringComparison.OrdinalIgnoreCase))
        {
            args = args[1..];
        }

        if (args.Length >= 2)
        {
            _filters.Add(new(args[0], string.Join(' ', args[1..].ToArray())));
        }
    }

    private static void AddOnce(List<string> list, string value)
    {
        if (!list.Contains(value))
        {
            list.Add(value);
        }
    }
}
