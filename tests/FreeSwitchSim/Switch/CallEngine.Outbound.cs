using System.Globalization;

namespace FreeSwitchSim.Switch;

/// <summary>How an originate attempt (bridge app or originate API) ended.</summary>
internal sealed record OriginateOutcome(Channel? Leg, string? FailureCause)
{
    public bool Success => FailureCause is null;
}

internal sealed partial class CallEngine
{
    /// <summary>
    /// switch_ivr_originate for one leg: creates the outbound leg, plays the far end's behaviour and reports the
    /// outcome once (answer, early media when <paramref name="onEarly"/> wants it, or the failure cause).
    /// </summary>
    public void Originate(string dialString, Channel? a, Action<OriginateOutcome> done, Action<Channel>? onEarly = null, Action<Channel>? onRing = null)
    {
        var ds = DialString.Parse(dialString);
        var endpoint = ds.Endpoint;
        var parts = endpoint.Split('/');
        Channel b;
        if (parts.Length >= 4 && parts[0] == "sofia" && parts[1] == "gateway")
        {
            var gateway = parts[2];
            var number = string.Join('/', parts[3..]);
            var rule = Gateways.Behaviour(gateway, number);
            if (rule is null)
            {
                // mod_sofia: no such gateway, no leg is created.
                done(new OriginateOutcome(null, "INVALID_GATEWAY"));
                return;
            }
            b = CreateGatewayLeg(ds, a, gateway, number);
            PlayGateway(b, rule);
        }
        else if (parts.Length >= 2 && parts[0] is "verto.rtc" or "user")
        {
            var target = Verto?.FindClient(parts[1].Split('@')[0]);
            if (target is null)
            {
                done(new OriginateOutcome(null, parts[0] == "user" ? "USER_NOT_REGISTERED" : "DESTINATION_OUT_OF_ORDER"));
                return;
            }
            b = CreateVertoCallee(ds, a, target);
        }
        else
        {
            // Unexpanded ${...} and unknown endpoints: switch_core_session_outgoing_channel finds no endpoint.
            done(new OriginateOutcome(null, "CHAN_NOT_IMPLEMENTED"));
            return;
        }
        WatchOriginate(b, a, ds, done, onEarly, onRing);
    }

    private void WatchOriginate(Channel b, Channel? a, DialString ds, Action<OriginateOutcome> done, Action<Channel>? onEarly, Action<Channel>? onRing)
    {
        var resolved = false;
        void Resolve(OriginateOutcome o)
        {
            if (!resolved)
            {
                resolved = true;
                done(o);
            }
        }
        b.Answering.Add(() => Resolve(new OriginateOutcome(b, null)));
        b.EarlyMedia.Add(() =>
        {
            if (!resolved && onEarly is not null && !string.Equals(ds.Get("ignore_early_media"), "true", StringComparison.OrdinalIgnoreCase))
            {
                onEarly(b);
            }
        });
        b.Ringing.Add(() =>
        {
            if (!resolved)
            {
                onRing?.Invoke(b);
            }
        });
        // The far end gave up (486, 603, 404...): originate sees it once the leg is gone.
        b.DestroyHooks.Add(leg =>
        {
            if (!resolved && !leg.Answered)
            {
                Resolve(new OriginateOutcome(leg, leg.HangupCause ?? "NORMAL_TEMPORARY_FAILURE"));
            }
        });
        var timeout = CallEngine.ParseInt(ds.Get("originate_timeout") ?? a?.Vars.Get("call_timeout") ?? "60", 60);
        After(b, TimeSpan.FromSeconds(timeout), () =>
        {
            if (!resolved && !b.Answered && !b.HangingUp)
            {
                // originate's own timeout: it hangs the leg up with NO_ANSWER and returns before the leg is gone.
                BeginHangup(b, "NO_ANSWER", remote: false);
                Resolve(new OriginateOutcome(b, "NO_ANSWER"));
                FinishHangup(b);
            }
        });
        if (a is not null)
        {
            // The caller hangs up first (CANCEL): the outbound leg is cancelled with ORIGINATOR_CANCEL.
            a.HangupHooks.Add(_ =>
            {
                if (!resolved)
                {
                    resolved = true;
                    a.Vars.Set("originate_disposition", "failure");
                    Hangup(b, "ORIGINATOR_CANCEL", remote: false);
                    done(new OriginateOutcome(b, "ORIGINATOR_CANCEL"));
                }
            });
        }
    }

    private void PlayGateway(Channel b, FreeSwitchSim.Core.GatewayRule rule)
    {
        var latency = TimeSpan.FromMilliseconds(20);
        var delay = TimeSpan.FromMilliseconds(Math.Max(rule.DelayMs, 20));
        switch (rule.Behaviour)
        {
            case "answer":
                After(b, latency, () => RemoteRing(b));
                After(b, delay, () => RemoteAnswer(b));
                break;
            case "early-answer":
                After(b, latency, () => RemoteEarly(b));
                After(b, delay, () => RemoteAnswer(b));
                break;
            case "busy":
                After(b, delay, () => Hangup(b, "USER_BUSY", remote: true, "486", "Busy Here"));
                break;
            case "noanswer":
                After(b, latency, () => RemoteRing(b));
                break;
            case "decline":
                After(b, latency, () => RemoteRing(b));
                After(b, delay, () => Hangup(b, "CALL_REJECTED", remote: true, "603", "Decline"));
                break;
            case "notfound":
                After(b, delay, () => Hangup(b, "UNALLOCATED_NUMBER", remote: true, "404", "Not Found"));
                break;
            default:
                // Nothing listens at the gateway: sofia gives up at once (no SIP status, switch-side failure).
                After(b, latency, () => Hangup(b, "NORMAL_TEMPORARY_FAILURE", remote: false));
                break;
        }
    }

    public void RemoteRing(Channel b)
    {
        Ring(b);
        foreach (var cb in b.Ringing.ToArray())
        {
            cb();
        }
    }

    public void RemoteEarly(Channel b)
    {
        PreAnswer(b);
        foreach (var cb in b.EarlyMedia.ToArray())
        {
            cb();
        }
    }

    public void RemoteAnswer(Channel b)
    {
        if (b.Answered || b.HangingUp)
        {
            return;
        }
        Answer(b);
        foreach (var cb in b.Answering.ToArray())
        {
            cb();
        }
    }

    private Channel CreateGatewayLeg(DialString ds, Channel? a, string gateway, string number)
    {
        var uuid = ds.Get("origination_uuid") ?? Guid.NewGuid().ToString();
        var name = "sofia/external/" + number;
        var b = NewChannel(uuid, name, LegKind.Gateway, "outbound");
        FillOutboundProfile(b, a, ds, number, "mod_sofia");
        var fill = new Dictionary<string, string>
        {
            ["uuid"] = uuid,
            ["session_id"] = SessionCounter.ToString(CultureInfo.InvariantCulture),
            ["gateway"] = gateway,
            ["number"] = number,
            ["originator"] = a?.Uuid ?? "",
            ["originator_sdp"] = a?.Vars.Get("switch_r_sdp") ?? "",
            ["call_uuid"] = a?.Uuid ?? uuid,
        };
        foreach (var (n, v) in LegTemplates.GatewayCreatePrefix)
        {
            if (a is null && n is "originator" or "signal_bond" or "originator_codec" or "switch_m_sdp")
            {
                continue;
            }
            b.Vars.Set(n, VarList.Fill(v, fill));
        }
        InheritVars(b, a, ds);
        foreach (var (n, v) in LegTemplates.GatewayCreateSuffix)
        {
            if (a is null && n == "originating_leg_uuid")
            {
                continue;
            }
            b.Vars.Set(n, VarList.Fill(v, fill));
        }
        FireOutboundStart(b, a);
        SetRunning(b, "CS_CONSUME_MEDIA");
        return b;
    }

    /// <summary>The A leg's exported variables, then the dial string's {vars}, as switch_ivr_originate copies them.</summary>
    private static void InheritVars(Channel b, Channel? a, DialString ds)
    {
        if (a?.Vars.Get("export_vars") is { } exports)
        {
            b.Vars.Set("export_vars", exports);
            foreach (var name in exports.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                b.Vars.Set(name, a.Vars.Get(name));
            }
        }
        foreach (var kv in ds.Vars)
        {
            b.Vars.Set(kv.Key, kv.Value);
        }
    }

    private static void FillOutboundProfile(Channel b, Channel? a, DialString ds, string number, string source)
    {
        var p = b.Profile;
        p.Direction = "outbound";
        p.LogicalDirection = "outbound";
        p.Username = a?.Profile.Username ?? "";
        p.Dialplan = a is null ? "" : a.Profile.Dialplan;
        p.CallerIdName = ds.Get("origination_caller_id_name") ?? a?.Profile.CallerIdName ?? "";
        p.CallerIdNumber = ds.Get("origination_caller_id_number") ?? a?.Profile.CallerIdNumber ?? "0000000000";
        p.OrigCallerIdName = a?.Profile.OrigCallerIdName ?? "";
        p.OrigCallerIdNumber = a?.Profile.OrigCallerIdNumber ?? "0000000000";
        p.CalleeIdName = "Outbound Call";
        p.CalleeIdNumber = number;
        p.NetworkAddr = a?.Profile.NetworkAddr ?? "";
        p.Ani = a?.Profile.Ani ?? "0000000000";
        p.DestinationNumber = number;
        p.UniqueId = b.Uuid;
        p.Source = a is null ? "src/switch_ivr_originate.c" : source;
        p.Context = a?.Profile.Context ?? "default";
        p.ChannelName = b.Name;
        if (a is not null)
        {
            b.CallUuid = a.CallUuid;
            b.OtherLeg = a;
            b.OtherType = "originator";
            b.OtherLegProfile = a.Profile.Copy();
            // The caller learns who it is calling at once; Other-Leg-* appear on it when originate returns.
            a.Profile.CalleeIdName = "Outbound Call";
            a.Profile.CalleeIdNumber = number;
        }
    }

    /// <summary>CHANNEL_OUTGOING, CS_INIT, CHANNEL_CREATE, CHANNEL_ORIGINATE, CS_ROUTING (no dialplan for outbound legs).</summary>
    private void FireOutboundStart(Channel b, Channel? a)
    {
        b.RunningState = "CS_NONE";
        b.StateNumber = Channel.NumberOf("CS_INIT");
        Events.Fire(b, "CHANNEL_OUTGOING", CallSites.Outgoing, vars: true);
        SetRunning(b, "CS_INIT");
        b.StateNumber = Channel.NumberOf("CS_ROUTING");
        Events.Fire(b, "CHANNEL_CREATE", CallSites.Create, vars: true);
        Events.Fire(b, "CHANNEL_ORIGINATE", CallSites.Originate, vars: true);
        SetRunning(b, "CS_ROUTING");
        if (a is not null)
        {
            a.Vars.Set("originated_legs", $"{b.Uuid};Outbound Call;{b.Profile.DestinationNumber}");
        }
    }
}
