namespace FreeSwitchSim.Tests.Fidelity;

/// <summary>
/// Differences between the simulator and the captures that these end-to-end tests found and that are not fixed:
/// each one a difference line as <see cref="FidelityCompare"/> prints it (<c>*</c> = any event type), with the
/// reason. A test lists the ones its scenario shows; one that stops occurring fails the test, so the lists stay exact.
/// </summary>
internal static class KnownGaps
{
    /// <summary>On a bridged leg FreeSWITCH's Other-Leg-* copy of the other caller profile keeps 0 for its
    /// bridged, hangup (and, with early media, answered) times; the sim fills them from the other leg's live times.</summary>
    public const string OtherLegBridgedTimeFilled = "* Other-Leg-Channel-Bridged-Time: format captured int simulated usec";

    public const string OtherLegHangupTimeFilled = "* Other-Leg-Channel-Hangup-Time: format captured int simulated usec";

    public const string OtherLegAnsweredTimeFilled = "* Other-Leg-Channel-Answered-Time: format captured int simulated usec";

    /// <summary>The other way round: FreeSWITCH copies the B leg's progress times into Other-Leg-*, the sim
    /// leaves them 0 (FIDELITY.md: "Other-Leg-* time headers of an originator copy are all 0").</summary>
    public const string OtherLegProgressTimeZero = "* Other-Leg-Channel-Progress-Time: format captured usec simulated int";

    public const string OtherLegProgressMediaTimeZero = "* Other-Leg-Channel-Progress-Media-Time: format captured usec simulated int";

    /// <summary>After a bridge to a busy carrier (486, no 180 before it) the sim has Caller-Callee-ID-* on the
    /// caller's events; FreeSWITCH's caller profile has none. With a ringing carrier (fallback-noanswer,
    /// caller-cancel) both have them: FreeSWITCH seems to learn the callee id from the far end's progress, the sim
    /// sets it when the B leg is created.</summary>
    public const string CalleeIdKeptAfterBusy = "* header Caller-Callee-ID-*: extra";

    /// <summary>The CALL_UPDATE of a bridge to the carrier: FreeSWITCH's Sent-Callee-ID-Number is the number with
    /// its '+' (%2B on the wire); the sim's value has no character that needs encoding.</summary>
    public const string SentCalleeNumberPlain = "CALL_UPDATE Sent-Callee-ID-Number: percent-encoded captured True simulated False";

    /// <summary>A leg made by the originate API: FreeSWITCH's caller profile has Caller-Network-Addr, the sim's
    /// has none.</summary>
    public const string OriginateNoNetworkAddr = "* header Caller-Network-Addr: missing";

    /// <summary>PRESENCE_IN's <c>login</c> header: FreeSWITCH sends the calling source file
    /// (<c>src/switch_channel.c</c>, unencoded), the sim a value that needs encoding (FIDELITY.md: PRESENCE_IN
    /// headers are approximations).</summary>
    public const string PresenceLogin = "PRESENCE_IN login: percent-encoded captured False simulated True";

    /// <summary>Two bridged verto legs: FreeSWITCH's Other-Leg caller id is the verto display name and user
    /// (text, needing encoding) and it has Other-Leg-Callee-ID-*; the sim copies the number and leaves the
    /// callee id out.</summary>
    public static readonly string[] VertoOtherLegIds =
    [
        "* Other-Leg-Caller-ID-Name: percent-encoded captured True simulated False",
        "* Other-Leg-Caller-ID-Number: format captured text simulated int",
        "* header Other-Leg-Callee-ID-Name: missing",
        "* header Other-Leg-Callee-ID-Number: missing",
    ];
}
