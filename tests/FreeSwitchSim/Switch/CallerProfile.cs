using System.Globalization;
using FreeSwitchSim.Core;

namespace FreeSwitchSim.Switch;

/// <summary>A leg's caller profile (switch_caller.c), written as <c>Caller-*</c> or <c>Other-Leg-*</c> headers.</summary>
internal sealed class CallerProfile
{
    public string Direction { get; set; } = "inbound";
    public string LogicalDirection { get; set; } = "inbound";
    public string Username { get; set; } = "";
    public string Dialplan { get; set; } = "XML";
    public string CallerIdName { get; set; } = "";
    public string CallerIdNumber { get; set; } = "";
    public string OrigCallerIdName { get; set; } = "";
    public string OrigCallerIdNumber { get; set; } = "";
    public string? CalleeIdName { get; set; }
    public string? CalleeIdNumber { get; set; }
    public string NetworkAddr { get; set; } = "127.0.0.1";
    public string Ani { get; set; } = "";
    public string DestinationNumber { get; set; } = "";
    public string UniqueId { get; set; } = "";
    public string Source { get; set; } = "mod_sofia";
    public string Context { get; set; } = "public";
    public string ChannelName { get; set; } = "";

    /// <summary>Caller-Profile-Index: 1, or 2 once uuid_bridge gave the leg a new profile.</summary>
    public int Index { get; set; } = 1;

    /// <summary>Caller-Transfer-Source ("epoch:uuid:uuid_br:other"), set by uuid_bridge.</summary>
    public string? TransferSource { get; set; }

    public CallerProfile Copy() => (CallerProfile)MemberwiseClone();

    /// <summary>Writes the profile the way switch_caller_profile_event_set_data does; times come from the leg.</summary>
    public void AppendTo(SimEvent e, string prefix, Channel times, bool withIndex, bool zeroTimes)
    {
        var n = ProfileHeaderNames.For(prefix);
        // Empty profile fields are left out (an API originate has no Username, Dialplan or Caller-ID-Name).
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                e.Add(name, value);
            }
        }
        Add(n.Direction, Direction);
        Add(n.LogicalDirection, LogicalDirection);
        Add(n.Username, Username);
        Add(n.Dialplan, Dialplan);
        Add(n.CallerIdName, CallerIdName);
        Add(n.CallerIdNumber, CallerIdNumber);
        Add(n.OrigCallerIdName, OrigCallerIdName);
        Add(n.OrigCallerIdNumber, OrigCallerIdNumber);
        Add(n.CalleeIdName, CalleeIdName);
        Add(n.CalleeIdNumber, CalleeIdNumber);
        Add(n.NetworkAddr, NetworkAddr);
        Add(n.Ani, Ani);
        Add(n.DestinationNumber, DestinationNumber);
        Add(n.UniqueId, UniqueId);
        Add(n.Source, Source);
        Add(n.TransferSource, TransferSource);
        Add(n.Context, Context);
        Add(n.ChannelName, ChannelName);
        if (withIndex)
        {
            e.Add(n.ProfileIndex, Index.ToString(CultureInfo.InvariantCulture));
        }
        string T(long v) => zeroTimes ? "0" : v.ToString(CultureInfo.InvariantCulture);
        e.Add(n.ProfileCreatedTime, T(times.CreatedUs))
            .Add(n.ChannelCreatedTime, T(times.CreatedUs))
            .Add(n.ChannelAnsweredTime, T(times.AnsweredUs))
            .Add(n.ChannelProgressTime, T(times.ProgressUs))
            .Add(n.ChannelProgressMediaTime, T(times.ProgressMediaUs))
            .Add(n.ChannelHangupTime, T(times.HangupUs))
            .Add(n.ChannelTransferTime, "0")
            .Add(n.ChannelResurrectTime, "0")
            .Add(n.ChannelBridgedTime, T(times.BridgedUs))
            .Add(n.ChannelLastHold, "0")
            .Add(n.ChannelHoldAccum, "0")
            .Add(n.ScreenBit, "true")
            .Add(n.PrivacyHideName, "false")
            .Add(n.PrivacyHideNumber, "false");
    }
}
