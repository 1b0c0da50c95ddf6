using System.Globalization;

namespace FreeSwitchSim.Switch;

internal sealed partial class CallEngine
{
    private readonly Dictionary<string, int> _sipPorts = new(StringComparer.Ordinal);

    /// <summary>A SIP caller INVITEs the external profile (context public), as the captures' sipp callers did.</summary>
    public Channel CreateSipCaller(string user, string displayName, string destination, string? uuid = null)
    {
        uuid ??= Guid.NewGuid().ToString();
        // Each SIP user agent has its own port, as the captures' sipp callers did (alice 5070, bob 5072...).
        if (!_sipPorts.TryGetValue(user, out var port))
        {
            port = 5070 + (2 * _sipPorts.Count);
            _sipPorts[user] = port;
        }
        var name = $"sofia/external/{user}@127.0.0.1:{port}";
        var c = NewChannel(uuid, name, LegKind.SipInbound, "inbound");
        c.HitDialplan = true;
        var p = c.Profile;
        p.Username = user;
        p.CallerIdName = displayName;
        p.CallerIdNumber = user;
        p.OrigCallerIdName = displayName;
        p.OrigCallerIdNumber = user;
        p.Ani = user;
        p.DestinationNumber = destination;
        p.UniqueId = uuid;
        p.ChannelName = name;
        var tag = Random.Shared.Next(10000, 99999).ToString(CultureInfo.InvariantCulture);
        c.Vars.Apply(LegTemplates.SipInboundCreate, new Dictionary<string, string>
        {
            ["uuid"] = uuid,
            ["session_id"] = SessionCounter.ToString(CultureInfo.InvariantCulture),
            ["sip_call_id"] = $"1-{tag}@127.0.0.1",
            ["from_tag"] = tag + "SIPpTag001",
            ["branch"] = $"z9hG4bK-{tag}-1-0",
            ["created_us"] = c.CreatedUs.ToString(CultureInfo.InvariantCulture),
            ["dest"] = destination,
            ["user"] = user,
            ["display"] = displayName,
            ["port"] = port.ToString(CultureInfo.InvariantCulture),
        });
        c.ProfileAttached = false;
        SetRunning(c, "CS_NEW");
        c.ProfileAttached = true;
        SetRunning(c, "CS_INIT");
        c.StateNumber = Channel.NumberOf("CS_ROUTING");
        Events.Fire(c, "CHANNEL_CREATE", CallSites.Create, vars: true);
        c.RunningState = "CS_ROUTING";
        SetCallState(c, "RINGING");
        SetRunning(c, "CS_ROUTING");
        Route(c);
        return c;
    }

    /// <summary>A logged-in verto client calls a destination (verto.invite): an inbound verto.rtc leg, context default.</summary>
    public Channel CreateVertoCaller(VertoClient client, string destination, FreeSwitchSim.Core.CallOptions? options)
    {
        var uuid = Guid.NewGuid().ToString();
        var name = "verto.rtc/" + destination;
        var c = NewChannel(uuid, name, LegKind.VertoInbound, "inbound");
        c.HitDialplan = true;
        c.VertoUser = client.User;
        c.ClientOptions = options;
        var login = $"{client.User}@{Options.VertoDomain}";
        c.PresenceId = login;
        var p = c.Profile;
        p.Username = login;
        p.CallerIdName = "Browser " + client.User;
        p.CallerIdNumber = client.User;
        p.OrigCallerIdName = p.CallerIdName;
        p.OrigCallerIdNumber = client.User;
        p.CalleeIdName = "Outbound Call";
        p.CalleeIdNumber = destination;
        p.Ani = client.User;
        p.DestinationNumber = destination;
        p.UniqueId = uuid;
        p.Source = "mod_verto";
        p.Context = "default";
        p.ChannelName = name;
        var fill = VertoFill(client, c, destination);
        c.Vars.Apply(LegTemplates.VertoCreate, fill);
        // mod_verto's invite applies jsock->user_vars after switch_ivr_set_user: the browser's login userVariables
        // override user_name, verto_user or anything else; the caller profile (Caller-Username) keeps the login.
        ApplyUserVariables(c, client);
        c.Vars.Apply(LegTemplates.VertoCreateAfterUserVariables, fill);
        // mod_verto creates its leg with switch_core_session_request: the core fires CHANNEL_OUTGOING first.
        c.RunningState = "CS_NONE";
        c.StateNumber = Channel.NumberOf("CS_INIT");
        // It is still an outgoing session to the core at that moment (verto-room-call.server.raw).
        c.ProfileAttached = false;
        c.Direction = "outbound";
        Events.Fire(c, "CHANNEL_OUTGOING", CallSites.Outgoing, vars: true);
        c.Direction = "inbound";
        c.ProfileAttached = true;
        SetRunning(c, "CS_INIT");
        c.StateNumber = Channel.NumberOf("CS_ROUTING");
        Events.Fire(c, "CHANNEL_CREATE", CallSites.Create, vars: true);
        c.RunningState = "CS_ROUTING";
        SetCallState(c, "RINGING");
        SetRunning(c, "CS_ROUTING");
        c.StateNumber = Channel.NumberOf("CS_EXECUTE");
        Presence(c, "CS_ROUTING", "ringing");
        Route(c);
        return c;
    }

    /// <summary>Sets the client's login userVariables on one of its legs, in the order the browser sent them.</summary>
    private static void ApplyUserVariables(Channel c, VertoClient client)
    {
        foreach (var (name, value) in client.UserVariables)
        {
            c.Vars.Set(name, value);
        }
    }

    public Dictionary<string, string> VertoFill(VertoClient client, Channel c, string destination) => new()
    {
        ["uuid"] = c.Uuid,
        ["session_id"] = SessionCounter.ToString(CultureInfo.InvariantCulture),
        ["jsock"] = client.JsockUuid,
        ["login_core_uuid"] = Bus.CoreUuid,
        ["login_date_local"] = client.LoginDateLocal,
        ["login_date_gmt"] = client.LoginDateGmt,
        ["login_ts"] = client.LoginUs.ToString(CultureInfo.InvariantCulture),
        ["login_seq"] = client.LoginSequence,
        ["dest"] = destination,
        ["user"] = client.User,
        ["domain"] = Options.VertoDomain,
        ["hostname"] = Options.Hostname,
        ["ipv4"] = Options.IPv4,
        ["ipv6"] = Options.IPv6,
        ["client_port"] = client.Port.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The XML dialplan: finds the extension, then the leg runs its applications in CS_EXECUTE.</summary>
    private void Route(Channel c)
    {
        var context = c.Profile.Context;
        var match = Dialplan.Match(c.Profile.DestinationNumber, Options.SocketTarget);
        if (match is null)
        {
            // No extension: FreeSWITCH hangs up in CS_ROUTING with NO_ROUTE_DESTINATION.
            Hangup(c, "NO_ROUTE_DESTINATION", remote: false);
            return;
        }
        c.Vars.Set("DP_MATCH", match.DpMatch);
        c.Vars.Set("call_uuid", c.Uuid);
        if (context == "public")
        {
            // The stock public context's outside_call and call_debug-less RFC2822 export, as the SIP captures show.
            c.DialplanApps.Enqueue(new AppCall("set", "outside_call=true", null, true));
            c.DialplanApps.Enqueue(new AppCall("export", "RFC2822_DATE=${strftime(%a, %d %b %Y %T %z)}", null, true));
        }
        foreach (var app in match.Apps)
        {
            c.DialplanApps.Enqueue(app);
            c.ExtensionApps.Add(app);
        }
        SetRunning(c, "CS_EXECUTE");
        RunApps(c);
    }
}
