using System.Collections.Concurrent;

namespace FreeSwitchSim.Switch;

/// <summary>
/// The header names of a caller profile under one prefix (<c>Caller</c>, <c>Other-Leg</c>, <c>Channel</c>), made once
/// per prefix: every channel event carries one or two profiles, and joining prefix and name for each header of each
/// event was a large share of the simulator's allocations.
/// </summary>
internal sealed class ProfileHeaderNames
{
    private static readonly ConcurrentDictionary<string, ProfileHeaderNames> ByPrefix = new(StringComparer.Ordinal);

    private ProfileHeaderNames(string prefix)
    {
        Direction = prefix + "-Direction";
        LogicalDirection = prefix + "-Logical-Direction";
        Username = prefix + "-Username";
        Dialplan = prefix + "-Dialplan";
        CallerIdName = prefix + "-Caller-ID-Name";
        CallerIdNumber = prefix + "-Caller-ID-Number";
        OrigCallerIdName = prefix + "-Orig-Caller-ID-Name";
        OrigCallerIdNumber = prefix + "-Orig-Caller-ID-Number";
        CalleeIdName = prefix + "-Callee-ID-Name";
        CalleeIdNumber = prefix + "-Callee-ID-Number";
        NetworkAddr = prefix + "-Network-Addr";
        Ani = prefix + "-ANI";
        DestinationNumber = prefix + "-Destination-Number";
        UniqueId = prefix + "-Unique-ID";
        Source = prefix + "-Source";
        TransferSource = prefix + "-Transfer-Source";
        Context = prefix + "-Context";
        ChannelName = prefix + "-Channel-Name";
        ProfileIndex = prefix + "-Profile-Index";
        ProfileCreatedTime = prefix + "-Profile-Created-Time";
        ChannelCreatedTime = prefix + "-Channel-Created-Time";
        ChannelAnsweredTime = prefix + "-Channel-Answered-Time";
        ChannelProgressTime = prefix + "-Channel-Progress-Time";
        ChannelProgressMediaTime = prefix + "-Channel-Progress-Media-Time";
        ChannelHangupTime = prefix + "-Channel-Hangup-Time";
        ChannelTransferTime = prefix + "-Channel-Transfer-Time";
        ChannelResurrectTime = prefix + "-Channel-Resurrect-Time";
        ChannelBridgedTime = prefix + "-Channel-Bridged-Time";
        ChannelLastHold = prefix + "-Channel-Last-Hold";
        ChannelHoldAccum = prefix + "-Channel-Hold-Accum";
        ScreenBit = prefix + "-Screen-Bit";
        PrivacyHideName = prefix + "-Privacy-Hide-Name";
        PrivacyHideNumber = prefix + "-Privacy-Hide-Number";
    }

    public string Direction { get; }
    public string LogicalDirection { get; }
    public string Username { get; }
    public string Dialplan { get; }
    public string CallerIdName { get; }
    public string CallerIdNumber { get; }
    public string OrigCallerIdName { get; }
    public string OrigCallerIdNumber { get; }
    public string CalleeIdName { get; }
    public string CalleeIdNumber { get; }
    public string NetworkAddr { get; }
    public string Ani { get; }
    public string DestinationNumber { get; }
    public string UniqueId { get; }
    public string Source { get; }
    public string TransferSource { get; }
    public string Context { get; }
    public string ChannelName { get; }
    public string ProfileIndex { get; }
    public string ProfileCreatedTime { get; }
    public string ChannelCreatedTime { get; }
    public string ChannelAnsweredTime { get; }
    public string ChannelProgressTime { get; }
    public string ChannelProgressMediaTime { get; }
    public string ChannelHangupTime { get; }
    public string ChannelTransferTime { get; }
    public string ChannelResurrectTime { get; }
    public string ChannelBridgedTime { get; }
    public string ChannelLastHold { get; }
    public string ChannelHoldAccum { get; }
    public string ScreenBit { get; }
    public string PrivacyHideName { get; }
    public string PrivacyHideNumber { get; }

    public static ProfileHeaderNames For(string prefix) => ByPrefix.GetOrAdd(prefix, static p => new ProfileHeaderNames(p));
}
