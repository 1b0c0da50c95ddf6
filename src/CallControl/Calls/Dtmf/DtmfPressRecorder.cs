using System.Globalization;
using CallControl.Calls.Router;
using CallControl.Esl.Events;
using CallControl.Switch;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CallControl.Calls.Dtmf;

/// <summary>
/// Records the digits a party presses: FreeSWITCH raises one <c>DTMF</c> event per digit on the leg that received it
/// (headers <c>DTMF-Digit</c>, <c>DTMF-Duration</c>, <c>DTMF-Source</c>; capture app-to-app). Only legs of a call the
/// router adopted are recorded.
/// </summary>
public sealed class DtmfPressRecorder(
    CallRouter router, DtmfStore store, IOptions<DtmfOptions> options, TimeProvider clock, ILogger<DtmfPressRecorder> logger)
    : IFreeSwitchEventHandler
{
    /// <summary>
    /// <c>DTMF-Duration</c> counts samples of FreeSWITCH's 8 kHz DTMF clock, not milliseconds: its default digit,
    /// 2000 samples, is 250 ms (the capture's pressed digits carry 2000).
    /// </summary>
    public const int SamplesPerMs = 8;

    /// <inheritdoc/>
    public async ValueTask HandleAsync(string node, EslEvent freeSwitchEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(freeSwitchEvent);
        if (freeSwitchEvent.EventName != "DTMF"
            || freeSwitchEvent.UniqueId is not { } leg
            || freeSwitchEvent.GetHeader("DTMF-Digit") is not { Length: 1 } digit
            || !Guid.TryParse(leg, out var legUuid)
            || router.FindByLeg(leg) is not { } session
            || DtmfLegs.RoleOf(session.State, leg) is not { } role)
        {
            return;
        }

        var samples = int.TryParse(freeSwitchEvent.GetHeader("DTMF-Duration"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var row = new DtmfRecord
        {
            CallId = session.CallId,
            LegUuid = legUuid,
            Role = role,
            Digit = options.Value.MaskDigits ? DtmfOptions.Mask : digit,
            DurationMs = samples / SamplesPerMs,
            Source = "pressed",
            At = clock.GetUtcNow().UtcDateTime,
        };
        try
        {
            await store.AddAsync([row], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            DtmfLog.NotRecorded(logger, e, session.CallId, leg);
        }
    }
}
