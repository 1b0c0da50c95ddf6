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
        string? hangupCause = null) => new()
        {
            LegUuid = legUuid,
            Source = source,
            CallId = Guid.TryParse(Get(variables, CallIdVariable), out var callId) ? callId : null,
            Role = Get(variables, RoleVariable) is { } role && Roles.Contains(role) ? role : null,
            ChannelName = channelName ?? Get(variables, "channel_name"),
            Direction = direction ?? Get(variables, "direction"),
            StartAt = FreeSwitchTime.FromMicroseconds(Get(variables, "start_uepoch")),
            ProgressAt = FreeSwitchTime.FromMicroseconds(Get(variables, "progress_uepoch")),
            ProgressMediaAt = FreeSwitchTime.FromMicroseconds(Get(variables, "progress_media_uepoch")),
            AnswerAt = FreeSwitchTime.FromMicroseconds(Get(variables, "answer_uepoch")),
            EndAt = FreeSwitchTime.FromMicroseconds(Get(variables, "end_uepoch")),
            Duration = Int(Get(variables, "duration")),
            Billsec = Int(Get(variables, "billsec")),
            HangupCause = hangupCause ?? Get(variables, "hangup_cause"),
            SipTermStatus = Get(variables, "sip_term_status"),
            ReadCodec = Get(variables, "read_codec"),
            WriteCodec = Get(variables, "write_codec"),
            VariableMap = variables,
            JsonCdr = jsonCdr,
            FreeswitchNode = node,
        };

    /// <summary>The room a leg belongs to: our <c>x_room_id</c>, else the dialplan's <c>room_id</c>.</summary>
    public static string? RoomId(IReadOnlyDictionary<string, string> variables) =>
        Get(variables, RoomIdVariable) ?? Get(variables, DialplanRoomIdVariable);

    /// <summary>A variable's value, null when absent or empty (FreeSWITCH serialises empty plain values as <c>_undef_</c>).</summary>
    public static string? Get(IReadOnlyDictionary<string, string> variables, string name) =>
        variables.TryGetValue(name, out var v) && v.Length > 0 && v != "_undef_" ? v : null;

    private static int? Int(string? text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
}
