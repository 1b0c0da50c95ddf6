using CallControl.Calls;

namespace CallControl.Tests.Calls;

/// <summary>
/// Fixed values and short builders for the scenario tables. Leg UUIDs are the ones in the captures
/// (fallback-answer: caller 89b67870..., carrier a4bcffd2...; app-to-app: callee 3077311f...).
/// </summary>
internal static class CallFixture
{
    public static readonly Guid CallId = Guid.Parse("c0ffee00-0000-4000-8000-000000000001");
    public const string Room = "f1";
    public const string CallerId = "alice";
    public const string CalleeId = "bob";
    public const string Number = "+15552220001";
    public const string A = "89b67870-cb1f-4c3a-8265-f6e6a85ef05d";
    public const string B = "3077311f-781b-4220-998b-3fb97cc2646c";
    public const string P = "a4bcffd2-ec09-4543-b715-d01e7d4ed10b";
    public const string Stray = "7b487862-963b-40e3-a615-49d7bcc13d7f";
    public static readonly TimeSpan Ring = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan PstnRing = TimeSpan.FromSeconds(45);
    public static readonly DateTimeOffset T0 = new(2026, 11, 26, 16, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset T(double seconds) => T0.AddSeconds(seconds);

    // ---- inputs ----

    /// <summary>A room call to app user bob, who has a number on file and allows fallback, with the default policy.</summary>
    public static CallCreated AppCall(
        bool online = true, string? number = Number, bool fallbackAllowed = true, bool record = false,
        FallbackPolicyOverrides? overrides = null) =>
        new(T0, CallId, Room, CallerId, CalleeId, number, online, fallbackAllowed, CallMedia.Audio, record,
            FallbackPolicy.Default, overrides, Ring, PstnRing, P);

    /// <summary>A direct phone call to <see cref="Number"/>.</summary>
    public static CallCreated PhoneCall() =>
        new(T0, CallId, Room, CallerId, null, Number, false, false, CallMedia.Audio, false,
            FallbackPolicy.Default, null, Ring, PstnRing, P);

    public static LegHungUp HungUp(double s, string leg, string cause, string? sip = null, string? disposition = null) =>
        new(T(s), leg, cause, sip, disposition);

    public static RingTimeoutFired RingTimeout(double s) => new(T(s), T0 + Ring);

    // ---- expected commands ----

    public static RecordTransition Rec(CallStatus? from, CallStatus to, string reason, double s) =>
        new(CallId, from, to, reason, T(s));

    public static AlertCallee Alert() => new(CallId, Room, CalleeId, CallerId, CallMedia.Audio);

    public static NotifyParty Tell(CallParty party, PartyNotice notice, CallStatus status) =>
        new(CallId, Room, party, notice, status);

    public static StartRingTimer Timer(double s) => new(CallId, T(s) + Ring);

    public static CancelRingTimer NoTimer() => new(CallId);

    public static HangupLeg Kill(string leg, string cause) => new(CallId, leg, cause);

    public static AnswerLeg Answer(string leg) => new(CallId, leg);

    public static BridgeLegs Bridge() => new(CallId, A, B);

    public static DialPstn Dial(FallbackReason? reason) => new(CallId, Room, A, P, Number, PstnRing, reason);

    public static SetAnswered AnsweredAt(AnsweredVia via, double s) => new(CallId, via, T(s));

    public static StartRecording RecordFromBridge() => new(CallId, A);

    public static SetFinalFields Final(
        CallStatus status, double s, string cause, CallParty by, int? sip = null, string? disposition = null,
        AnsweredVia? via = null, FallbackReason? reason = null) =>
        new(CallId, status, T(s), cause, sip, disposition, by, via, reason);

    public static CallHistoryEntry H(CallStatus? from, CallStatus to, string reason, double s) => new(from, to, reason, T(s));
}

/// <summary>One input and the exact commands it must produce.</summary>
internal sealed record ScenarioStep(CallInput Input, params CallCommand[] Expect);

/// <summary>A whole call: its inputs in order, then the status it must end in and its full state history.</summary>
internal sealed record CallScenario(string Name, ScenarioStep[] Steps, CallStatus Status, CallHistoryEntry[] History);
