namespace FreeSwitchSim.Esl;

/// <summary>EVENT_NAMES from switch_event.c and switch_name_event's lookup.</summary>
internal static class EventNames
{
    public const string All = "ALL";
    public const string Custom = "CUSTOM";

    public static readonly string[] Known =
    [
        "CUSTOM", "CLONE", "CHANNEL_CREATE", "CHANNEL_DESTROY", "CHANNEL_STATE", "CHANNEL_CALLSTATE", "CHANNEL_ANSWER",
        "CHANNEL_HANGUP", "CHANNEL_HANGUP_COMPLETE", "CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE", "CHANNEL_HOLD",
        "CHANNEL_UNHOLD", "CHANNEL_BRIDGE", "CHANNEL_UNBRIDGE", "CHANNEL_PROGRESS", "CHANNEL_PROGRESS_MEDIA",
        "CHANNEL_OUTGOING", "CHANNEL_PARK", "CHANNEL_UNPARK", "CHANNEL_APPLICATION", "CHANNEL_ORIGINATE", "CHANNEL_UUID",
        "API", "LOG", "INBOUND_CHAN", "OUTBOUND_CHAN", "STARTUP", "SHUTDOWN", "PUBLISH", "UNPUBLISH", "TALK", "NOTALK",
        "SESSION_CRASH", "MODULE_LOAD", "MODULE_UNLOAD", "DTMF", "MESSAGE", "PRESENCE_IN", "NOTIFY_IN", "PRESENCE_OUT",
        "PRESENCE_PROBE", "MESSAGE_WAITING", "MESSAGE_QUERY", "ROSTER", "CODEC", "BACKGROUND_JOB", "DETECTED_SPEECH",
        "DETECTED_TONE", "PRIVATE_COMMAND", "HEARTBEAT", "TRAP", "ADD_SCHEDULE", "DEL_SCHEDULE", "EXE_SCHEDULE",
        "RE_SCHEDULE", "RELOADXML", "NOTIFY", "PHONE_FEATURE", "PHONE_FEATURE_SUBSCRIBE", "SEND_MESSAGE", "RECV_MESSAGE",
        "REQUEST_PARAMS", "CHANNEL_DATA", "GENERAL", "COMMAND", "SESSION_HEARTBEAT", "CLIENT_DISCONNECTED",
        "SERVER_DISCONNECTED", "SEND_INFO", "RECV_INFO", "RECV_RTCP_MESSAGE", "SEND_RTCP_MESSAGE", "CALL_SECURE", "NAT",
        "RECORD_START", "RECORD_STOP", "PLAYBACK_START", "PLAYBACK_STOP", "CALL_UPDATE", "FAILURE", "SOCKET_DATA",
        "MEDIA_BUG_START", "MEDIA_BUG_STOP", "CONFERENCE_DATA_QUERY", "CONFERENCE_DATA", "CALL_SETUP_REQ",
        "CALL_SETUP_RESULT", "CALL_DETAIL", "DEVICE_STATE", "TEXT", "SHUTDOWN_REQUESTED", "CERT_RELOAD", "ALL",
    ];

    /// <summary>The events <c>myevents</c> turns on (parse_command).</summary>
    public static readonly string[] MyEvents =
    [
        "CHANNEL_ANSWER", "CHANNEL_APPLICATION", "CHANNEL_BRIDGE", "CHANNEL_CREATE", "CHANNEL_DATA", "CHANNEL_DESTROY",
        "CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE", "CHANNEL_HANGUP", "CHANNEL_HANGUP_COMPLETE", "CHANNEL_ORIGINATE",
        "CHANNEL_UUID", "CHANNEL_OUTGOING", "CHANNEL_PARK", "CHANNEL_PROGRESS", "CHANNEL_PROGRESS_MEDIA", "CHANNEL_STATE",
        "CHANNEL_UNBRIDGE", "CHANNEL_UNPARK", "DETECTED_SPEECH", "DTMF", "NOTALK", "TALK",
    ];

    /// <summary>switch_name_event: case-insensitive, also accepting the "SWITCH_EVENT_" prefixed form.</summary>
    public static string? Lookup(string name)
    {
        foreach (var known in Known)
        {
            if (string.Equals(name, known, StringComparison.OrdinalIgnoreCase)
                || (name.Length > 13 && string.Equals(name[13..], known, StringComparison.OrdinalIgnoreCase)))
            {
                return known;
            }
        }
        return null;
    }
}
