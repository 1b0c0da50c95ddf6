using System.Globalization;

namespace FreeSwitchSim.Switch;

internal sealed partial class CallEngine
{
    /// <summary>
    /// switch_channel_perform_hangup, then the leg's teardown (CS_HANGUP, CS_REPORTING, HANGUP_COMPLETE, DESTROY).
    /// <paramref name="remote"/>: the far end hung up (recv_bye / recv_cancel / recv_refuse) rather than the switch.
    /// </summary>
    public void Hangup(Channel c, string cause, bool remote, string? sipStatus = null, string? phrase = null)
    {
        if (!BeginHangup(c, cause, remote, sipStatus, phrase))
        {
            return;
        }
        FinishHangup(c);
    }

    /// <summary>Fires CHANNEL_HANGUP and tells the legs that depend on this one; false if already hanging up.</summary>
    public bool BeginHangup(Channel c, string cause, bool remote, string? sipStatus = null, string? phrase = null)
    {
        if (c.HangingUp || c.Destroyed)
        {
            return false;
        }
        c.HangingUp = true;
        c.HangupCause = cause;
        c.AnswerState = "hangup";
        c.StateNumber = Channel.NumberOf("CS_HANGUP");
        if (remote)
        {
            SetDisposition(c, remote: true);
            if (sipStatus is not null && c.IsSip)
            {
                c.Vars.Set("sip_invite_failure_status", sipStatus);
                c.Vars.Set("sip_invite_failure_phrase", phrase);
                c.Vars.Set("sip_term_status", sipStatus);
                c.Vars.Set("proto_specific_hangup_cause", "sip:" + sipStatus);
                c.Vars.Set("sip_term_cause", Q850(cause));
            }
        }
        Events.Fire(c, "CHANNEL_HANGUP", CallSites.Hangup, vars: true);
        if (c.Recording is not null)
        {
            // The media bug closes on a channel that is down: with no silence detection configured speech counts as
            // detected, so FreeSWITCH reports success-silence (switch_ivr_async.c record_callback, CLOSE).
            StopRecording(c, "success-silence");
        }
        foreach (var hook in c.HangupHooks.ToArray())
        {
            hook(c);
        }
        return true;
    }

    /// <summary>The rest of the teardown, once CHANNEL_HANGUP is out and dependants have reacted.</summary>
    public void FinishHangup(Channel c)
    {
        if (c.Destroyed || c.RunningState is "CS_HANGUP" or "CS_REPORTING" or "CS_DESTROY")
        {
            return;
        }
        for (var i = c.Running.Count - 1; i >= 0; i--)
        {
            if (i < c.Running.Count)
            {
                Complete(c, c.Running[i]);
            }
        }
        SetRunning(c, "CS_HANGUP");
        // switch_core_session_hangup_state stamps the caller profile's hangup time after the CS_HANGUP state
        // event and before the HANGUP call state (captures: Caller-Channel-Hangup-Time is 0 until then).
        c.HangupUs = NowUs();
        SetCallState(c, "HANGUP");
        c.StateNumber = Channel.NumberOf("CS_REPORTING");
        Presence(c, "CS_HANGUP", "hangup");
        if (c.Vars.Get(DispositionVar(c)) is null)
        {
            SetDisposition(c, remote: false);
        }
        SetRunning(c, "CS_REPORTING");
        SetHangupVars(c);
        // switch_core_session_reporting_state runs the on_reporting state handlers first (mod_json_cdr posts the leg's
        // CDR from there, in the session's thread, when queue-capacity is unset) and fires CHANNEL_HANGUP_COMPLETE
        // after them: the rest of the teardown waits until the CDR is delivered or spooled.
        var reported = Reporting?.Invoke(c);
        if (reported is null || reported.IsCompleted)
        {
            FinishReported(c);
            return;
        }
        c.ReportingCdr = true;
        reported.ContinueWith(_ =>
        {
            lock (Sync)
            {
                // A restart while the POST was out ended the channel with the switch (its POST still lands or spools).
                if (!c.Destroyed)
                {
                    FinishReported(c);
                }
            }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>The teardown after the leg's CDR was reported: CHANNEL_HANGUP_COMPLETE, the partner's unbridge, DESTROY.</summary>
    private void FinishReported(Channel c)
    {
        Events.Fire(c, "CHANNEL_HANGUP_COMPLETE", CallSites.HangupComplete, vars: true,
            lead: e => e.Add("Hangup-Cause", c.HangupCause ?? "NORMAL_CLEARING"));
        var partner = c.BridgedTo;
        if (partner is not null && c.UuidBridged)
        {
            // uuid_bridge: the partner sees the unbridge once this leg has reported.
            UuidUnbridged(partner, c);
        }
        c.StateNumber = Channel.NumberOf("CS_DESTROY");
        Events.Fire(c, "CHANNEL_DESTROY", CallSites.Destroy, vars: true);
        SetRunning(c, "CS_DESTROY");
        c.Destroyed = true;
        foreach (var t in c.Timers)
        {
            t.Dispose();
        }
        Channels.Remove(c.Uuid);
        foreach (var hook in c.DestroyHooks.ToArray())
        {
            hook(c);
        }
    }

    private static string DispositionVar(Channel c) => c.IsVerto ? "verto_hangup_disposition" : "sip_hangup_disposition";

    private static void SetDisposition(Channel c, bool remote)
    {
        string value;
        if (c.Answered)
        {
            value = remote ? "recv_bye" : "send_bye";
        }
        else if (c.Direction == "outbound")
        {
            value = remote ? "recv_refuse" : "send_cancel";
        }
        else
        {
            value = remote ? "recv_cancel" : "send_refuse";
        }
        c.Vars.Set(DispositionVar(c), value);
    }

    /// <summary>
    /// A leg ended by the switch going down (restart): cause SYSTEM_SHUTDOWN, its CDR variables stamped, no event
    /// fired (the listeners were told "The system is being shut down." and are gone). The caller spools its CDR.
    /// </summary>
    public void EndForShutdown(Channel c)
    {
        c.HangupCause ??= "SYSTEM_SHUTDOWN";
        c.AnswerState = "hangup";
        c.HangupUs = c.HangupUs == 0 ? NowUs() : c.HangupUs;
        if (c.Vars.Get(DispositionVar(c)) is null)
        {
            SetDisposition(c, remote: false);
        }
        SetHangupVars(c);
    }

    /// <summary>The CDR variables switch_channel_set_timestamps / process_device_hangup write at CS_REPORTING.</summary>
    private void SetHangupVars(Channel c)
    {
        var v = c.Vars;
        var cause = c.HangupCause ?? "NORMAL_CLEARING";
        v.Set("hangup_cause", cause);
        v.Set("hangup_cause_q850", Q850(cause));
        v.Set("digits_dialed", "none");
        var start = c.CreatedUs;
        var end = c.HangupUs == 0 ? NowUs() : c.HangupUs;
        v.Set("start_stamp", Stamp(start));
        v.Set("profile_start_stamp", Stamp(start));
        if (c.AnsweredUs != 0)
        {
            v.Set("answer_stamp", Stamp(c.AnsweredUs));
        }
        if (c.BridgedUs != 0)
        {
            v.Set("bridge_stamp", Stamp(c.BridgedUs));
        }
        if (c.ProgressUs != 0)
        {
            v.Set("progress_stamp", Stamp(c.ProgressUs));
        }
        if (c.ProgressMediaUs != 0)
        {
            v.Set("progress_media_stamp", Stamp(c.ProgressMediaUs));
        }
        v.Set("end_stamp", Stamp(end));
        Epochs(v, "start", start);
        Epochs(v, "profile_start", start);
        Epochs(v, "answer", c.AnsweredUs);
        Epochs(v, "bridge", c.BridgedUs);
        Epochs(v, "last_hold", 0);
        v.Set("hold_accum_seconds", "0");
        v.Set("hold_accum_usec", "0");
        v.Set("hold_accum_ms", "0");
        Epochs(v, "resurrect", 0);
        Epochs(v, "progress", c.ProgressUs);
        Epochs(v, "progress_media", c.ProgressMediaUs);
        Epochs(v, "end", end);
        v.Set("caller_id", $"\"{c.Profile.CallerIdName}\" <{c.Profile.CallerIdNumber}>");
        // Second-granularity figures are differences of epoch seconds, as switch_channel.c computes them; then the
        // msec forms, then the usec forms, each group in the same order.
        long Sec(long us) => us / 1_000_000;
        long Between(long from, long to) => from == 0 || to == 0 ? 0 : to - from;
        (string Sec, string Msec, string Usec, long From, long To)[] rows =
        [
            ("duration", "mduration", "uduration", start, end),
            ("billsec", "billmsec", "billusec", c.AnsweredUs, end),
            ("progresssec", "progressmsec", "progressusec", start, c.ProgressUs),
            ("answersec", "answermsec", "answerusec", start, c.AnsweredUs),
            ("waitsec", "waitmsec", "waitusec", start, c.AnsweredUs),
            ("progress_mediasec", "progress_mediamsec", "progress_mediausec", start, c.ProgressMediaUs),
            ("flow_billsec", "flow_billmsec", "flow_billusec", start, end),
        ];
        foreach (var r in rows)
        {
            v.Set(r.Sec, (r.From == 0 || r.To == 0 ? 0 : Sec(r.To) - Sec(r.From)).ToString(CultureInfo.InvariantCulture));
        }
        foreach (var r in rows)
        {
            v.Set(r.Msec, (Between(r.From, r.To) / 1000).ToString(CultureInfo.InvariantCulture));
        }
        foreach (var r in rows)
        {
            v.Set(r.Usec, Between(r.From, r.To).ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void Epochs(VarList v, string name, long us)
    {
        v.Set(name + "_epoch", (us / 1_000_000).ToString(CultureInfo.InvariantCulture));
        v.Set(name + "_uepoch", us.ToString(CultureInfo.InvariantCulture));
    }

    public string Stamp(long us)
    {
        var utc = DateTimeOffset.UnixEpoch.AddTicks(us * 10);
        return TimeZoneInfo.ConvertTime(utc, Clock.LocalTimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }
}
