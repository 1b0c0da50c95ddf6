using CallControl.Esl.Events;
using CallControl.Switch;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallControl.Cdr;

/// <summary>
/// The event path of the CDR: each leg's CHANNEL_HANGUP_COMPLETE (from any node) writes the leg's row at once, through
/// the same upsert as mod_json_cdr's POST, which arrives later and completes it. With the database down the write goes
/// to the CDR journal; should even that fail (disk), the POST still brings the row: FreeSWITCH spools and retries it
/// until we answer 200.
/// </summary>
public sealed class HangupCdrHandler(CdrWriter writer, ILogger<HangupCdrHandler> logger) : IFencedEventHandler
{
    /// <inheritdoc/>
    public async ValueTask HandleAsync(string node, EslEvent freeSwitchEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(freeSwitchEvent);
        if (!string.Equals(freeSwitchEvent.EventName, HangupEventMapper.EventName, StringComparison.Ordinal))
        {
            return;
        }

        if (HangupEventMapper.Map(freeSwitchEvent, node) is not { } leg)
        {
            Log.CdrEventSkipped(logger, node, $"CHANNEL_HANGUP_COMPLETE without a channel UUID ('{freeSwitchEvent.UniqueId}')");
            return;
        }

        try
        {
            await writer.WriteAsync(leg, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
        {
            // mod_json_cdr's POST is the backstop for this leg.
            Log.CdrStoreFailed(logger, leg.LegUuid, "event", e);
        }
    }
}
