using System.Collections.Concurrent;
using CallControl.Calls.Router;
using CallControl.Esl.Connection;
using CallControl.Switch;
using Microsoft.Extensions.Options;

namespace CallControl.Calls.Recording;

/// <summary>
/// Drives FreeSWITCH's recording of live calls: <c>uuid_setvar &lt;leg&gt; RECORD_STEREO true</c> then <c>uuid_record
/// &lt;leg&gt; start &lt;path&gt;</c> (stereo: the leg's read audio, its own party, left; its write audio, the other
/// party, right), and stop / pause / resume of that file. Each call's recording actions run one at a time. The file is
/// chosen here (<see cref="RecordingPaths"/>), never by a client. The row is written as soon as FreeSWITCH accepts
/// (and again, harmlessly, on RECORD_START); stop and the archive follow from RECORD_STOP
/// (<see cref="RecordingTracker"/>).
/// </summary>
public sealed class RecordingController(
    IServiceProvider services,
    RecordingStore store,
    IOptions<FreeSwitchOptions> switchOptions,
    TimeProvider clock,
    ILogger<RecordingController> logger)
{
    private readonly ConcurrentDictionary<Guid, CallRecordings> _calls = new();
    private readonly ConcurrentDictionary<(string Node, string NodePath), StartedRecording> _files = new();

    // The node pool takes every event handler, the recording one among them: resolve it on first use.
    private NodePool Nodes => services.GetRequiredService<NodePool>();

    /// <summary>The call's running recording, or null.</summary>
    public LiveRecording? Live(Guid callId) => _calls.TryGetValue(callId, out var call) ? call.Live : null;

    /// <summary>The recording of ours FreeSWITCH writes to <paramref name="nodePath"/> on <paramref name="node"/>, or null.</summary>
    internal StartedRecording? FindFile(string node, string nodePath) =>
        _files.TryGetValue((node, nodePath), out var started) ? started : null;

    /// <summary>Starts recording <paramref name="session"/> on <paramref name="legUuid"/>.</summary>
    public Task<RecordingOutcome> StartAsync(CallSession session, string legUuid, CancellationToken cancellationToken) =>
        ControlAsync(session, RecordingAction.Start, legUuid, cancellationToken);

    /// <summary>Carries out <paramref name="action"/> on the call's recording, if it fits the recording's state.</summary>
    public async Task<RecordingOutcome> ControlAsync(
        CallSession session, RecordingAction action, string? legUuid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var call = _calls.GetOrAdd(session.CallId, _ => new CallRecordings());
        await call.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (session.State.Status is not CallStatus.Answered)
            {
                return new RecordingOutcome(RecordingResult.CallNotAnswered, call.Live);
            }

            var verb = RecordingRules.Verb(action, call.Live);
            if (verb is null)
            {
                return new RecordingOutcome(RecordingResult.DoesNotFit, call.Live);
            }

            if (Nodes.Commands(session.Node) is not { } commands)
            {
                return new RecordingOutcome(RecordingResult.NodeUnavailable, call.Live);
            }

            return action == RecordingAction.Start
                ? await StartLockedAsync(session, call, commands, legUuid ?? session.State.CallerLegUuid, cancellationToken).ConfigureAwait(false)
                : await ChangeLockedAsync(session, call, commands, action, verb, cancellationToken).ConfigureAwait(false);
        }
        catch (EslConnectionException)
        {
            return new RecordingOutcome(RecordingResult.NodeUnavailable, call.Live);
        }
        finally
        {
            call.Gate.Release();
        }
    }

    /// <summary>RECORD_STOP for one of our files: the call has no running recording any more.</summary>
    internal void Stopped(string node, string nodePath)
    {
        if (!_files.TryRemove((node, nodePath), out var started) || !_calls.TryGetValue(started.CallId, out var call))
        {
            return;
        }

        if (call.Live?.Id == started.Id)
        {
            call.Live = null;
        }
    }

    /// <summary>The call is over and forgotten by the router: drop what is kept about it.</summary>
    internal void Forget(Guid callId) => _calls.TryRemove(callId, out _);

    private async Task<RecordingOutcome> StartLockedAsync(
        CallSession session, CallRecordings call, NodeCommands commands, string? legUuid, CancellationToken cancellationToken)
    {
        var folder = switchOptions.Value.Nodes.FirstOrDefault(n => string.Equals(n.Name, session.Node, StringComparison.OrdinalIgnoreCase))?.RecordingsPath;
        if (!Guid.TryParse(legUuid, out var leg) || folder is null)
        {
            RecordingLog.Skipped(logger, session.CallId, legUuid is null ? "the call has no caller leg" : "no recordings folder for the node");
            return new RecordingOutcome(RecordingResult.DoesNotFit, call.Live);
        }

        var path = RecordingPaths.For(folder, session.RoomId, session.CallId, call.Count + 1);
        var started = new StartedRecording(
            Guid.NewGuid(), session.CallId, session.Node, leg, path.NodePath, path.RelativePath, clock.GetUtcNow().UtcDateTime);
        // Known before the command goes out, so a RECORD_START that overtakes the reply still finds it.
        _files[(session.Node, path.NodePath)] = started;
        await commands.UuidSetVarAsync(leg.ToString("D"), "RECORD_STEREO", "true", cancellationToken).ConfigureAwait(false);
        var reply = await commands.ApiAsync("uuid_record", $"{leg:D} start {path.NodePath}", cancellationToken).ConfigureAwait(false);
        if (!reply.Ok)
        {
            _files.TryRemove((session.Node, path.NodePath), out _);
            RecordingLog.Refused(logger, session.CallId, "start", reply.Text.Trim());
            return new RecordingOutcome(RecordingResult.Refused, call.Live);
        }

        call.Count++;
        call.Live = new LiveRecording(started.Id, leg.ToString("D"), path, RecordingPhase.Recording);
        await store.InsertStartedAsync(started, cancellationToken).ConfigureAwait(false);
        RecordingLog.Started(logger, session.CallId, started.Id, call.Live.LegUuid, path.NodePath);
        return new RecordingOutcome(RecordingResult.Done, call.Live);
    }

    private async Task<RecordingOutcome> ChangeLockedAsync(
        CallSession session, CallRecordings call, NodeCommands commands, RecordingAction action, string verb,
        CancellationToken cancellationToken)
    {
        var live = call.Live!;
        var reply = await commands.ApiAsync("uuid_record", $"{live.LegUuid} {verb} {live.Path.NodePath}", cancellationToken).ConfigureAwait(false);
        if (!reply.Ok)
        {
            RecordingLog.Refused(logger, session.CallId, verb, reply.Text.Trim());
            return new RecordingOutcome(RecordingResult.Refused, live);
        }

        RecordingLog.Controlled(logger, session.CallId, live.Id, verb);
        switch (action)
        {
            case RecordingAction.Stop:
                // The row is stopped by RECORD_STOP, which carries the length FreeSWITCH wrote.
                call.Live = null;
                return new RecordingOutcome(RecordingResult.Done, live);
            case RecordingAction.Pause:
                call.Live = live with { Phase = RecordingPhase.Paused };
                await store.SetPhaseAsync(live.Id, "recording", "paused", cancellationToken).ConfigureAwait(false);
                return new RecordingOutcome(RecordingResult.Done, call.Live);
            default:
                call.Live = live with { Phase = RecordingPhase.Recording };
                await store.SetPhaseAsync(live.Id, "paused", "recording", cancellationToken).ConfigureAwait(false);
                return new RecordingOutcome(RecordingResult.Done, call.Live);
        }
    }

    private sealed class CallRecordings
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public LiveRecording? Live { get; set; }

        /// <summary>Recordings started so far (the next file is number Count + 1).</summary>
        public int Count { get; set; }
    }
}

/// <summary>What came of a recording action.</summary>
public enum RecordingResult
{
    Done,
    CallNotAnswered,
    DoesNotFit,
    Refused,
    NodeUnavailable,
}

/// <summary>The result and the recording it concerns (after the action; for a stop, the one stopped).</summary>
public sealed record RecordingOutcome(RecordingResult Result, LiveRecording? Recording);
