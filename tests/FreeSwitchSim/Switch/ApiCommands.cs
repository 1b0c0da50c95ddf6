using System.Globalization;

namespace FreeSwitchSim.Switch;

/// <summary>
/// mod_commands (and friends) as <c>api</c> runs them: each returns the exact response body FreeSWITCH writes,
/// byte-exact to the captures where they show it (newline or not included).
/// </summary>
internal sealed partial class ApiCommands
{
    private readonly CallEngine _engine;
    private readonly Heartbeat _heartbeat;

    public ApiCommands(CallEngine engine, Heartbeat heartbeat)
    {
        _engine = engine;
        _heartbeat = heartbeat;
    }

    public Task<string> ExecuteAsync(string command, string? args, CancellationToken cancellationToken)
    {
        command = command.Trim();
        args = string.IsNullOrWhiteSpace(args) ? null : args.Trim();
        if (command == "expand" && args is not null)
        {
            // expand runs the expanded command line (verto-ring-user: expand originate ...${verto_contact(...)}).
            string expanded;
            lock (_engine.Sync)
            {
                FireApiEvent(command, args);
                expanded = _engine.Expand(null, args);
            }
            var space = expanded.IndexOf(' ', StringComparison.Ordinal);
            return space < 0 ? ExecuteAsync(expanded, null, cancellationToken) : ExecuteAsync(expanded[..space], expanded[(space + 1)..], cancellationToken);
        }
        if (command == "originate")
        {
            FireApiEvent(command, args);
            return OriginateAsync(args ?? "", cancellationToken);
        }
        lock (_engine.Sync)
        {
            FireApiEvent(command, args);
            return Task.FromResult(Run(command, args));
        }
    }

    /// <summary>The core fires an API event for every api command (switch_api_execute).</summary>
    private void FireApiEvent(string command, string? args) =>
        _engine.Bus.Fire("API", null, CallSites.Api, e =>
        {
            e.Add("API-Command", command);
            if (args is not null)
            {
                e.Add("API-Command-Argument", args);
            }
        });

    private string Run(string command, string? args)
    {
        switch (command)
        {
            case "status":
                return Status();
            case "eval":
                return _engine.Expand(null, args ?? "");
            case "hostname":
                return _engine.Options.Hostname;
            case "global_getvar":
                return GlobalGetVar(args);
            case "version":
                return $"FreeSWITCH Version {Heartbeat.Version} (git a88d069 2024-08-02 21:02:27Z 64bit)\n";
            case "reloadxml":
                return "+OK [Success]\n";
            case "hupall":
                return HupAll(args);
            case "show":
                return Show(args ?? "");
            case "conference":
                return _engine.Conferences.Api(args ?? "");
            case "uuid_bridge":
                return UuidBridge(args);
            case "uuid_kill":
                return UuidKill(args);
            case "uuid_answer":
                return UuidAnswer(args);
            case "uuid_send_dtmf":
                return UuidSendDtmf(args);
            case "uuid_recv_dtmf":
                return UuidRecvDtmf(args);
            case "uuid_record":
                return UuidRecord(args);
            case "uuid_setvar":
                return UuidSetVar(args);
            case "uuid_setvar_multi":
                return UuidSetVarMulti(args);
            case "uuid_getvar":
                return UuidGetVar(args);
            case "uuid_exists":
                return args is not null && _engine.Find(args.Split(' ')[0]) is not null ? "true" : "false";
            case "uuid_dump":
                return UuidDump(args);
            default:
                return $"-ERR {command} Command not found!\n";
        }
    }

    private string Status()
    {
        var e = _engine;
        var count = e.Channels.Count;
        var sb = new System.Text.StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"UP {_heartbeat.UpTime()}\n");
        sb.Append("FreeSWITCH (Version 1.10.12-release git a88d069 2024-08-02 21:02:27Z 64bit) is ready\n");
        sb.Append(CultureInfo.InvariantCulture, $"{e.SessionsSinceStartup} session(s) since startup\n");
        sb.Append(CultureInfo.InvariantCulture, $"{count} session(s) - peak {e.PeakSessions}, last 5min {e.PeakSessions} \n");
        sb.Append("0 session(s) per Sec out of max 30, peak 0, last 5min 0 \n");
        sb.Append(CultureInfo.InvariantCulture, $"{e.Options.MaxSessions} session(s) max\n");
        sb.Append("min idle cpu 0.00/99.73\n");
        sb.Append("Current Stack Size/Max 240K/8192K\n");
        return sb.ToString();
    }

    /// <summary>
    /// global_getvar NAME: the global variable's value, no newline (mod_commands writes it with "%s"). Only the
    /// variables the core sets at start are modelled: core_uuid (new on every start), hostname, switch_serial is not.
    /// Without a name FreeSWITCH lists every global as NAME=VALUE lines.
    /// </summary>
    private string GlobalGetVar(string? args)
    {
        var globals = new List<KeyValuePair<string, string>>
        {
            new("hostname", _engine.Options.Hostname),
            new("core_uuid", _engine.Bus.CoreUuid),
        };
        if (args is null)
        {
            return string.Concat(globals.Select(kv => $"{kv.Key}={kv.Value}\n"));
        }
        return globals.FirstOrDefault(kv => kv.Key == args.Split(' ')[0]).Value ?? "";
    }

    private string HupAll(string? args)
    {
        var cause = CallEngine.NormalizeCause(args?.Split(' ')[0] ?? "MANAGER_REQUEST");
        foreach (var c in _engine.Channels.Values.ToArray())
        {
            _engine.Hangup(c, cause, remote: false);
        }
        return $"+OK hangup all channels with cause {cause}\n";
    }

    private static string[] Split(string? args) => (args ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
