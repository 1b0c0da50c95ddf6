namespace FreeSwitchSim.Switch;

internal sealed partial class CallEngine
{
    /// <summary>
    /// Runs what the leg has to run: queued sendmsg apps first (inside park, as switch_ivr_park's loop does),
    /// then the rest of the dialplan extension; an exhausted extension hangs the leg up (NORMAL_CLEARING).
    /// </summary>
    public void RunApps(Channel c)
    {
        while (!c.HangingUp && !c.Destroyed)
        {
            var top = c.Running.Count > 0 ? c.Running[^1] : null;
            if (top is not null && !top.ParkLoop)
            {
                return;
            }
            if (c.Pending.Count > 0)
            {
                Exec(c, c.Pending.Dequeue());
                continue;
            }
            if (top is not null || c.BridgedTo is not null || c.RunningState is not ("CS_EXECUTE"))
            {
                return;
            }
            if (c.DialplanApps.Count > 0)
            {
                Exec(c, c.DialplanApps.Dequeue());
                continue;
            }
            Hangup(c, "NORMAL_CLEARING", remote: false);
            return;
        }
    }

    /// <summary>switch_core_session_exec: CHANNEL_EXECUTE, the app, CHANNEL_EXECUTE_COMPLETE when it ends.</summary>
    public void Exec(Channel c, AppCall call)
    {
        var data = call.Data is null ? null : Expand(c, call.Data);
        var run = new RunningApp(call with { Data = data, ApplicationUuid = call.ApplicationUuid ?? Guid.NewGuid().ToString() });
        c.Vars.Set("current_application", call.Name);
        c.Vars.Set("current_application_data", data);
        c.Vars.Set("last_app", call.Name);
        c.Vars.Set("last_arg", data);
        c.AppLog.Add((call.Name, data ?? "", NowUs()));
        FireExecute(c, run.Call);
        c.Running.Add(run);
        var finished = StartApp(c, run);
        if (finished)
        {
            Complete(c, run);
        }
    }

    public void FireExecute(Channel c, AppCall call) =>
        Events.Fire(c, "CHANNEL_EXECUTE", CallSites.Execute, vars: true, trail: e =>
        {
            e.Add("Application", call.Name);
            if (call.Data is not null)
            {
                e.Add("Application-Data", call.Data);
            }
            if (call.ApplicationUuid is not null)
            {
                e.Add("Application-UUID", call.ApplicationUuid);
            }
        });

    /// <summary>Ends a running app: CHANNEL_EXECUTE_COMPLETE (and CHANNEL_UNPARK first for park).</summary>
    public void Complete(Channel c, RunningApp run)
    {
        if (!c.Running.Remove(run))
        {
            return;
        }
        if (run.ParkLoop)
        {
            Events.Fire(c, "CHANNEL_UNPARK", CallSites.Unpark, vars: true);
        }
        Events.Fire(c, "CHANNEL_EXECUTE_COMPLETE", CallSites.ExecuteComplete, vars: true, trail: e =>
        {
            e.Add("Application", run.Call.Name);
            if (run.Call.Data is not null)
            {
                e.Add("Application-Data", run.Call.Data);
            }
            e.Add("Application-Response", run.Response);
            e.Add("Application-UUID", run.Call.ApplicationUuid ?? "");
        });
        run.OnComplete?.Invoke();
        if (!c.HangingUp)
        {
            RunApps(c);
        }
    }

    /// <summary>Starts an app; returns true when it finished at once (set, answer...), false when it runs on.</summary>
    private bool StartApp(Channel c, RunningApp run)
    {
        var data = run.Call.Data ?? "";
        switch (run.Name)
        {
            case "set":
                SetVar(c, data, export: false);
                return true;
            case "export":
                SetVar(c, data, export: true);
                return true;
            case "unset":
                c.Vars.Set(data.Trim(), null);
                return true;
            case "log":
            case "info":
            case "ring_ready":
                return true;
            case "answer":
                Answer(c);
                return true;
            case "pre_answer":
                PreAnswer(c);
                return true;
            case "hangup":
                Hangup(c, NormalizeCause(data), remote: false);
                return true;
            case "park":
                run.ParkLoop = true;
                Events.Fire(c, "CHANNEL_PARK", CallSites.Park, vars: true);
                return false;
            case "sleep":
                After(c, TimeSpan.FromMilliseconds(ParseInt(data, 0)), () => Complete(c, run));
                return false;
            case "playback":
                StartPlayback(c, run, data);
                return false;
            case "bridge":
                StartBridge(c, run, data);
                return false;
            case "record_session":
                StartRecording(c, data);
                return true;
            case "stop_record_session":
                // Closed on a live channel: success-maxtime, as the captures' explicit stops show.
                StopRecording(c, "success-maxtime");
                return true;
            case "socket":
                StartSocket(c, run, data);
                return false;
            case "conference":
                Conferences.Join(c, run, data);
                return false;
            default:
                // switch_core_session_execute_application: an unknown app hangs the leg up.
                run.Response = "_none_";
                Hangup(c, "CHAN_NOT_IMPLEMENTED", remote: false);
                return true;
        }
    }

    private static void SetVar(Channel c, string data, bool export)
    {
        var eq = data.IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? data.Trim() : data[..eq].Trim();
        var value = eq < 0 ? null : data[(eq + 1)..];
        c.Vars.Set(name, value);
        if (export)
        {
            var list = c.Vars.Get("export_vars");
            if (list is null || !list.Split(',').Contains(name, StringComparer.Ordinal))
            {
                c.Vars.Set("export_vars", list is null ? name : list + "," + name);
            }
        }
    }

    private void StartPlayback(Channel c, RunningApp run, string data)
    {
        // tone_stream://%(on,off,freq);loops=N takes (on+off)*N ms; files play a nominal second.
        var ms = ToneDurationMs(data) ?? 1000;
        After(c, TimeSpan.FromMilliseconds(ms), () =>
        {
            run.Response = "FILE PLAYED";
            c.Vars.Set("playback_last_offset_pos", "0");
            c.Vars.Set("playback_seconds", (ms / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
            c.Vars.Set("playback_ms", ms.ToString(System.Globalization.CultureInfo.InvariantCulture));
            c.Vars.Set("current_application_response", "FILE PLAYED");
            Complete(c, run);
        });
    }

    public static int? ToneDurationMs(string data)
    {
        var m = System.Text.RegularExpressions.Regex.Match(data, @"%\((\d+),(\d+),[^)]*\)(?:.*loops=(-?\d+))?",
            System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        if (!m.Success)
        {
            return null;
        }
        var loops = m.Groups[3].Success ? Math.Max(1, int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture)) : 1;
        return (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            + int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)) * loops;
    }

    private void StartSocket(Channel c, RunningApp run, string data)
    {
        var parts = data.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var target = parts.Length > 0 ? parts[0] : Options.SocketTarget;
        var colon = target.LastIndexOf(':');
        var host = colon < 0 ? target : target[..colon];
        var port = colon < 0 ? 8084 : ParseInt(target[(colon + 1)..], 8084);
        var isAsync = parts.Contains("async", StringComparer.OrdinalIgnoreCase);
        var full = parts.Contains("full", StringComparer.OrdinalIgnoreCase);
        var dialer = OutboundDialer;
        if (dialer is null)
        {
            Hangup(c, "DESTINATION_OUT_OF_ORDER", remote: false);
            return;
        }
        if (isAsync)
        {
            // mod_event_socket's socket app parks the leg in async mode while the listener drives it.
            run.ParkLoop = true;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await dialer.RunOutboundAsync(c.Uuid, host, port, isAsync, full, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException or OperationCanceledException)
            {
                Log.SocketFailed(Logger, c.Uuid, ex);
            }
            lock (Sync)
            {
                Complete(c, run);
            }
        });
    }

    public static int ParseInt(string s, int fallback) =>
        int.TryParse(s.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : fallback;
}
