using System.Diagnostics;
using System.Globalization;
using CallControl.Calls.Recording;
using CallControl.Data;
using CallControl.Dialing;
using CallControl.Observability;
using CallControl.Switch;

namespace CallControl.Calls.Router;

// Commands to effects: ESL commands on the call's node, store writes, signaling pushes, the ring timer.
public sealed partial class CallRouter
{
    private static readonly TimeSpan RetryMaxPause = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the effects after a call's end (hanging up its legs, telling the parties) wait for the end's write.
    /// The order stays "write, then act" whenever PostgreSQL answers in time, which it does in milliseconds; a write
    /// that is not back by then (a row lock held elsewhere, a dark network: the write neither lands nor fails) finishes
    /// apart, and the legs are hung up meanwhile instead of staying up until the node's lease is lost.
    /// </summary>
    internal static readonly TimeSpan FinalWriteWait = TimeSpan.FromSeconds(1);

    private async Task ExecuteAsync(
        CallSession session, CallInput input, IReadOnlyList<CallCommand> commands, Queue<CallInput> pending,
        CancellationToken cancellationToken)
    {
        // Answers and the bridge are written back to back and their replies read afterwards: FreeSWITCH runs one
        // socket's commands in order and answers in order, so this is the same sequence without a round trip between
        // each (the park-to-bridge path: answer the callee, answer the caller, bridge). Anything else waits for them.
        var inflight = new List<(CallCommand Command, Task<Esl.Commands.EslResult> Reply)>();
        for (var i = 0; i < commands.Count; i++)
        {
            if (!IsRegistered(session))
            {
                // Fenced in the middle (an earlier effect waited on PostgreSQL while the node's lease was lost): the
                // rest is the next owner's to decide, from the node and the database.
                RouterLog.StaleEffects(_logger, session.CallId, input.GetType().Name, commands.Count - i);
                break;
            }

            var command = commands[i];
            if (command is not (AnswerLeg or BridgeLegs) && inflight.Count > 0)
            {
                await AwaitRepliesAsync(session, input, inflight, pending).ConfigureAwait(false);
            }

            try
            {
                switch (command)
                {
                    case RecordTransition transition when transition.From is null:
                        // The row was inserted with this first transition (CallStore.CreateAsync).
                        break;
                    case RecordTransition transition:
                        await WriteTransitionAsync(session, transition, FactsOf(commands, i + 1), cancellationToken).ConfigureAwait(false);
                        break;
                    case AlertCallee alert:
                        await _notifier.NotifyAsync(alert.CalleeUserId, new RoomEvent(
                            "invite", alert.RoomId, alert.CallId, CallStatus.Ringing.ToWire(), alert.CallerUserId,
                            alert.Media == CallMedia.Video ? "video" : "audio"), cancellationToken).ConfigureAwait(false);
                        break;
                    case NotifyParty notify:
                        await NotifyPartyAsync(session, notify, cancellationToken).ConfigureAwait(false);
                        break;
                    case AnswerLeg answer:
                        inflight.Add((answer, Node(session).UuidAnswerAsync(answer.LegUuid, cancellationToken)));
                        break;
                    case BridgeLegs bridge:
                        inflight.Add((bridge, Node(session).UuidBridgeAsync(bridge.CallerLegUuid, bridge.CalleeLegUuid, cancellationToken)));
                        if (session.LastParkArrived is > 0 and var parked)
                        {
                            _services.GetService<ServiceMetrics>()?.BridgeCommanded(Stopwatch.GetElapsedTime(parked).TotalMilliseconds);
                        }

                        break;
                    case DialPstn dial:
                        DialCarrier(session, dial);
                        break;
                    case HangupLeg hangup:
                        // A leg that is already gone answers -ERR: harmless.
                        await Node(session).UuidKillAsync(hangup.LegUuid, hangup.Cause, cancellationToken).ConfigureAwait(false);
                        break;
                    case StartRingTimer timer:
                        ArmTimer(session, timer.Deadline);
                        break;
                    case CancelRingTimer:
                        session.RingTimer?.Dispose();
                        session.RingTimer = null;
                        break;
                    case StartRecording recording:
                        // Stereo into <recordings>/<room>/<call>.wav, the row written when FreeSWITCH accepts.
                        await _services.GetRequiredService<RecordingController>()
                            .StartAsync(session, recording.LegUuid, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        // SetAnswered and SetFinalFields ride on the transition before them (FactsOf).
                        break;
                }
            }
#pragma warning disable CA1031 // One failed effect must not stop the call's other commands; it is logged.
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                // One failed effect must not stop the others (a hangup after a lost connection, a stale leg).
                RouterLog.CommandFailed(_logger, session.CallId, command.GetType().Name, input.GetType().Name, ex);
            }
        }

        if (inflight.Count > 0)
        {
            await AwaitRepliesAsync(session, input, inflight, pending).ConfigureAwait(false);
        }
    }

    /// <summary>The replies of the commands written back to back, in order; a bridge's reply goes back to the machine.</summary>
    private async Task AwaitRepliesAsync(
        CallSession session, CallInput input, List<(CallCommand Command, Task<Esl.Commands.EslResult> Reply)> inflight,
        Queue<CallInput> pending)
    {
        foreach (var (command, reply) in inflight)
        {
            try
            {
                var result = await reply.ConfigureAwait(false);
                if (command is BridgeLegs)
                {
                    pending.Enqueue(new BridgeReplied(Now, result.Ok, result.Text));
                }
            }
#pragma warning disable CA1031 // As in ExecuteAsync: a failed command is logged, the others go on.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                RouterLog.CommandFailed(_logger, session.CallId, command.GetType().Name, input.GetType().Name, ex);
            }
        }

        inflight.Clear();
    }

    private NodeCommands Node(CallSession session) =>
        Nodes.Commands(session.Node) ?? throw new InvalidOperationException($"FreeSWITCH node '{session.Node}' is not configured.");

    private async Task NotifyPartyAsync(CallSession session, NotifyParty notify, CancellationToken cancellationToken)
    {
        var user = notify.Party switch
        {
            CallParty.Caller => session.CallerUserId,
            CallParty.Callee => session.CalleeUserId,
            _ => null,
        };
        if (user is not null)
        {
            await _notifier.NotifyAsync(user, new RoomEvent(
                notify.Notice.ToWire(), notify.RoomId, notify.CallId, notify.Status.ToWire()), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>sendmsg &lt;caller&gt; execute bridge &lt;dial string&gt;</c>. It is not awaited: FreeSWITCH completes the bridge
    /// app only when the bridge ends; its CHANNEL_EXECUTE_COMPLETE reaches the router as an event.
    /// </summary>
    private void DialCarrier(CallSession session, DialPstn dial)
    {
        if (session.Number is null || session.Number.Value != dial.Number)
        {
            // The machine only dials the number it was created with; anything else is a bug, never dialed.
            throw new InvalidOperationException("The call has no policy-checked number to dial.");
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(dial.OriginateTimeout.TotalSeconds));
        var dialString = _dialStrings.Build(new CarrierLeg
        {
            OriginationUuid = Guid.Parse(dial.PstnLegUuid),
            CallId = session.CallId,
            RoomId = session.RoomId,
            Number = session.Number,
            Variables =
            [
                new("x_leg_role", "pstn"),
                // The carrier's 180/183 must reach the caller before the answer.
                new("ignore_early_media", "false"),
                new("originate_timeout", seconds.ToString(CultureInfo.InvariantCulture)),
                new("hangup_after_bridge", "true"),
            ],
        });
        MapLeg(session, dial.PstnLegUuid);
        RouterLog.Dialing(_logger, session.CallId, dial.CallerLegUuid, dial.Reason?.ToWire() ?? "direct");
        var execution = Node(session).SendMsgExecuteAsync(dial.CallerLegUuid, "bridge", dialString, CancellationToken.None);
        _ = execution.ContinueWith(
            t => OnBridgeAppFailedAsync(session, t.Exception!.GetBaseException()),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default).Unwrap();
    }

    /// <summary>The bridge app could not even start (-ERR, lost connection): the carrier attempt failed.</summary>
    private async Task OnBridgeAppFailedAsync(CallSession session, Exception error)
    {
        RouterLog.CommandFailed(_logger, session.CallId, nameof(DialPstn), "sendmsg", error);
        await SubmitAsync(session, new PstnAttemptEnded(Now, HangupCauses.NormalTemporaryFailure), CancellationToken.None).ConfigureAwait(false);
    }

    private void ArmTimer(CallSession session, DateTimeOffset deadline)
    {
        session.RingTimer?.Dispose();
        if (!IsRegistered(session))
        {
            return;
        }

        var due = deadline - _clock.GetUtcNow();
        if (due < TimeSpan.Zero)
        {
            due = TimeSpan.Zero;
        }

        session.RingTimer = _timerClock.CreateTimer(
            _ => _ = FireTimerAsync(session, deadline), null, due, Timeout.InfiniteTimeSpan);
    }

    private async Task FireTimerAsync(CallSession session, DateTimeOffset deadline)
    {
        try
        {
            await SubmitAsync(session, new RingTimeoutFired(Now, deadline), CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The router stopped.
        }
    }

    /// <summary>The facts (answer, final fields, ring deadline, carrier dial) that follow a transition, up to the next one.</summary>
    private static IEnumerable<CallCommand> FactsOf(IReadOnlyList<CallCommand> commands, int from)
    {
        for (var i = from; i < commands.Count && commands[i] is not RecordTransition; i++)
        {
            yield return commands[i];
        }
    }

    private async Task WriteTransitionAsync(
        CallSession session, RecordTransition transition, IEnumerable<CallCommand> facts, CancellationToken cancellationToken)
    {
        var change = new CallChange { ToStatus = transition.To.ToWire(), Reason = transition.Reason, At = transition.At.UtcDateTime };
        foreach (var fact in facts)
        {
            change = fact switch
            {
                SetAnswered a => change with { AnsweredVia = a.Via.ToWire(), AnsweredAt = a.At.UtcDateTime },
                SetFinalFields f => change with
                {
                    EndedAt = f.EndedAt.UtcDateTime,
                    HangupCause = f.HangupCause,
                    SipCode = f.SipCode,
                    HangupDisposition = f.HangupDisposition,
                    HungUpBy = f.HungUpBy.ToWire(),
                    AnsweredVia = f.AnsweredVia?.ToWire(),
                    // Again with the end, so a call whose answered write was lost still has it beside its billsec.
                    AnsweredAt = change.AnsweredAt ?? session.State.AnsweredAt?.UtcDateTime,
                    FallbackReason = f.FallbackReason?.ToWire(),
                    Duration = Seconds(f.EndedAt - session.CreatedAt),
                    Billsec = session.State.AnsweredAt is { } answered ? Seconds(f.EndedAt - answered) : 0,
                },
                StartRingTimer t => change with { RingDeadline = t.Deadline.UtcDateTime },
                DialPstn d => change with { PstnDialedAt = transition.At.UtcDateTime, FallbackReason = d.Reason?.ToWire() },
                _ => change,
            };
        }

        if (transition.To == CallStatus.FallbackDialing && session.State.FallbackReason is { } reason)
        {
            change = change with { FallbackReason = reason.ToWire() };
        }

        // A final status closes the room and stamps the call's recordings in the same statement.
        TransitionResult result;
        var write = CatchUpAndApplyAsync(session, change, cancellationToken);
        if (transition.To.IsFinal() && !await FinishesInTimeAsync(write).ConfigureAwait(false))
        {
            RouterLog.FinalWriteSlow(_logger, session.CallId, change.ToStatus, FinalWriteWait.TotalSeconds);
            _ = Task.Run(() => RetryFinalWriteAsync(session, transition, change, write), CancellationToken.None);
            return;
        }

        try
        {
            result = await write.ConfigureAwait(false);
        }
        catch (Exception ex) when (transition.To.IsFinal() && PostgresFailures.IsTransient(ex))
        {
            // The call's last write. The hangups after it in this list must not wait for PostgreSQL, and the row must
            // not stay live for good (nothing else would end it while this instance steers the node): retried apart.
            RouterLog.FinalWriteDeferred(_logger, session.CallId, change.ToStatus, ex);
            _ = Task.Run(() => RetryFinalWriteAsync(session, transition, change), CancellationToken.None);
            return;
        }
        catch (Exception ex) when (PostgresFailures.IsTransient(ex))
        {
            // A step on the way (ringing, answered, dialing the carrier): the call goes on, and the step is written
            // with the next write, which waits on PostgreSQL anyway; retried on its own it would hold up the call's
            // commands behind PostgreSQL.
            session.Unwritten.Add(change);
            RouterLog.StepDeferred(_logger, session.CallId, change.ToStatus, ex);
            return;
        }

        if (result.Outcome == TransitionOutcome.VersionConflict && transition.To.IsFinal())
        {
            result = await EndOverAsync(session, change, cancellationToken).ConfigureAwait(false) ?? result;
        }

        await AfterWriteAsync(session, transition, change, result, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The call's end met a version this session did not write, on a row that is still live. While this instance
    /// steers the node it is the call's only writer, so that version is an earlier write of its own whose answer was
    /// lost (the write landed, the connection broke before the reply). Left as it is, the row would stay live for good
    /// (every later write of the call conflicts the same way), so the end is written over the stored version. Null
    /// when the row has ended already (or is gone): then it stays as it is.
    /// </summary>
    private async Task<TransitionResult?> EndOverAsync(CallSession session, CallChange change, CancellationToken cancellationToken)
    {
        if (!IsCurrent(session)
            || await _callStore.GetAsync(session.CallId, cancellationToken).ConfigureAwait(false) is not { } row
            || CallStatuses.IsFinal(row.Status))
        {
            return null;
        }

        var result = await _callStore.ApplyAsync(session.CallId, row.Version, change, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == TransitionOutcome.Applied)
        {
            RouterLog.EndWrittenOver(_logger, session.CallId, change.ToStatus, row.Status, session.Version, row.Version);
            session.Version = row.Version;
        }

        return result;
    }

    private async Task<TransitionResult> CatchUpAndApplyAsync(CallSession session, CallChange change, CancellationToken cancellationToken)
    {
        await CatchUpAsync(session, cancellationToken).ConfigureAwait(false);
        return await _callStore.ApplyAsync(session.CallId, session.Version, change, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="write"/> ended (stored, or failed) within <see cref="FinalWriteWait"/>.</summary>
    private async Task<bool> FinishesInTimeAsync(Task write)
    {
        using var stopWaiting = new CancellationTokenSource();
        var first = await Task.WhenAny(write, Task.Delay(FinalWriteWait, _timerClock, stopWaiting.Token)).ConfigureAwait(false);
        await stopWaiting.CancelAsync().ConfigureAwait(false);
        return first == write;
    }

    /// <summary>
    /// Writes the steps PostgreSQL did not take earlier (<see cref="CallSession.Unwritten"/>), oldest first, with the
    /// times they happened, so the call's history keeps them (before, a lost <c>answered</c> left
    /// <c>ringing&gt;completed</c>). A step that conflicts because it had landed after all (its reply was lost) is
    /// taken as stored. Any other conflict drops what is left: the row moved on without this session, and the write
    /// that follows sorts that out as it would have. A transient failure leaves the list for the next write.
    /// </summary>
    private async Task CatchUpAsync(CallSession session, CancellationToken cancellationToken)
    {
        while (session.Unwritten.Count > 0)
        {
            var step = session.Unwritten[0];
            var result = await _callStore.ApplyAsync(session.CallId, session.Version, step, cancellationToken).ConfigureAwait(false);
            if (result.Outcome == TransitionOutcome.Applied)
            {
                session.Version++;
                RouterLog.StepCaughtUp(_logger, session.CallId, step.ToStatus, step.At, "written now");
            }
            else if (result.Outcome == TransitionOutcome.VersionConflict
                && await _callStore.GetAsync(session.CallId, cancellationToken).ConfigureAwait(false) is { } row
                && row.Version == session.Version + 1
                && row.Status == step.ToStatus)
            {
                session.Version = row.Version;
                RouterLog.StepCaughtUp(_logger, session.CallId, step.ToStatus, step.At, "it had landed; its reply was lost");
            }
            else
            {
                RouterLog.TransitionNotApplied(_logger, session.CallId, step.ToStatus, result.Outcome.ToString());
                session.Unwritten.Clear();
                return;
            }

            session.Unwritten.RemoveAt(0);
        }
    }

    /// <summary>This session still runs its call here: the node is steered by this instance and no rebuilt session
    /// replaced this one (after a fencing and a new lease).</summary>
    private bool IsCurrent(CallSession session) => Nodes.IsSteering(session.Node) && IsRegistered(session);

    /// <summary>The next pause of a retry loop: doubled, at most <see cref="RetryMaxPause"/>.</summary>
    private static TimeSpan NextPause(TimeSpan pause) => TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, RetryMaxPause.Ticks));

    /// <summary>
    /// Writes a call's end again, with growing pauses, until it is stored, turns out to be stored already (an earlier
    /// attempt landed, its answer was lost), or the session stops being current (fenced: the node's next owner ends
    /// the call from the node; or forgotten, its time up).
    /// </summary>
    private async Task RetryFinalWriteAsync(
        CallSession session, RecordTransition transition, CallChange change, Task<TransitionResult>? slowAttempt = null)
    {
        // Nothing else writes this call any more (its end is its last transition), so the version and the steps left
        // unwritten are this loop's alone.
        var pause = TimeSpan.FromMilliseconds(200);
        TransitionResult? result = null;
        var attempt = 1;
        if (slowAttempt is not null)
        {
            // The first attempt outlasted FinalWriteWait: its outcome first, as the call's own path would have taken it.
            try
            {
                result = await slowAttempt.ConfigureAwait(false);
                if (result.Outcome == TransitionOutcome.VersionConflict)
                {
                    result = await EndOverAsync(session, change, CancellationToken.None).ConfigureAwait(false) ?? result;
                }
            }
            catch (Exception ex) when (PostgresFailures.IsTransient(ex))
            {
                RouterLog.FinalWriteDeferred(_logger, session.CallId, change.ToStatus, ex);
            }
#pragma warning disable CA1031 // As below: not transient, so trying again would not help; logged.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                RouterLog.CommandFailed(_logger, session.CallId, nameof(RecordTransition), "its slow write", ex);
                return;
            }
        }

        while (result is null && IsCurrent(session))
        {
            await Task.Delay(pause).ConfigureAwait(false);
            pause = NextPause(pause);
            attempt++;
            try
            {
                await CatchUpAsync(session, CancellationToken.None).ConfigureAwait(false);
                var version = session.Version;
                result = await _callStore.ApplyAsync(session.CallId, version, change, CancellationToken.None).ConfigureAwait(false);
                if (result.Outcome == TransitionOutcome.VersionConflict
                    && await _callStore.GetAsync(session.CallId).ConfigureAwait(false) is { } row
                    && row.Status == change.ToStatus && row.Version == version + 1)
                {
                    // Stored by an earlier attempt. Which recordings that write stamped is unknown here; the recording
                    // sweep archives any it leaves behind.
                    result = new TransitionResult(TransitionOutcome.Applied, []);
                }
                else if (result.Outcome == TransitionOutcome.VersionConflict)
                {
                    result = await EndOverAsync(session, change, CancellationToken.None).ConfigureAwait(false) ?? result;
                }
            }
            catch (Exception ex) when (PostgresFailures.IsTransient(ex))
            {
                result = null;
                RouterLog.FinalWriteDeferred(_logger, session.CallId, change.ToStatus, ex);
            }
#pragma warning disable CA1031 // Not transient: trying again would not help; logged, and the next owner or reconcile ends it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                RouterLog.CommandFailed(_logger, session.CallId, nameof(RecordTransition), "its retry", ex);
                return;
            }
        }

        if (result is null)
        {
            RouterLog.FinalWriteAbandoned(_logger, session.CallId, change.ToStatus);
            return;
        }

        RouterLog.FinalWriteStored(_logger, session.CallId, change.ToStatus, attempt, result.Outcome.ToString());
        await session.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await AfterWriteAsync(session, transition, change, result, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // As in ExecuteAsync: what the end leaves to close is logged when it fails.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RouterLog.CommandFailed(_logger, session.CallId, nameof(RecordTransition), "its retry", ex);
        }
        finally
        {
            session.Gate.Release();
        }
    }

    /// <summary>After a transition's write: the session's version, and what a final status leaves to close.</summary>
    private async Task AfterWriteAsync(
        CallSession session, RecordTransition transition, CallChange change, TransitionResult result, CancellationToken cancellationToken)
    {
        if (result.Outcome == TransitionOutcome.Applied)
        {
            session.Version++;
        }
        else
        {
            RouterLog.TransitionNotApplied(_logger, session.CallId, change.ToStatus, result.Outcome.ToString());
        }

        if (transition.To.IsFinal())
        {
            // The call's end is one of the two things (with RECORD_STOP) a recording's archive waits for.
            var recordings = _services.GetRequiredService<RecordingTracker>();
            if (result.Outcome == TransitionOutcome.Applied)
            {
                await recordings.RecordingsEndedAsync(session.CallId, result.EndedRecordings, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Not applied here (the row moved on): still close what this call leaves behind.
                await _rooms.SetStateAsync(session.RoomId, "closed", cancellationToken).ConfigureAwait(false);
                await recordings.CallEndedAsync(session.CallId, change.EndedAt ?? transition.At.UtcDateTime, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static int Seconds(TimeSpan span) => Math.Max(0, (int)Math.Floor(span.TotalSeconds));
}
