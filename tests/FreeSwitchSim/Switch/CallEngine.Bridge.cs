namespace FreeSwitchSim.Switch;

internal sealed partial class CallEngine
{
    /// <summary>
    /// The bridge app: originate the B leg; early media and answer pass to A; the app completes only when the
    /// bridge ends (or the attempt fails, with originate_disposition and the failure cause on A).
    /// </summary>
    private void StartBridge(Channel a, RunningApp run, string data)
    {
        var bridged = false;
        Originate(data, a,
            done: outcome =>
            {
                if (outcome.Success && outcome.Leg is { } b)
                {
                    if (!bridged)
                    {
                        Answer(a);
                        BridgeLegs(a, b, run);
                        bridged = true;
                    }
                    else
                    {
                        Answer(a);
                    }
                    FireCallUpdates(a, b);
                    return;
                }
                BridgeFailed(a, run, outcome);
            },
            onEarly: b =>
            {
                // ignore_early_media=false: A gets B's early media and the bridge starts now (answer follows).
                PreAnswer(a);
                BridgeLegs(a, b, run);
                bridged = true;
            },
            onRing: _ => Ring(a));
    }

    private void BridgeFailed(Channel a, RunningApp run, OriginateOutcome outcome)
    {
        var cause = outcome.FailureCause ?? "NORMAL_TEMPORARY_FAILURE";
        if (outcome.Leg is { } b)
        {
            // No Other-Leg block on the caller after a failed bridge: in the captures fallback-busy,
            // fallback-noanswer and caller-cancel none of the caller's later events carries one.
            a.Vars.Set("last_bridge_hangup_cause", cause);
            if (b.Vars.Get("proto_specific_hangup_cause") is { } proto)
            {
                a.Vars.Set("last_bridge_proto_specific_hangup_cause", proto);
            }
        }
        if (cause == "ORIGINATOR_CANCEL")
        {
            a.Vars.Set("originate_disposition", "ORIGINATOR_CANCEL");
            return;
        }
        a.Vars.Set("originate_disposition", cause);
        a.Vars.Set("DIALSTATUS", DialStatus(cause));
        if (outcome.Leg is { } leg)
        {
            a.Vars.Set("originate_causes", $"{leg.Uuid};{cause}");
        }
        a.Vars.Set("originate_failed_cause", cause);
        // switch_channel_handle_cause: NO_ANSWER, NO_USER_RESPONSE and ORIGINATOR_CANCEL always continue;
        // any other failure hangs the caller up with that cause unless continue_on_fail says otherwise.
        var continueOnFail = a.Vars.Get("continue_on_fail");
        var keep = cause is "NO_ANSWER" or "NO_USER_RESPONSE" || (continueOnFail is not null
            && (string.Equals(continueOnFail, "true", StringComparison.OrdinalIgnoreCase)
                || continueOnFail.Split(',').Contains(cause, StringComparer.OrdinalIgnoreCase)));
        if (!keep)
        {
            BeginHangup(a, cause, remote: false);
            Complete(a, run);
            FinishHangup(a);
            return;
        }
        Complete(a, run);
    }

    public static string DialStatus(string cause) => cause switch
    {
        "USER_BUSY" => "BUSY",
        "NO_ANSWER" or "NO_USER_RESPONSE" => "NOANSWER",
        "ORIGINATOR_CANCEL" => "CANCEL",
        "CALL_REJECTED" => "CALL_REJECTED",
        "UNALLOCATED_NUMBER" => "INVALIDARGS",
        _ => "CHANUNAVAIL",
    };

    /// <summary>switch_ivr_multi_threaded_bridge begins: CHANNEL_BRIDGE on A, B goes to CS_EXCHANGE_MEDIA.</summary>
    private void BridgeLegs(Channel a, Channel b, RunningApp run)
    {
        var now = NowUs();
        a.OtherLeg = b;
        a.OtherType = "originatee";
        a.BridgedTo = b;
        b.BridgedTo = a;
        a.BridgedUs = now;
        b.BridgedUs = now;
        a.Vars.Set("originate_disposition", "SUCCESS");
        a.Vars.Set("DIALSTATUS", "SUCCESS");
        a.Vars.Set("originate_causes", $"{b.Uuid};NONE");
        a.Vars.Set("last_bridge_to", b.Uuid);
        a.Vars.Set("bridge_channel", b.Name);
        a.Vars.Set("bridge_uuid", b.Uuid);
        a.Vars.Set("signal_bond", b.Uuid);
        b.Vars.Set("last_bridge_to", a.Uuid);
        b.Vars.Set("bridge_channel", a.Name);
        b.Vars.Set("bridge_uuid", a.Uuid);
        Events.Fire(a, "CHANNEL_BRIDGE", CallSites.Bridge, vars: true, lead: e => e
            .Add("Bridge-A-Unique-ID", a.Uuid)
            .Add("Bridge-B-Unique-ID", b.Uuid));
        SetRunning(b, "CS_EXCHANGE_MEDIA");
        b.HangupHooks.Add(_ =>
        {
            // The far end hung up: A unbridges and its bridge app completes; A goes back to what it was doing.
            if (a.BridgedTo != b)
            {
                return;
            }
            AppUnbridge(a, b);
            Complete(a, run);
            if (string.Equals(a.Vars.Get("hangup_after_bridge"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Hangup(a, b.HangupCause ?? "NORMAL_CLEARING", remote: false);
            }
        });
        a.HangupHooks.Add(_ =>
        {
            if (a.BridgedTo != b)
            {
                return;
            }
            AppUnbridge(a, b);
            Hangup(b, "NORMAL_CLEARING", remote: false);
        });
    }

    private void AppUnbridge(Channel a, Channel b)
    {
        a.BridgedTo = null;
        b.BridgedTo = null;
        var cause = b.HangupCause ?? a.HangupCause ?? "NORMAL_CLEARING";
        a.Vars.Set("last_bridge_hangup_cause", cause);
        a.Vars.Set("bridge_hangup_cause", cause);
        Events.Fire(a, "CHANNEL_UNBRIDGE", CallSites.Unbridge, vars: true, lead: e => e
            .Add("Bridge-A-Unique-ID", a.Uuid)
            .Add("Bridge-B-Unique-ID", b.Uuid));
    }

    /// <summary>sofia tells each side who it now talks to: CALL_UPDATE (Direction SEND) on A then B.</summary>
    private void FireCallUpdates(Channel a, Channel b)
    {
        void Update(Channel c, Channel other) =>
            Events.Fire(c, "CALL_UPDATE", CallSites.CallUpdateSofia, vars: true, lead: e => e
                .Add("Direction", "SEND")
                .Add("Sent-Callee-ID-Name", other.Direction == "outbound" ? other.Profile.CalleeIdName ?? "" : other.Profile.CallerIdName)
                .Add("Sent-Callee-ID-Number", other.Direction == "outbound" ? other.Profile.CalleeIdNumber ?? "" : other.Profile.CallerIdNumber)
                .Add("Bridged-To", other.Uuid));
        a.Vars.Set("last_sent_callee_id_name", b.Profile.CalleeIdName ?? b.Profile.CallerIdName);
        a.Vars.Set("last_sent_callee_id_number", b.Profile.CalleeIdNumber ?? b.Profile.CallerIdNumber);
        if (a.IsSip)
        {
            Update(a, b);
        }
        if (b.IsSip)
        {
            Update(b, a);
        }
    }
}
