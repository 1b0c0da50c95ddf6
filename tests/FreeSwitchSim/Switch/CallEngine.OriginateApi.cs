namespace FreeSwitchSim.Switch;

internal sealed partial class CallEngine
{
    /// <summary>switch_channel_flip_cid on an answered API originate: caller and callee swap; CALL_UPDATE (RECV).</summary>
    public void FlipCallerId(Channel b)
    {
        if (b.Flipped)
        {
            return;
        }
        var p = b.Profile;
        b.InitialCallerIdName = p.CallerIdName;
        b.InitialCallerIdNumber = p.CallerIdNumber;
        b.Flipped = true;
        var calleeName = p.CalleeIdName ?? "";
        var calleeNumber = p.CalleeIdNumber ?? "";
        p.CalleeIdName = p.CallerIdName;
        p.CalleeIdNumber = p.CallerIdNumber;
        p.CallerIdName = calleeName;
        p.CallerIdNumber = calleeNumber;
        Events.Fire(b, "CALL_UPDATE", CallSites.CallUpdateFlip, vars: true, lead: e => e.Add("Direction", "RECV"));
    }

    /// <summary>What an answered API originate runs: &amp;app(args) inline, or an extension through the dialplan.</summary>
    public void RunOriginateTarget(Channel b, string[] target)
    {
        if (target.Length == 0 || b.HangingUp)
        {
            return;
        }
        var t = target[0];
        if (t.StartsWith('&'))
        {
            var open = t.IndexOf('(', StringComparison.Ordinal);
            var name = open < 0 ? t[1..] : t[1..open];
            var data = open < 0 ? null : string.Join(' ', target)[(string.Join(' ', target).IndexOf('(', StringComparison.Ordinal) + 1)..].TrimEnd(')');
            b.DialplanApps.Enqueue(new AppCall(name, string.IsNullOrEmpty(data) ? null : data, null, true));
            SetRunning(b, "CS_EXECUTE");
            RunApps(b);
            return;
        }
        b.Profile.DestinationNumber = t;
        b.Profile.Context = target.Length > 2 ? target[2] : "default";
        b.HitDialplan = true;
        var match = Dialplan.Match(t, Options.SocketTarget);
        if (match is null)
        {
            Hangup(b, "NO_ROUTE_DESTINATION", remote: false);
            return;
        }
        b.Vars.Set("DP_MATCH", match.DpMatch);
        foreach (var app in match.Apps)
        {
            b.DialplanApps.Enqueue(app);
        }
        SetRunning(b, "CS_EXECUTE");
        RunApps(b);
    }
}
