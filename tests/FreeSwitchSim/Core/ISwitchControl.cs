namespace FreeSwitchSim.Core;

/// <summary>
/// What a test, the demo or the HTTP control API does to the simulated world: verto clients log in, place and
/// answer calls, press keys; carrier numbers get behaviours; the whole switch can restart as after a crash.
/// Implemented by the switch model (Switch/); used by the control API (Http/) and by in-process tests.
/// </summary>
public interface ISwitchControl
{
    /// <summary>A verto client connects and logs in (checked against the xml_curl directory URL when configured,
    /// else the built-in users 1000..1019 / 1234). Fires verto::client_connect and verto::login.
    /// Returns false (and fires verto::login with verto_success=0) when the login is refused.</summary>
    Task<bool> LoginAsync(string user, string password, CancellationToken cancellationToken);

    /// <summary>A login that also sends <c>userVariables</c> (verto.login's <c>params.userVariables</c>): mod_verto
    /// sets them on every channel the client creates, after the directory user's variables, so they override
    /// <c>user_name</c>, <c>verto_user</c> or any other variable. Entries with an empty name or value are ignored,
    /// as mod_verto does. The caller profile's username (<c>Caller-Username</c>) stays the authenticated login.</summary>
    Task<bool> LoginAsync(string user, string password, IReadOnlyDictionary<string, string>? userVariables, CancellationToken cancellationToken);

    /// <summary>The verto client closes its WebSocket (verto::client_disconnect); its calls hang up.</summary>
    void Logout(string user);

    /// <summary>The client's verto leg calls <paramref name="destination"/>, routed by the dialplan. Returns the leg's UUID.</summary>
    string PlaceCall(string user, string destination, CallOptions? options = null);

    /// <summary>The client answers a call ringing on its verto leg (e.g. one that originate sent it).</summary>
    void Answer(string uuid);

    /// <summary>The client (or remote party) hangs up with a cause (NORMAL_CLEARING by default).</summary>
    void Hangup(string uuid, string? cause = null);

    /// <summary>The client presses keys on its leg (DTMF events on that channel).</summary>
    void PressDigits(string uuid, string digits);

    IReadOnlyList<ChannelSnapshot> Channels();

    /// <summary>Every event the switch fires, in firing order, raised on the firing thread (keep handlers short).</summary>
    event Action<SimEvent>? EventFired;

    ChannelSnapshot? Channel(string uuid);

    /// <summary>Replaces a carrier gateway's number rules (longest matching prefix wins, the gateway default otherwise).</summary>
    void SetGatewayRules(string gateway, IReadOnlyList<GatewayRule> rules);

    /// <summary>All channels vanish, Core-UUID changes, as after a crash and restart. CDRs not yet POSTed stay spooled.</summary>
    void Restart();
}

/// <summary>Options for a client-placed call: answer automatically when rung, hang up automatically after answer.</summary>
public sealed record CallOptions(int? AutoAnswerMs = null, int? AutoHangupMs = null);

/// <summary>How a carrier number behaves: answer, early-answer, busy, noanswer, decline, notfound, unreachable.</summary>
public sealed record GatewayRule(string Prefix, string Behaviour, int DelayMs = 0);

/// <summary>A channel as the control API shows it.</summary>
public sealed record ChannelSnapshot(
    string Uuid,
    string Name,
    string State,
    string CallState,
    string AnswerState,
    string Direction,
    string? OtherLegUuid,
    IReadOnlyDictionary<string, string> Variables,
    IReadOnlyList<ReceivedDigit> DigitsReceived);

/// <summary>A DTMF digit this leg received (e.g. from uuid_send_dtmf), with its duration in ms.</summary>
public sealed record ReceivedDigit(char Digit, int DurationMs);
