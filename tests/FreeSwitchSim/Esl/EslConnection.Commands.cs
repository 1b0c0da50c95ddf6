using System.Text;

namespace FreeSwitchSim.Esl;

/// <summary>parse_command: the command table in FreeSWITCH's order (prefix matches, case-insensitive).</summary>
internal sealed partial class EslConnection
{
    private bool _authed;

    /// <summary>Runs one command; false ends the listener (exit, failed auth), which then says goodbye.</summary>
    private async Task<bool> HandleCommandAsync(EslCommand c, CancellationToken token)
    {
        var result = await DispatchAsync(c, token).ConfigureAwait(false);
        var suppress = _suppressNextReply;
        _suppressNextReply = false;
        if (result.Frame is not null && !suppress)
        {
            await WriteAsync(result.Frame, token).ConfigureAwait(false);
        }
        return result.KeepRunning;
    }

    private async Task<CommandResult> DispatchAsync(EslCommand c, CancellationToken token)
    {
        if (c.Is("exit") || c.Is("..."))
        {
            return CommandResult.Stop("+OK bye");
        }
        if (!_authed)
        {
            return Authenticate(c);
        }
        if (c.Is("filter "))
        {
            return Reply(FilterCommand(c.Line[7..]));
        }
        if (_sessionUuid is not null && c.Is("resume"))
        {
            return Reply(Resume());
        }
        if (_sessionUuid is not null || c.Is("myevents "))
        {
            if (c.Is("connect"))
            {
                await ConnectAsync(token).ConfigureAwait(false);
                return CommandResult.None;
            }
            if (c.Is("getvar"))
            {
                return Reply(GetVar(c.Line));
            }
            if (c.Is("myevents"))
            {
                return Reply(MyEvents(c.Line));
            }
        }
        if (c.Is("divert_events"))
        {
            return Reply(DivertEvents(c.Line[13..]));
        }
        if (c.Is("sendmsg"))
        {
            return Reply(SendMsg(c));
        }
        if (_outbound && !_full)
        {
            // Without "full" an outbound socket stops here: everything below is "command not found".
            return Reply("");
        }
        if (c.Is("sendevent"))
        {
            return Reply(SendEvent(c));
        }
        if (c.Is("api "))
        {
            await ApiAsync(c.Line[4..], token).ConfigureAwait(false);
            return CommandResult.None;
        }
        if (c.Is("bgapi "))
        {
            return Raw(BgApi(c));
        }
        return Reply(OtherCommand(c));
    }

    private CommandResult Authenticate(EslCommand c)
    {
        if (c.Is("auth "))
        {
            if (string.Equals(c.Line[5..], _options.Password, StringComparison.Ordinal))
            {
                _authed = true;
                return Reply("+OK accepted");
            }
            return CommandResult.Stop("-ERR invalid");
        }
        if (c.Is("userauth "))
        {
            return UserAuth(c.Line[9..]);
        }
        // Before auth anything else is "command not found" and the connection stays open.
        return Reply("");
    }

    // userauth user@domain:pass against the directory's esl-password; success lists the grants.
    private CommandResult UserAuth(string arg)
    {
        var at = arg.IndexOf('@', StringComparison.Ordinal);
        var user = at < 0 ? arg : arg[..at];
        var rest = at < 0 ? null : arg[(at + 1)..];
        string? pass = null;
        string? domain = rest;
        if (rest is not null && rest.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
        {
            domain = rest[..colon];
            pass = rest[(colon + 1)..];
        }
        if (user.IndexOf(':', StringComparison.Ordinal) is var ucolon and >= 0)
        {
            pass = user[(ucolon + 1)..];
            user = user[..ucolon];
        }
        if (user.Length == 0 || string.IsNullOrEmpty(domain) || string.IsNullOrEmpty(pass)
            || !_options.UserAuth.TryGetValue($"{user}@{domain}", out var expected)
            || !string.Equals(expected, pass, StringComparison.Ordinal))
        {
            return CommandResult.Stop("-ERR invalid");
        }
        _authed = true;
        return Raw("Reply-Text: +OK accepted\nAllowed-Events: all\nAllowed-API: all\nAllowed-LOG: true\n\n");
    }

    private string OtherCommand(EslCommand c)
    {
        if (c.Is("log"))
        {
            return LogCommand(c.Line[3..]);
        }
        if (c.Is("linger"))
        {
            return Linger(c.Line);
        }
        if (c.Is("nolinger"))
        {
            return NoLinger();
        }
        if (c.Is("nolog"))
        {
            lock (_gate)
            {
                var was = _log;
                _log = false;
                return was ? "+OK no longer logging" : "-ERR not loging";
            }
        }
        if (c.Is("event"))
        {
            return EventCommand(c.Line);
        }
        if (c.Is("nixevent"))
        {
            return NixEvent(c.Line);
        }
        if (c.Is("noevents"))
        {
            return NoEvents();
        }
        return "";
    }

    private string LogCommand(string rest)
    {
        var levelText = rest.TrimStart(' ');
        var space = levelText.IndexOf(' ', StringComparison.Ordinal);
        if (space >= 0)
        {
            levelText = levelText[..space];
        }
        var level = levelText.Length == 0 ? LogLevels.Debug : LogLevels.Parse(levelText);
        if (level == LogLevels.Invalid)
        {
            return "-ERR invalid log level";
        }
        lock (_gate)
        {
            _logLevel = level;
            _log = true;
        }
        return $"+OK log level {levelText} [{level}]";
    }

    private static CommandResult Reply(string text) => new(WireText.Reply(text.Length == 0 ? "-ERR command not found" : text), true);

    private static CommandResult Raw(string rest) => new(WireText.RawReply(rest), true);

    private readonly record struct CommandResult(byte[]? Frame, bool KeepRunning)
    {
        public static CommandResult None => new(null, true);

        public static CommandResult Stop(string replyText) => new(WireText.Reply(replyText), false);

        public override string ToString() => Frame is null ? "" : Encoding.UTF8.GetString(Frame);
    }
}
