namespace FreeSwitchSim.Core;

/// <summary>
/// One log line as switch_log_printf produces it, for ESL listeners that asked for <c>log &lt;level&gt;</c>.
/// Level uses FreeSWITCH numbers: 0 CONSOLE, 1 ALERT, 2 CRIT, 3 ERR, 4 WARNING, 5 NOTICE, 6 INFO, 7 DEBUG.
/// <paramref name="SessionUuid"/> set means a channel log (Text-Channel 3, User-Data = the UUID).
/// <paramref name="Message"/> is the text after "file:line " and normally ends with "\n".
/// </summary>
public sealed record SimLogLine(
    int Level,
    string File,
    string Function,
    int Line,
    string Message,
    string? SessionUuid,
    DateTimeOffset Timestamp);

/// <summary>Optional: a switch that logs implements this; the ESL layer turns lines into <c>log/data</c> frames.</summary>
public interface ISwitchLogSource
{
    event Action<SimLogLine>? LogEmitted;
}

/// <summary>Optional: lets the ESL layer set a channel variable the way mod_event_socket does itself
/// (<c>resume</c> sets <c>socket_resume=true</c> on the controlled channel) without firing API events.</summary>
public interface ISwitchChannelVariables
{
    /// <summary>Returns false when the channel does not exist.</summary>
    bool SetChannelVariable(string uuid, string name, string value);
}
