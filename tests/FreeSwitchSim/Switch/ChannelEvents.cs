using System.Globalization;
using FreeSwitchSim.Core;

namespace FreeSwitchSim.Switch;

/// <summary>
/// Builds channel events the way switch_channel_event_set_data does: event-specific leading headers, the basic
/// channel headers, the codec, the caller profile, the other leg, then <c>variable_*</c> (only for the event types
/// FreeSWITCH adds extended data to), then event-specific trailing headers.
/// </summary>
internal sealed class ChannelEvents
{
    private readonly EventBus _bus;

    public ChannelEvents(EventBus bus)
    {
        _bus = bus;
    }

    /// <summary>Fires a channel event: built (and <paramref name="lead"/> and <paramref name="trail"/> run) only when some
    /// listener may want it.</summary>
    public void Fire(Channel c, string name, CallSite site, bool vars,
        Action<SimEvent>? lead = null, Action<SimEvent>? trail = null)
    {
        // Core and channel headers, two caller profiles, then the variables: the list is sized once, not grown.
        var capacity = 128 + (vars ? c.Vars.Items.Count : 0);
        _bus.Fire(name, null, site, capacity, e =>
        {
            lead?.Invoke(e);
            AppendChannelData(e, c, vars);
            trail?.Invoke(e);
        });
    }

    /// <summary>The channel headers (and variables when asked): CHANNEL_DATA, uuid_dump and the connect reply use it too.</summary>
    public static void AppendChannelData(SimEvent e, Channel c, bool vars)
    {
        e.Add("Channel-State", c.RunningState)
            .Add("Channel-Call-State", c.CallState)
            .Add("Channel-State-Number", c.StateNumber.ToString(CultureInfo.InvariantCulture))
            .Add("Channel-Name", c.Name)
            .Add("Unique-ID", c.Uuid)
            .Add("Call-Direction", c.Direction)
            .Add("Presence-Call-Direction", c.Direction)
            .Add("Channel-HIT-Dialplan", c.HitDialplan ? "true" : "false");
        if (c.PresenceId is not null && c.ProfileAttached)
        {
            e.Add("Channel-Presence-ID", c.PresenceId);
        }
        e.Add("Channel-Call-UUID", c.CallUuid)
            .Add("Answer-State", c.AnswerState);
        if (c.HangupCause is not null)
        {
            e.Add("Hangup-Cause", c.HangupCause);
        }
        if (c.HasCodec)
        {
            var rate = c.CodecRate.ToString(CultureInfo.InvariantCulture);
            var bits = c.CodecBitRate.ToString(CultureInfo.InvariantCulture);
            e.Add("Channel-Read-Codec-Name", c.CodecName)
                .Add("Channel-Read-Codec-Rate", rate)
                .Add("Channel-Read-Codec-Bit-Rate", bits)
                .Add("Channel-Write-Codec-Name", c.CodecName)
                .Add("Channel-Write-Codec-Rate", rate)
                .Add("Channel-Write-Codec-Bit-Rate", bits);
        }
        if (c.ProfileAttached)
        {
            AppendProfiles(e, c);
        }
        if (vars)
        {
            var items = c.Vars.Items;
            var names = c.Vars.HeaderNames;
            for (var i = 0; i < items.Count; i++)
            {
                e.Add(names[i], items[i].Value);
            }
        }
    }

    private static void AppendProfiles(SimEvent e, Channel c)
    {
        c.Profile.AppendTo(e, "Caller", c, withIndex: true, zeroTimes: false);
        if (c.OtherLeg is { } other && c.OtherType is not null)
        {
            e.Add("Other-Type", c.OtherType);
            (c.OtherLegProfile ?? other.Profile).AppendTo(e, "Other-Leg", other, withIndex: false, zeroTimes: c.OtherType == "originator");
        }
    }
}
