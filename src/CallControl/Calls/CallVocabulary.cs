namespace CallControl.Calls;

/// <summary>Why a call went to the callee's phone number instead of the app (<c>calls.fallback_reason</c>).</summary>
public enum FallbackReason
{
    /// <summary>The callee was not connected to signaling (no WebSocket, no verto login) or dropped off while ringing.</summary>
    Offline,

    /// <summary>The callee did not join before the ring timer fired.</summary>
    NoAnswer,

    /// <summary>The callee joined but the app side failed: its leg hung up before the bridge, or <c>uuid_bridge</c> said -ERR.</summary>
    AppFailure,

    /// <summary>The callee pressed busy.</summary>
    Busy,

    /// <summary>The callee refused.</summary>
    Refused,
}

/// <summary>The role a FreeSWITCH channel plays in a call (<c>call_legs.role</c>).</summary>
public enum LegRole
{
    Caller,
    Callee,
    Pstn,
}

/// <summary>Who a notification goes to, and who hung up (<c>calls.hung_up_by</c>).</summary>
public enum CallParty
{
    Caller,
    Callee,

    /// <summary>Neither person: this service, FreeSWITCH or the carrier network ended it (a timer, a failure, an operator).</summary>
    Network,
}

/// <summary>How an answered call was answered (<c>calls.answered_via</c>).</summary>
public enum AnsweredVia
{
    App,
    Pstn,
}

public enum CallMedia
{
    Audio,
    Video,
}

/// <summary>What the signaling WebSocket tells a party (the list of room events).</summary>
public enum PartyNotice
{
    Ringing,
    Joined,
    Busy,
    Refused,
    Canceled,
    FallbackDialing,
    Answered,
    Ended,
}

public static class CallVocabularyNames
{
    public static string ToWire(this FallbackReason reason) => reason switch
    {
        FallbackReason.Offline => "offline",
        FallbackReason.NoAnswer => "no_answer",
        FallbackReason.AppFailure => "app_failure",
        FallbackReason.Busy => "busy",
        FallbackReason.Refused => "refused",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown fallback reason"),
    };

    public static string ToWire(this LegRole role) => role switch
    {
        LegRole.Caller => "caller",
        LegRole.Callee => "callee",
        LegRole.Pstn => "pstn",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown leg role"),
    };

    public static string ToWire(this CallParty party) => party switch
    {
        CallParty.Caller => "caller",
        CallParty.Callee => "callee",
        CallParty.Network => "network",
        _ => throw new ArgumentOutOfRangeException(nameof(party), party, "unknown party"),
    };

    public static string ToWire(this AnsweredVia via) => via switch
    {
        AnsweredVia.App => "app",
        AnsweredVia.Pstn => "pstn",
        _ => throw new ArgumentOutOfRangeException(nameof(via), via, "unknown answer path"),
    };

    public static string ToWire(this PartyNotice notice) => notice switch
    {
        PartyNotice.Ringing => "ringing",
        PartyNotice.Joined => "joined",
        PartyNotice.Busy => "busy",
        PartyNotice.Refused => "refused",
        PartyNotice.Canceled => "canceled",
        PartyNotice.FallbackDialing => "fallback-dialing",
        PartyNotice.Answered => "answered",
        PartyNotice.Ended => "ended",
        _ => throw new ArgumentOutOfRangeException(nameof(notice), notice, "unknown notice"),
    };
}
