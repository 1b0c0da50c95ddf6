using System.Globalization;

namespace FreeSwitchSim.Switch;

internal sealed partial class CallEngine
{
    /// <summary>
    /// An originate towards a logged-in verto client: mod_verto sends verto.invite and the leg rings until the
    /// browser answers (Answer(uuid), or by itself after its AutoAnswerMs).
    /// </summary>
    private Channel CreateVertoCallee(DialString ds, Channel? a, VertoClient client)
    {
        var uuid = ds.Get("origination_uuid") ?? Guid.NewGuid().ToString();
        var name = "verto.rtc/" + uuid;
        var b = NewChannel(uuid, name, LegKind.VertoOutbound, "outbound");
        b.VertoUser = client.User;
        b.PresenceId = $"{client.User}@{Options.VertoDomain}";
        FillOutboundProfile(b, a, ds, "u:" + uuid, "mod_verto");
        b.Profile.CallerIdName = ds.Get("origination_caller_id_name") ?? a?.Profile.CallerIdName ?? "";
        b.Vars.Set("direction", "outbound");
        b.Vars.Set("is_outbound", "true");
        b.Vars.Set("uuid", uuid);
        b.Vars.Set("call_uuid", b.CallUuid);
        b.Vars.Set("session_id", SessionCounter.ToString(CultureInfo.InvariantCulture));
        b.Vars.Set("channel_name", name);
        b.Vars.Set("verto_user", b.PresenceId);
        b.Vars.Set("presence_id", b.PresenceId);
        b.Vars.Set("chat_proto", "verto");
        b.Vars.Set("verto_profile_name", "default-v4");
        InheritVars(b, a, ds);
        b.Vars.Set("originate_early_media", "true");
        b.Vars.Set("originate_endpoint", "verto.rtc");
        // verto-ring-user.server.raw: two CHANNEL_OUTGOING, CS_INIT, then mod_verto rings at once (verto.invite
        // sent) before CHANNEL_CREATE / CHANNEL_ORIGINATE, CS_ROUTING, presence, CS_CONSUME_MEDIA.
        b.RunningState = "CS_NONE";
        b.StateNumber = Channel.NumberOf("CS_INIT");
        Events.Fire(b, "CHANNEL_OUTGOING", CallSites.Outgoing, vars: true);
        Events.Fire(b, "CHANNEL_OUTGOING", CallSites.Outgoing, vars: true);
        SetRunning(b, "CS_INIT");
        // verto_connect (on init, before verto.invite) sets the jsock's login userVariables on the outbound leg too.
        ApplyUserVariables(b, client);
        Ring(b);
        b.StateNumber = Channel.NumberOf("CS_ROUTING");
        Events.Fire(b, "CHANNEL_CREATE", CallSites.Create, vars: true);
        Events.Fire(b, "CHANNEL_ORIGINATE", CallSites.Originate, vars: true);
        SetRunning(b, "CS_ROUTING");
        Presence(b, "CS_ROUTING", "ringing");
        SetRunning(b, "CS_CONSUME_MEDIA");
        if (a is not null)
        {
            a.Vars.Set("originated_legs", $"{b.Uuid};Outbound Call;{b.Profile.DestinationNumber}");
        }
        if (client.AutoAnswerMs is int ms)
        {
            After(b, TimeSpan.FromMilliseconds(ms), () => RemoteAnswer(b));
        }
        return b;
    }
}
