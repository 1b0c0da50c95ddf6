using System.Globalization;
using CallControl.Esl.Events;
using CallControl.Switch;

namespace CallControl.Calls.Recording;

/// <summary>
/// Tracks recordings from FreeSWITCH's events and the call's end. RECORD_START (switch_ivr_async.c record_callback)
/// carries <c>Record-File-Path</c>; RECORD_STOP (send_record_stop_event) carries it too, with the channel's
/// <c>variable_record_ms</c> (samples written, so paused time is not in it) and <c>Record-Completion-Cause</c>. A
/// hangup closes the media bug, so a recording always ends with a RECORD_STOP; the call's end may come before or after
/// it. When both have happened the archive is enqueued (<see cref="RecordingArchiveTrigger"/>), once.
/// </summary>
public sealed class RecordingTracker(
    RecordingController controller,
    RecordingStore store,
    RecordingArchiveTrigger archive,
    TimeProvider clock,
    ILogger<RecordingTracker> logger) : IFreeSwitchEventHandler
{
    /// <inheritdoc />
    public async ValueTask HandleAsync(string node, EslEvent freeSwitchEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(freeSwitchEvent);
        var name = freeSwitchEvent.EventName;
        if (name is not ("RECORD_START" or "RECORD_STOP") || freeSwitchEvent["Record-File-Path"] is not { Length: > 0 } path)
        {
            return;
        }

        if (name == "RECORD_START")
        {
            // Normally already written when FreeSWITCH accepted the command; this covers a reply that was lost.
            if (controller.FindFile(node, path) is { } started)
            {
                await store.InsertStartedAsync(started, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        long? durationMs = long.TryParse(freeSwitchEvent.GetVariable("record_ms"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? ms : null;
        controller.Stopped(node, path);
        // Keyed by node and file rather than by what this process remembers, so it also works after a restart.
        var stopped = await store.MarkStoppedAsync(node, path, clock.GetUtcNow().UtcDateTime, durationMs, cancellationToken).ConfigureAwait(false);
        if (stopped is Guid id)
        {
            RecordingLog.Stopped(logger, id, node, durationMs);
            await archive.TryEnqueueAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The call reached its final status at <paramref name="endedAt"/>: its recordings learn it, and those
    /// already stopped are archived.</summary>
    public async Task CallEndedAsync(Guid callId, DateTimeOffset endedAt, CancellationToken cancellationToken)
    {
        var recordings = await store.MarkCallEndedAsync(callId, endedAt.UtcDateTime, cancellationToken).ConfigureAwait(false);
        await RecordingsEndedAsync(callId, recordings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The call's final transition already stamped <paramref name="recordings"/> with its end (in the same
    /// statement): those already stopped are archived.</summary>
    public async Task RecordingsEndedAsync(Guid callId, IReadOnlyList<Guid> recordings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        foreach (var id in recordings)
        {
            await archive.TryEnqueueAsync(id, cancellationToken).ConfigureAwait(false);
        }

        controller.Forget(callId);
    }
}
