using System.Globalization;

namespace FreeSwitchSim.Switch;

internal sealed partial class ApiCommands
{
    private const string NoSuchChannel = "-ERR No such channel!\n";

    private string UuidBridge(string? args)
    {
        var p = Split(args);
        return p.Length < 2 ? "-USAGE: <uuid> <other_uuid>\n" : _engine.UuidBridge(p[0], p[1]);
    }

    private string UuidKill(string? args)
    {
        var p = Split(args);
        if (p.Length == 0 || _engine.Find(p[0]) is not { } c)
        {
            return NoSuchChannel;
        }
        _engine.Hangup(c, CallEngine.NormalizeCause(p.Length > 1 ? p[1] : null), remote: false);
        return "+OK\n";
    }

    private string UuidAnswer(string? args)
    {
        var p = Split(args);
        if (p.Length == 0 || _engine.Find(p[0]) is not { } c)
        {
            return NoSuchChannel;
        }
        if (c.Direction == "outbound" && !c.Answered)
        {
            // An outbound leg is answered by its far end, not by the switch.
            return "-ERR Cannot answer an outbound channel\n";
        }
        _engine.Answer(c);
        return "+OK\n";
    }

    /// <summary>uuid_send_dtmf: RFC 2833 towards the leg's far end; the client hears each digit.</summary>
    private string UuidSendDtmf(string? args)
    {
        var p = Split(args);
        if (p.Length < 2 || _engine.Find(p[0]) is not { } c)
        {
            return NoSuchChannel;
        }
        var spec = p[1];
        var at = spec.IndexOf('@', StringComparison.Ordinal);
        var digits = at < 0 ? spec : spec[..at];
        var ms = at < 0 ? 250 : CallEngine.ParseInt(spec[(at + 1)..], 250);
        foreach (var d in digits)
        {
            c.DigitsReceived.Add(new FreeSwitchSim.Core.ReceivedDigit(d, ms));
        }
        return $"+OK {c.Uuid} sent DTMF {spec}.\n";
    }

    /// <summary>uuid_recv_dtmf: as if the far end sent the digits; a DTMF event per digit.</summary>
    private string UuidRecvDtmf(string? args)
    {
        var p = Split(args);
        if (p.Length < 2 || _engine.Find(p[0]) is not { } c)
        {
            return NoSuchChannel;
        }
        foreach (var d in p[1])
        {
            _engine.Dtmf(c, d);
        }
        return $"+OK {c.Uuid} received DTMF {p[1]}.\n";
    }

    /// <summary>
    /// uuid_record as mod_commands.c's session_record_function answers it: start, stop, pause, resume, mask and unmask
    /// (actions compared case-insensitively); every action but start names the file the media bug records to.
    /// </summary>
    private string UuidRecord(string? args)
    {
        const string Usage = "-USAGE: <uuid> [start|stop|mask|unmask] <path> [<limit>] [<recording_vars>]\n";
        var p = Split(args);
        if (p.Length < 3)
        {
            return Usage;
        }
        if (_engine.Find(p[0]) is not { } c)
        {
            return "-ERR Cannot locate session!\n";
        }
        var path = p[2];
        return p[1].ToLowerInvariant() switch
        {
            "start" => _engine.StartRecording(c, string.Join(' ', p[2..])) ? "+OK Success\n" : "-ERR Cannot record session!\n",
            "stop" => _engine.IsRecordingTo(c, path) && _engine.StopRecording(c, "success-maxtime")
                ? "+OK Success\n" : "-ERR Cannot stop record session!\n",
            "pause" => _engine.SetRecordingFlag(c, path, "pause", true) ? "+OK Success\n" : "-ERR Cannot pause recording session!\n",
            "resume" => _engine.SetRecordingFlag(c, path, "pause", false) ? "+OK Success\n" : "-ERR Cannot resume recording session!\n",
            "mask" => _engine.SetRecordingFlag(c, path, "mask", true) ? "+OK Success\n" : "-ERR Cannot mask recording session!\n",
            "unmask" => _engine.SetRecordingFlag(c, path, "mask", false) ? "+OK Success\n" : "-ERR Cannot unmask recording session!\n",
            _ => Usage,
        };
    }

    private string UuidSetVar(string? args)
    {
        var p = (args ?? "").Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (p.Length < 2)
        {
            return "-USAGE: <uuid> <var> [value]\n";
        }
        if (_engine.Find(p[0]) is not { } c)
        {
            return NoSuchChannel;
        }
        c.Vars.Set(p[1], p.Length > 2 ? p[2] : null);
        return "+OK\n";
    }

    private string UuidGetVar(string? args)
    {
        var p = Split(args);
        if (p.Length < 2)
        {
            return "-USAGE: <uuid> <var>\n";
        }
        if (_engine.Find(p[0]) is not { } c)
        {
            return NoSuchChannel;
        }
        return c.Vars.Get(p[1]) ?? "_undef_";
    }

    /// <summary>uuid_dump: a CHANNEL_DATA event (it takes a sequence number) printed plain or as JSON.</summary>
    private string UuidDump(string? args)
    {
        var p = Split(args);
        if (p.Length == 0 || _engine.Find(p[0]) is not { } c)
        {
            return NoSuchChannel;
        }
        var e = _engine.Bus.NewEvent("CHANNEL_DATA", null, "mod_commands.c", "uuid_dump_function", 6468);
        ChannelEvents.AppendChannelData(e, c, vars: true);
        return p.Length > 1 && p[1] == "json" ? EventText.Json(e) : EventText.Plain(e);
    }

    private static string Num(long v) => v.ToString(CultureInfo.InvariantCulture);
}
