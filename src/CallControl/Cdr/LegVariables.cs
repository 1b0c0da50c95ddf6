using System.Globalization;
using CallControl.Data;

namespace CallControl.Cdr;

/// <summary>
/// Builds a leg row from a channel's variables, whichever path carried them: mod_json_cdr's <c>variables</c> object
/// or the <c>variable_*</c> headers of CHANNEL_HANGUP_COMPLETE. Both carry the same names (start_uepoch, billsec,
/// hangup_cause, sip_term_status, read_codec, ...), so one mapping serves both and the two rows agree.
/// </summary>
internal static class LegVariables
{
    /// <summary>Our channel variables: the call and room a leg belongs to, and the leg's role.</summary>
    public const string CallIdVariable = "x_call_id";
    public const string RoomIdVariable = "x_room_id";
    public const string DialplanRoomIdVariable = "room_id";
    public const string RoleVariable = "x_leg_role";

    private static readonly HashSet<string> Roles = new(StringComparer.Ordinal) { "caller", "callee", "pstn" };

    /// <summary>The row for <paramref name="legUuid"/> from decoded <paramref name="variables"/>; the header-level
    /// facts an event has (Channel-Name, Call-Direction, Hangup-Cause) override the variables when given.</summary>
    public static LegUpsert ToUpsert(
        Guid legUuid,
        LegSource source,
        IReadOnlyDictionary<string, string> variables,
        string? node,
        string? jsonCdr,
        string? channelName = null,
        string? direction = null,
        string? hangupCause = null) =>
        Facts(legUuid, source, name => Get(variables, name), node, jsonCdr, channelName, direction, hangupCause)
            with { VariableMap = variables };

    /// <summary>
    /// The row's facts alone, each variable read through <paramref name="variable"/> (null when absent, empty or
    /// <c>_undef_</c>, as <see cref="Get"/>): the same columns <see cref="ToUpsert"/> fills, without the variables.
    /// </summary>
    public static LegUpsert Facts(
        Guid legUuid,
        LegSource source,
        Func<string, string?> variable,
        string? node,
        string? jsonCdr,
        string? channelName = null,
        string? direction = null,
        string? hangupCause = null) => new()
        {
            LegUuid = legUuid,
            Source = source,
            CallId = Guid.TryParse(variable(CallIdVariable), out var callId) ? callId : null,
            Role = variable(RoleVariable) is { } role && Roles.Contains(role) ? role : null,
            ChannelName = channelName ?? variable("channel_name"),
            Direction = direction ?? variable("direction"),
            StartAt = FreeSwitchTime.FromMicroseconds(variable("start_uepoch")),
            ProgressAt = FreeSwitchTime.FromMicroseconds(variable("progress_uepoch")),
            ProgressMediaAt = FreeSwitchTime.FromMicroseconds(variable("progress_media_uepoch")),
            AnswerAt = FreeSwitchTime.FromMicroseconds(variable("answer_uepoch")),
            EndAt = FreeSwitchTime.FromMicroseconds(variable("end_uepoch")),
            Duration = Int(variable("duration")),
            Billsec = Int(variable("billsec")),
            HangupCause = hangupCause ?? variable("hangup_cause"),
            SipTermStatus = variable("sip_term_status"),
            ReadCodec = variable("read_codec"),
            WriteCodec = variable("write_codec"),
            JsonCdr = jsonCdr,
            FreeswitchNode = node,
        };

    /// <summary>The room a leg belongs to: our <c>x_room_id</c>, else the dialplan's <c>room_id</c>.</summary>
    public static string? RoomId(IReadOnlyDictionary<string, string> variables) =>
        Get(variables, RoomIdVariable) ?? Get(variables, DialplanRoomIdVariable);

    /// <summary>A variable's value, null when absent or empty (FreeSWITCH serialises empty plain values as <c>_undef_</c>).</summary>
    public static string? Get(IReadOnlyDictionary<string, string> variables, string name) =>
        Known(variables.TryGetValue(name, out var v) ? v : null);

    /// <summary>A variable's value as read, null when absent or empty (or FreeSWITCH's <c>_undef_</c>).</summary>
    public static string? Known(string? value) => value is { Length: > 0 } and not "_undef_" ? value : null;

    private static int? Int(string? text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
}
