using CallControl.Esl.Events;
using CallControl.Switch;
using Microsoft.Extensions.Logging;

namespace CallControl.Cdr;

/// <summary>
/// The event path of the CDR: each leg's CHANNEL_HANGUP_COMPLETE (from any node) becomes the leg's row through the
/// same writer as mod_json_cdr's POST, which follows it: written together with the POST when it comes within
/// <see cref="CdrWriterOptions.EventHold"/>, alone otherwise. With the database down the write goes to the CDR journal;
/// should even that fail (disk), the POST still brings the row: FreeSWITCH spools and retries it until we answer 200.
/// </summary>
public sealed class HangupCdrHandler(CdrWriter writer, ILogger<HangupCdrHandler> logger) : IFencedEventHandler
{
    /// <inheritdoc/>
    public ValueTask HandleAsync(string node, EslEvent freeSwitchEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(freeSwitchEvent);
        if (!string.Equals(freeSwitchEvent.EventName, HangupEventMapper.EventName, StringComparison.Ordinal))
        {
            return ValueTask.CompletedTask;
        }

        // FreeSWITCH fires the event after its synchronous POST was answered, so the leg's document is usually
        // stored already: then only the event's facts are mapped (the writer would drop its variables anyway).
        var withVariables = !Guid.TryParse(freeSwitchEvent.UniqueId, out var uuid) || !writer.IsStored(uuid);
        if (HangupEventMapper.Map(freeSwitchEvent, node, withVariables) is not { } leg)
        {
            Log.CdrEventSkipped(logger, node, $"CHANNEL_HANGUP_COMPLETE without a channel UUID ('{freeSwitchEvent.UniqueId}')");
            return ValueTask.CompletedTask;
        }

        // Handed over, not awaited: the channel's queue goes on while the writer holds the leg for its POST and
        // stores it (or journals it); a failure is the writer's to log, and mod_json_cdr's POST is the backstop.
        writer.Submit(leg);
        return ValueTask.CompletedTask;
    }
}
