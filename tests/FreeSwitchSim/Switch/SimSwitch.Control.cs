using FreeSwitchSim.Core;

namespace FreeSwitchSim.Switch;

public sealed partial class SimSwitch
{
    public Task<bool> LoginAsync(string user, string password, CancellationToken cancellationToken) =>
        _verto.LoginAsync(user, password, null, cancellationToken);

    public Task<bool> LoginAsync(string user, string password, IReadOnlyDictionary<string, string>? userVariables, CancellationToken cancellationToken) =>
        _verto.LoginAsync(user, password, userVariables, cancellationToken);

    public void Logout(string user) => _verto.Logout(user);

    public string PlaceCall(string user, string destination, CallOptions? options = null) =>
        _verto.PlaceCall(user, destination, options);

    /// <summary>A SIP caller on the external profile (context public) INVITEs <paramref name="destination"/>,
    /// as the captures' sipp callers did. Returns the leg's UUID.</summary>
    public string PlaceSipCall(string user, string displayName, string destination, string? uuid = null)
    {
        lock (_engine.Sync)
        {
            return _engine.CreateSipCaller(user, displayName, destination, uuid).Uuid;
        }
    }

    public void Answer(string uuid)
    {
        lock (_engine.Sync)
        {
            if (_engine.Find(uuid) is { } c)
            {
                // The client (or far end) answers: for an outbound leg that is the 200 OK / verto.answer.
                if (c.Direction == "outbound")
                {
                    _engine.RemoteAnswer(c);
                }
                else
                {
                    _engine.Answer(c);
                }
            }
        }
    }

    public void Hangup(string uuid, string? cause = null)
    {
        lock (_engine.Sync)
        {
            if (_engine.Find(uuid) is not { } c)
            {
                return;
            }
            if (c.Answered)
            {
                _engine.Hangup(c, CallEngine.NormalizeCause(cause), remote: true);
            }
            else if (c.Direction == "inbound")
            {
                // The caller gives up before answer: CANCEL, 487 Request Terminated.
                _engine.Hangup(c, "ORIGINATOR_CANCEL", remote: true, "487", "Request Terminated");
            }
            else
            {
                var why = cause is null ? "CALL_REJECTED" : CallEngine.NormalizeCause(cause);
                _engine.Hangup(c, why, remote: true, why == "USER_BUSY" ? "486" : "603", why == "USER_BUSY" ? "Busy Here" : "Decline");
            }
        }
    }

    public void PressDigits(string uuid, string digits)
    {
        lock (_engine.Sync)
        {
            if (_engine.Find(uuid) is { } c)
            {
                foreach (var d in digits)
                {
                    _engine.Dtmf(c, d);
                }
            }
        }
    }

    public IReadOnlyList<ChannelSnapshot> Channels()
    {
        lock (_engine.Sync)
        {
            return _engine.Channels.Values.Select(c => c.Snapshot()).ToArray();
        }
    }

    public ChannelSnapshot? Channel(string uuid)
    {
        lock (_engine.Sync)
        {
            return _engine.Find(uuid)?.Snapshot();
        }
    }

    public void SetGatewayRules(string gateway, IReadOnlyList<GatewayRule> rules) => _engine.Gateways.SetRules(gateway, rules);

    /// <summary>
    /// FreeSWITCH restarts: every leg ends with SYSTEM_SHUTDOWN without an event reaching a listener (they were told
    /// the system is shutting down), and mod_json_cdr, going down too, spools those legs' CDRs; Core-UUID and
    /// counters start again, and the spool (those CDRs and any older ones) is re-sent once the switch is back.
    /// (A modelling choice: a crash would lose the live legs' CDRs; an orderly restart hangs them up and reports them.)
    /// </summary>
    public void Restart()
    {
        lock (_engine.Sync)
        {
            foreach (var c in _engine.Channels.Values)
            {
                // A leg in its reporting state has its CDR on the way already (that POST delivers or spools it).
                if (!c.ReportingCdr)
                {
                    _engine.EndForShutdown(c);
                    _cdr.Spool(c, _engine.Bus.CoreUuid);
                }
                c.Destroyed = true;
                foreach (var t in c.Timers)
                {
                    t.Dispose();
                }
            }
            _engine.Channels.Clear();
            _engine.Bus.Restart();
            _engine.SessionCounter = 0;
            _engine.SessionsSinceStartup = 0;
            _engine.PeakSessions = 0;
            _engine.Conferences = new Conferences(_engine);
            _verto.Reset();
            _heartbeat.Start();
        }
        _ = Task.Run(() => FlushCdrSpoolAsync(CancellationToken.None));
    }

    /// <summary>sendmsg: execute / hangup / unicast / nomedia for a channel (mod_event_socket parse_command).</summary>
    public string SendMessage(string uuid, IReadOnlyList<KeyValuePair<string, string>> headers, string? body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        string? H(string name) => headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        lock (_engine.Sync)
        {
            if (_engine.Find(uuid) is not { } c)
            {
                return $"-ERR invalid session id [{uuid}]";
            }
            switch (H("call-command")?.ToLowerInvariant())
            {
                case "execute":
                    var name = H("execute-app-name");
                    if (string.IsNullOrEmpty(name))
                    {
                        return "-ERR missing execute-app-name";
                    }
                    var arg = H("execute-app-arg") ?? (string.IsNullOrEmpty(body) ? null : body.TrimEnd('\n'));
                    var loops = CallEngine.ParseInt(H("loops") ?? "1", 1);
                    for (var i = 0; i < Math.Max(1, loops); i++)
                    {
                        c.Pending.Enqueue(new AppCall(name, arg, H("event-uuid"), false, loops));
                    }
                    _engine.RunApps(c);
                    return "+OK";
                case "hangup":
                    _engine.Hangup(c, CallEngine.NormalizeCause(H("hangup-cause")), remote: false);
                    return "+OK";
                default:
                    return "+OK";
            }
        }
    }
}
