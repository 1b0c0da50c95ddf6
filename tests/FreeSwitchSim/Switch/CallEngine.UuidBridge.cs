namespace FreeSwitchSim.Switch;

internal sealed partial class CallEngine
{
    /// <summary>
    /// uuid_bridge: both legs leave what they run (park ends with CHANNEL_UNPARK), pass CS_HIBERNATE, CS_RESET and
    /// CS_SOFT_EXECUTE, run the uuid_bridge pseudo-app, and A holds the bridge. Returns the api reply.
    /// </summary>
    public string UuidBridge(string uuidA, string uuidB)
    {
        var a = Find(uuidA);
        var b = Find(uuidB);
        // switch_ivr_uuid_bridge needs at least one answered (or pre-answered) leg; else "Invalid uuid".
        if (a is null || b is null || (!a.Answered && !b.Answered && !a.PreAnswered && !b.PreAnswered))
        {
            return "-ERR Invalid uuid\n";
        }
        GiveBridgeProfiles(a, b);
        foreach (var leg in new[] { a, b })
        {
            // Park ends with the leg already asked to hibernate (Channel-State-Number 8 on UNPARK).
            leg.StateNumber = Channel.NumberOf("CS_HIBERNATE");
            for (var i = leg.Running.Count - 1; i >= 0; i--)
            {
                if (i < leg.Running.Count)
                {
                    CompleteQuietly(leg, leg.Running[i]);
                }
            }
            leg.DialplanApps.Clear();
            leg.StateNumber = Channel.NumberOf("CS_HIBERNATE");
            SetRunning(leg, "CS_HIBERNATE");
            SetRunning(leg, "CS_RESET");
            SetRunning(leg, "CS_SOFT_EXECUTE");
        }
        a.BridgedTo = b;
        b.BridgedTo = a;
        a.UuidBridged = true;
        b.UuidBridged = true;
        a.UuidBridgeHolder = true;
        Events.Fire(a, "CHANNEL_EXECUTE", CallSites.UuidBridgeExecuteA, vars: true, trail: e => e
            .Add("Application", "uuid_bridge").Add("Application-Data", b.Uuid));
        Events.Fire(b, "CHANNEL_EXECUTE", CallSites.UuidBridgeExecuteB, vars: true, trail: e => e
            .Add("Application", "uuid_bridge").Add("Application-Data", a.Uuid));
        var now = NowUs();
        a.BridgedUs = now;
        b.BridgedUs = now;
        a.Vars.Set("last_bridge_to", b.Uuid);
        a.Vars.Set("bridge_channel", b.Name);
        a.Vars.Set("bridge_uuid", b.Uuid);
        a.Vars.Set("signal_bond", b.Uuid);
        Events.Fire(a, "CHANNEL_BRIDGE", CallSites.Bridge, vars: true, lead: e => e
            .Add("Bridge-A-Unique-ID", a.Uuid)
            .Add("Bridge-B-Unique-ID", b.Uuid));
        b.StateNumber = Channel.NumberOf("CS_EXCHANGE_MEDIA");
        b.RunningState = "CS_CONSUME_MEDIA";
        Events.Fire(b, "CHANNEL_STATE", CallSites.State, vars: false);
        SetRunning(b, "CS_EXCHANGE_MEDIA");
        FireCallUpdates(a, b);
        a.HangupHooks.Add(_ =>
        {
            if (a.BridgedTo == b)
            {
                // The holder hangs up: it unbridges at once and the other side is hung up.
                a.BridgedTo = null;
                b.BridgedTo = null;
                FireUnbridge(a, b);
                Hangup(b, "NORMAL_CLEARING", remote: false);
            }
        });
        return "+OK " + b.Uuid + "\n";
    }

    /// <summary>
    /// uuid_bridge transfers both legs into a new caller profile (index 2, a Transfer-Source naming the other leg,
    /// the callee id of B) and links them as originatee / originator, as app-to-app.server.raw shows, including the
    /// "Unknown" caller name FreeSWITCH writes into A's copy of B's profile.
    /// </summary>
    private void GiveBridgeProfiles(Channel a, Channel b)
    {
        var epoch = (NowUs() / 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var calleeName = b.Profile.CallerIdName;
        var calleeNumber = b.Profile.CallerIdNumber;
        foreach (var (leg, other) in new[] { (a, b), (b, a) })
        {
            leg.Profile.Index = 2;
            leg.Profile.TransferSource = $"{epoch}:{Guid.NewGuid()}:uuid_br:{other.Uuid}";
            leg.Profile.CalleeIdName = calleeName;
            leg.Profile.CalleeIdNumber = calleeNumber;
        }
        var bCopy = b.Profile.Copy();
        bCopy.CallerIdName = "Unknown";
        bCopy.TransferSource = null;
        var aCopy = a.Profile.Copy();
        aCopy.CalleeIdName = null;
        aCopy.CalleeIdNumber = null;
        aCopy.TransferSource = null;
        a.OtherLeg = b;
        a.OtherType = "originatee";
        a.OtherLegProfile = bCopy;
        b.OtherLeg = a;
        b.OtherType = "originator";
        b.OtherLegProfile = aCopy;
    }

    /// <summary>Ends an app without CHANNEL_EXECUTE_COMPLETE side effects beyond the events FreeSWITCH sends.</summary>
    private void CompleteQuietly(Channel c, RunningApp run)
    {
        run.OnComplete = null;
        c.Running.Remove(run);
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
    }

    /// <summary>The B side of a uuid_bridge has reported: the holder unbridges, returns to CS_EXECUTE and, with
    /// nothing left to run, hangs up.</summary>
    private void UuidUnbridged(Channel holder, Channel gone)
    {
        holder.BridgedTo = null;
        gone.BridgedTo = null;
        if (holder.HangingUp)
        {
            return;
        }
        FireUnbridge(holder, gone);
        SetRunning(holder, "CS_EXECUTE");
        RunApps(holder);
    }

    private void FireUnbridge(Channel a, Channel b)
    {
        var cause = b.HangupCause ?? a.HangupCause ?? "NORMAL_CLEARING";
        a.Vars.Set("last_bridge_hangup_cause", cause);
        a.Vars.Set("bridge_hangup_cause", cause);
        Events.Fire(a, "CHANNEL_UNBRIDGE", CallSites.Unbridge, vars: true, lead: e => e
            .Add("Bridge-A-Unique-ID", a.Uuid)
            .Add("Bridge-B-Unique-ID", b.Uuid));
    }
}
