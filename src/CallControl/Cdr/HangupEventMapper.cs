using CallControl.Data;
using CallControl.Esl.Events;

namespace CallControl.Cdr;

/// <summary>
/// A leg's CHANNEL_HANGUP_COMPLETE to the same row mod_json_cdr will post later. The event carries the channel's
/// variables as <c>variable_&lt;name&gt;</c> headers (percent-encoded on the wire; <see cref="EslEvent"/> decodes them)
/// and the channel's facts as headers (Unique-ID, Channel-Name, Call-Direction, Hangup-Cause).
/// </summary>
public static class HangupEventMapper
{
    /// <summary>The event that closes a leg's CDR.</summary>
    public const string EventName = "CHANNEL_HANGUP_COMPLETE";

    private const string VariablePrefix = "variable_";

    /// <summary>
    /// The row, or null when the event is not a CHANNEL_HANGUP_COMPLETE with a channel UUID. With
    /// <paramref name="withVariables"/> false only the facts are read (a dozen variables, looked up one by one): for a
    /// leg whose mod_json_cdr document is stored already, whose variables the event's would not change (see
    /// <see cref="CdrWriter.Submit"/>), so its 200-odd headers are not copied into a map only to be dropped.
    /// </summary>
    public static LegUpsert? Map(EslEvent freeSwitchEvent, string node, bool withVariables = true)
    {
        ArgumentNullException.ThrowIfNull(freeSwitchEvent);
        if (!string.Equals(freeSwitchEvent.EventName, EventName, StringComparison.Ordinal) ||
            !Guid.TryParse(freeSwitchEvent.UniqueId, out var legUuid))
        {
            return null;
        }

        if (!withVariables)
        {
            return LegVariables.Facts(
                legUuid,
                LegSource.Event,
                name => LegVariables.Known(freeSwitchEvent.GetVariable(name)),
                node,
                jsonCdr: null,
                channelName: freeSwitchEvent.ChannelName,
                direction: freeSwitchEvent.CallDirection,
                hangupCause: freeSwitchEvent.HangupCause);
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in freeSwitchEvent.Headers)
        {
            // A name can repeat in one event; the first occurrence is the channel's value.
            if (name.StartsWith(VariablePrefix, StringComparison.Ordinal))
            {
                variables.TryAdd(name[VariablePrefix.Length..], value);
            }
        }

        return LegVariables.ToUpsert(
            legUuid,
            LegSource.Event,
            variables,
            node,
            jsonCdr: null,
            channelName: freeSwitchEvent.ChannelName,
            direction: freeSwitchEvent.CallDirection,
            hangupCause: freeSwitchEvent.HangupCause);
    }
}
