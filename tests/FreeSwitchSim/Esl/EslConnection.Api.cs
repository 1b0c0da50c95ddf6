using FreeSwitchSim.Core;

namespace FreeSwitchSim.Esl;

/// <summary>api, bgapi, sendevent, sendmsg: the commands that reach into the switch.</summary>
internal sealed partial class EslConnection
{
    // api_exec, foreground: runs on the listener's own loop, so nothing else is written until it returns.
    private async Task ApiAsync(string apiLine, CancellationToken token)
    {
        var (cmd, arg) = SplitApi(apiLine);
        var reply = await RunApiAsync(cmd, arg, token).ConfigureAwait(false);
        if (reply.Length == 0)
        {
            reply = "-ERR no reply\n";
        }
        await WriteAsync(WireText.ApiResponse(reply), token).ConfigureAwait(false);
    }

    // bgapi: the reply carries the Job-UUID (the client's own "Job-UUID" header, any case, is honoured);
    // the result comes later as a BACKGROUND_JOB event fired to every subscribed listener.
    private string BgApi(EslCommand c)
    {
        var (cmd, arg) = SplitApi(c.Line[6..]);
        var jobUuid = c.Header("job-uuid");
        if (string.IsNullOrEmpty(jobUuid))
        {
            jobUuid = Guid.NewGuid().ToString();
        }
        var owner = _sessionUuid;
        _ = Task.Run(() => RunBackgroundJobAsync(jobUuid, owner, cmd, arg));
        return $"Reply-Text: +OK Job-UUID: {jobUuid}\nJob-UUID: {jobUuid}\n\n";
    }

    private async Task RunBackgroundJobAsync(string jobUuid, string? owner, string cmd, string? arg)
    {
        var reply = await RunApiAsync(cmd, arg, CancellationToken.None).ConfigureAwait(false);
        var e = _core.NewEvent("BACKGROUND_JOB", null, "mod_event_socket.c", "api_exec", 1572);
        e.Add("Job-UUID", jobUuid);
        if (owner is not null)
        {
            e.Add("Job-Owner-UUID", owner);
        }
        e.Add("Job-Command", cmd);
        if (!string.IsNullOrEmpty(arg))
        {
            // An empty value never becomes a header in FreeSWITCH (switch_event_add_header_string).
            e.Add("Job-Command-Arg", arg);
        }
        e.Body = reply;
        _core.Fire(e);
    }

    private async Task<string> RunApiAsync(string cmd, string? arg, CancellationToken token)
    {
        try
        {
            return await _core.ExecuteApiAsync(cmd, arg, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ApiFailed(_logger, cmd, ex);
            return $"-ERR {cmd} Command not found!\n";
        }
    }

    private static (string Cmd, string? Arg) SplitApi(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (line, null) : (line[..space], line[(space + 1)..]);
    }

    // sendevent NAME: Command, the command's own headers become the event, then Event-UUID, then (for CUSTOM) the
    // Event-Subclass moved to the end, then the core headers (switch_event_prep_for_delivery); the reply names the
    // new event's Event-UUID. An event naming a live channel in Unique-ID is queued to that session instead.
    private string SendEvent(EslCommand c)
    {
        var eventUuid = Guid.NewGuid().ToString();
        var requested = c.Line.Length > 9 ? c.Line[9..].TrimStart(' ', '\t') : "";
        var name = EventNames.Lookup(requested) ?? "CLONE";
        var subclass = name == EventNames.Custom ? c.Header("Event-Subclass") : null;
        var core = _core.NewEvent(name, subclass, "mod_event_socket.c", "parse_command", 2275);
        var e = new SimEvent(name, subclass);
        // read_packet stores the command line itself as the first header, "Command".
        e.Add("Command", c.Line);
        foreach (var h in c.Headers)
        {
            if (subclass is not null && string.Equals(h.Key, "Event-Subclass", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            e.Add(h.Key, h.Value);
        }
        e.Add("Event-UUID", eventUuid);
        if (subclass is not null)
        {
            e.Add("Event-Subclass", subclass);
        }
        foreach (var h in core.Headers)
        {
            if (!string.Equals(h.Key, "Event-Subclass", StringComparison.OrdinalIgnoreCase))
            {
                e.Add(h.Key, h.Value);
            }
        }
        e.Body = c.Body;
        var target = c.Header("unique-id");
        if (target is null || !_core.ChannelExists(target))
        {
            _core.Fire(e);
        }
        return $"+OK {eventUuid}";
    }

    // sendmsg [<uuid>]: the uuid from the line, else a "session-id" header, else the controlled session.
    private string SendMsg(EslCommand c)
    {
        var uuid = c.Line.Length > 7 ? c.Line[7..].TrimStart(' ') : "";
        if (uuid.Length == 0)
        {
            uuid = c.Header("session-id") ?? "";
        }
        if (uuid.Length == 0 && _sessionUuid is not null)
        {
            uuid = _sessionUuid;
        }
        if (uuid.Length == 0)
        {
            return "-ERR invalid session id []";
        }
        var headers = c.Headers.ToList();
        return _core.SendMessage(uuid, headers, c.Body);
    }
}
