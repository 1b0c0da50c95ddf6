using FreeSwitchSim.Core;

namespace FreeSwitchSim.Esl;

/// <summary>The controlled-session side: connect, getvar, resume, divert_events, linger, and the channel going down.</summary>
internal sealed partial class EslConnection
{
    private readonly bool _outbound;
    private readonly bool _full;
    private bool _async;
    private string? _sessionUuid;
    private string? _channelName;
    private bool _linger;
    private int _lingerSeconds = -1;
    private bool _channelDownSeen;
    private ITimer? _lingerTimer;

    // connect: the channel's CHANNEL_DATA serialised plain into the envelope itself, with the reply headers
    // appended (CHANNEL_DATA keeps unique header names) and no Content-Length (outbound-socket.server.raw).
    private async Task ConnectAsync(CancellationToken token)
    {
        var uuid = _sessionUuid!;
        var data = _core.ChannelData(uuid) ?? _core.NewEvent("CHANNEL_DATA", null, "mod_event_socket.c", "parse_command", 2021);
        var e = new SimEvent("CHANNEL_DATA");
        foreach (var h in data.Headers)
        {
            var value = h.Key switch
            {
                "Event-Calling-File" => "mod_event_socket.c",
                "Event-Calling-Function" => "parse_command",
                "Event-Calling-Line-Number" => "2021",
                _ => h.Value,
            };
            SetUnique(e, h.Key, value);
        }
        SetUnique(e, "Content-Type", "command/reply");
        SetUnique(e, "Reply-Text", "+OK\n");
        SetUnique(e, "Socket-Mode", _async ? "async" : "static");
        SetUnique(e, "Control", _full ? "full" : "single-channel");
        _channelName ??= e.Get("Channel-Name");
        await WriteAsync(EventSerializer.Plain(e), token).ConfigureAwait(false);
    }

    private static void SetUnique(SimEvent e, string name, string value)
    {
        e.Headers.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
        if (value.Length > 0)
        {
            e.Add(name, value);
        }
    }

    // getvar <name>: the channel variable, or "-ERR command not found" when unset or empty.
    private string GetVar(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return "";
        }
        var name = line[(space + 1)..];
        return _core.ChannelData(_sessionUuid!)?.Get("variable_" + name) ?? "";
    }

    private string Resume()
    {
        // parse_command sets LFLAG_RESUME and the channel variable socket_resume=true.
        (_core as ISwitchChannelVariables)?.SetChannelVariable(_sessionUuid!, "socket_resume", "true");
        return "+OK";
    }

    private string DivertEvents(string rest)
    {
        if (_sessionUuid is null)
        {
            return "-ERR not controlling a session.";
        }
        var onoff = rest.TrimStart(' ');
        if (onoff.Length == 0)
        {
            return "-ERR missing value.";
        }
        return string.Equals(onoff, "on", StringComparison.OrdinalIgnoreCase) ? "+OK events diverted" : "+OK events not diverted";
    }

    // linger [secs]: without a number the listener lingers until exit (Linger-Time: -1).
    private string Linger(string line)
    {
        if (_sessionUuid is null)
        {
            return "-ERR not controlling a session";
        }
        var seconds = line.Length > 7 && line[6] == ' ' ? CommandParser.Atoi(line[7..]) : -1;
        lock (_gate)
        {
            _linger = true;
            _lingerSeconds = seconds;
        }
        return seconds != -1 ? $"+OK will linger {seconds} seconds" : "+OK will linger";
    }

    private string NoLinger()
    {
        if (_sessionUuid is null)
        {
            return "-ERR not controlling a session";
        }
        lock (_gate)
        {
            _linger = false;
        }
        return "+OK will not linger";
    }

    // The controlled channel is down: with linger, say so and keep delivering until Linger-Time runs out (or
    // exit); without, the listener ends (goodbye notice naming the session).
    private async Task<bool> OnChannelDownAsync(CancellationToken token)
    {
        bool linger;
        int seconds;
        lock (_gate)
        {
            linger = _linger;
            seconds = _lingerSeconds;
        }
        if (!linger)
        {
            return false;
        }
        var name = _channelName ?? _core.ChannelData(_sessionUuid!)?.Get("Channel-Name") ?? "";
        await WriteAsync(WireText.LingerNotice(_sessionUuid!, name, seconds), token).ConfigureAwait(false);
        if (seconds != -1)
        {
            _lingerTimer = _core.Clock.CreateTimer(_ => Post(LingerExpired.Instance), null,
                TimeSpan.FromSeconds(Math.Max(0, seconds)), Timeout.InfiniteTimeSpan);
        }
        return true;
    }

    private async Task WriteEventAsync(SimEvent e, CancellationToken token)
    {
        EventFormat format;
        lock (_gate)
        {
            if (!_eventsOn)
            {
                return;
            }
            format = _format;
        }
        if (_sessionUuid is not null && e.UniqueId == _sessionUuid)
        {
            _channelName ??= e.Get("Channel-Name");
        }
        await WriteAsync(EventSerializer.Frame(e, format), token).ConfigureAwait(false);
    }
}
