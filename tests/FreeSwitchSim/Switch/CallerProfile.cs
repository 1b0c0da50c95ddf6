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
        // Empty profile fields are left out (an API originate has no Username, Dialplan or Caller-ID-Name).
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                e.Add(prefix + name, value);
            }
        }
        Add("-Direction", Direction);
        Add("-Logical-Direction", LogicalDirection);
        Add("-Username", Username);
        Add("-Dialplan", Dialplan);
        Add("-Caller-ID-Name", CallerIdName);
        Add("-Caller-ID-Number", CallerIdNumber);
        Add("-Orig-Caller-ID-Name", OrigCallerIdName);
        Add("-Orig-Caller-ID-Number", OrigCallerIdNumber);
        Add("-Callee-ID-Name", CalleeIdName);
        Add("-Callee-ID-Number", CalleeIdNumber);
        Add("-Network-Addr", NetworkAddr);
        Add("-ANI", Ani);
        Add("-Destination-Number", DestinationNumber);
        Add("-Unique-ID", UniqueId);
        Add("-Source", Source);
        Add("-Transfer-Source", TransferSource);
        Add("-Context", Context);
        Add("-Channel-Name", ChannelName);
        if (withIndex)
        {
            e.Add(prefix + "-Profile-Index", Index.ToString(CultureInfo.InvariantCulture));
        }
        string T(long v) => zeroTimes ? "0" : v.ToString(CultureInfo.InvariantCulture);
        e.Add(prefix + "-Profile-Created-Time", T(times.CreatedUs))
            .Add(prefix + "-Channel-Created-Time", T(times.CreatedUs))
            .Add(prefix + "-Channel-Answered-Time", T(times.AnsweredUs))
            .Add(prefix + "-Channel-Progress-Time", T(times.ProgressUs))
            .Add(prefix + "-Channel-Progress-Media-Time", T(times.ProgressMediaUs))
            .Add(prefix + "-Channel-Hangup-Time", T(times.HangupUs))
            .Add(prefix + "-Channel-Transfer-Time", "0")
            .Add(prefix + "-Channel-Resurrect-Time", "0")
            .Add(prefix + "-Channel-Bridged-Time", T(times.BridgedUs))
            .Add(prefix + "-Channel-Last-Hold", "0")
            .Add(prefix + "-Channel-Hold-Accum", "0")
            .Add(prefix + "-Screen-Bit", "true")
            .Add(prefix + "-Privacy-Hide-Name", "false")
            .Add(prefix + "-Privacy-Hide-Number", "false");
    }
}
