using CallControl.Cdr;
using CallControl.Esl.Events;
using CallControl.Observability;
using CallControl.Data;
using CallControl.Switch;

namespace CallControl.Calls.Router;

// FreeSWITCH events to machine inputs. A leg is ours once it parks in a room with a live call (CHANNEL_PARK carries
// the dialplan's room_id), or because we chose its UUID (the carrier leg's origination_uuid).
public sealed partial class CallRouter
{
    /// <inheritdoc />
    public async ValueTask HandleAsync(string node, EslEvent freeSwitchEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(freeSwitchEvent);
        var leg = freeSwitchEvent.UniqueId;
        if (leg is null)
        {
            return;
        }

        using var scope = _logger.BeginScope(CallLogScope.ForLeg(leg));
        var at = Now;
        switch (freeSwitchEvent.EventName)
        {
            case "CHANNEL_PARK":
                await OnParkAsync(node, freeSwitchEvent, leg, cancellationToken).ConfigureAwait(false);
                break;
            case "CHANNEL_PROGRESS":
                await ToCallAsync(leg, new LegProgress(at, leg), cancellationToken).ConfigureAwait(false);
                break;
            case "CHANNEL_PROGRESS_MEDIA":
                await ToCallAsync(leg, new LegProgressMedia(at, leg), cancellationToken).ConfigureAwait(false);
                break;
            case "CHANNEL_ANSWER":
                await ToCallAsync(leg, new LegAnswered(at, leg), cancellationToken).ConfigureAwait(false);
                break;
            case "CHANNEL_HANGUP_COMPLETE":
                var disposition = freeSwitchEvent.GetVariable("sip_hangup_disposition")
                    ?? freeSwitchEvent.GetVariable("verto_hangup_disposition");
                await ToCallAsync(leg, new LegHungUp(
                    at, leg, freeSwitchEvent.HangupCause ?? HangupCauses.NormalClearing,
                    freeSwitchEvent.GetVariable("sip_term_status"), disposition), cancellationToken).ConfigureAwait(false);
                break;
            case "CHANNEL_EXECUTE_COMPLETE" when freeSwitchEvent.Application == "bridge":
                // The caller's bridge app ended: originate_disposition says how the carrier attempt went.
                var result = freeSwitchEvent.GetVariable("originate_disposition") ?? HangupCauses.NormalTemporaryFailure;
                await ToCallAsync(leg, new PstnAttemptEnded(at, result), cancellationToken).ConfigureAwait(false);
                break;
            default:
                break;
        }
    }

    // A channel event for a known call goes to the call's inbox, and the event queue that read it moves on: the
    // queue is shared by many channels, and the call's work (its row, its ESL commands) must not hold up theirs.
    // One task at a time drains a call's inbox, so the call still sees its events in the order they were read.
    private Task ToCallAsync(string leg, CallInput input, CancellationToken cancellationToken)
    {
        if (_byLeg.TryGetValue(leg, out var callId) && _calls.TryGetValue(callId, out var session))
        {
            Enqueue(session, input, cancellationToken);
        }

        return Task.CompletedTask;
    }

    private void Enqueue(CallSession session, CallInput input, CancellationToken cancellationToken)
    {
        session.Inbox.Enqueue(input);
        if (Interlocked.CompareExchange(ref session.Draining, 1, 0) == 0)
        {
            _ = Task.Run(() => DrainAsync(session, cancellationToken), CancellationToken.None);
        }
    }

    private async Task DrainAsync(CallSession session, CancellationToken cancellationToken)
    {
        while (true)
        {
            while (session.Inbox.TryDequeue(out var input))
            {
                try
                {
                    await SubmitAsync(session, input, cancellationToken).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // One input's failure must not strand the call's later events.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    RouterLog.InputFailed(_logger, session.CallId, input.GetType().Name, e);
                }
            }

            Volatile.Write(ref session.Draining, 0);
            // An event queued between the last dequeue and the reset: drain it unless another task already does.
            if (session.Inbox.IsEmpty || Interlocked.CompareExchange(ref session.Draining, 1, 0) != 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// A leg parked in <c>room-&lt;id&gt;</c>: which party it is comes from the verto login that placed it, read from the
    /// caller profile (<c>Caller-Username</c>), never from channel variables, which the browser can set (see
    /// <see cref="VertoLegIdentity"/>). The room issued that login to one person. The leg is tagged with our call id,
    /// room id and role before the machine sees it, so its CDR carries them whatever happens next.
    /// </summary>
    private async Task OnParkAsync(string node, EslEvent e, string leg, CancellationToken cancellationToken)
    {
        var roomId = e.GetVariable("room_id") ?? e.GetVariable("x_room_id");
        if (roomId is null)
        {
            return;
        }

        if (FindByRoom(roomId) is null)
        {
            if (_endedRooms.TryGetValue(roomId, out var ended))
            {
                await HangUpLateLegAsync(node, leg, ended, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var login = VertoLegIdentity.Login(e.GetHeader("Caller-Username"), e.GetHeader("Caller-Source"));
        await AdoptLegAsync(node, leg, roomId, login, cancellationToken, queued: true, parkArrived: e.ReceivedTimestamp).ConfigureAwait(false);
    }

    /// <summary>
    /// A leg parked in the room of a call this instance ended and has since forgotten (its client was slow and its
    /// login still valid): hung up as reconcile hangs up leftovers, from what the call ended with, without a read.
    /// </summary>
    private async Task HangUpLateLegAsync(string node, string leg, EndedCall ended, CancellationToken cancellationToken)
    {
        if (Nodes.Commands(node) is not { } commands)
        {
            return;
        }

        var late = new LiveLeg(leg, AnswerState: null, CallId: null, RoomId: null, Role: null, DialplanRoomId: ended.RoomId, Login: null);
        foreach (var (uuid, callId, cause) in CallRecovery.LeftoverHangups([late], [ended]))
        {
            ResumeLog.LeftoverLeg(_logger, callId, uuid, node, cause);
            try
            {
                await commands.UuidKillAsync(uuid, cause, cancellationToken).ConfigureAwait(false);
            }
            catch (Esl.Connection.EslConnectionException ex)
            {
                RouterLog.CommandFailed(_logger, callId, "uuid_kill", "CHANNEL_PARK", ex);
            }
        }
    }

    /// <summary>A leg parked in the room: adopt it as the caller's or callee's leg, or hang it up as a stranger.
    /// Reconcile calls this too, for a leg that parked while nobody listened. <paramref name="queued"/>: the park goes
    /// to the call's inbox, as the leg's later events do, instead of being run here (see OnParkAsync).
    /// <paramref name="parkArrived"/>: when the park event was read (its <see cref="EslEvent.ReceivedTimestamp"/>), 0 when unknown.</summary>
    private async Task AdoptLegAsync(
        string node, string leg, string roomId, string? login, CancellationToken cancellationToken, bool deferUnchecked = true,
        bool queued = false, long parkArrived = 0)
    {
        if (FindByRoom(roomId) is not { } session || _byLeg.ContainsKey(leg))
        {
            return;
        }

        // A room login places one leg: the first park consumes it, in the same statement that checks it is this room's
        // and one of this call's parties (the directory still lets the same browser log in again after a WebSocket
        // drop, but a second leg with that login is someone replaying the password). A login of another room, or a
        // leg on another node, consumes nothing.
        // A login this instance issued for the call is checked and claimed in memory (CallSession.ClaimLogin), and the
        // claim is stored after the leg is adopted: no round trip to PostgreSQL on the way from the park to the bridge
        // (in bench/load at 300 calls/s it took 1.3 ms at the median and 19 ms at p99, most of the commanded bridge's
        // time), and a PostgreSQL outage does not hold the leg. Any other login (issued by another instance, or for a
        // call rebuilt after a takeover) is consumed in PostgreSQL first, as before.
        var onNode = string.Equals(node, session.Node, StringComparison.OrdinalIgnoreCase);
        string? userId = null;
        var claim = login is null || !onNode ? LoginClaim.Unknown : session.ClaimLogin(login, leg, Now.UtcDateTime, out userId);
        if (claim == LoginClaim.Unknown && login is not null && onNode)
        {
            try
            {
                userId = await _logins.ConsumeForCallAsync(login, session.RoomId, Parties(session), leg, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (deferUnchecked && PostgresFailures.IsTransient(ex))
            {
                // The login cannot be checked now. Neither adopted blindly nor refused: checked again once PostgreSQL answers.
                RouterLog.ParkUnchecked(_logger, session.CallId, leg, ex);
                _ = Task.Run(() => AdoptLaterAsync(session, node, leg, roomId, login), CancellationToken.None);
                return;
            }
        }

        LegRole? role = userId is null ? null
            : userId == session.CallerUserId ? LegRole.Caller
            : userId == session.CalleeUserId ? LegRole.Callee
            : null;
        if (role is null)
        {
            // Not a login this room issued to this call's parties, already used, or on another node: it must not join
            // someone else's call.
            RouterLog.StrangerLeg(_logger, session.CallId, leg, login ?? "(none)");
            await (Nodes.Commands(node)?.UuidKillAsync(leg, HangupCauses.CallRejected, cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
            return;
        }

        MapLeg(session, leg);
        if (claim == LoginClaim.Claimed)
        {
            _ = Task.Run(() => StoreClaimAsync(session, node, login!, leg), CancellationToken.None);
        }

        session.ParkArrived(parkArrived);
        // One command on the node's command connection instead of three, on the path of every park, and its reply not
        // awaited before the machine runs: FreeSWITCH runs the socket's commands in order, so the tags are on the leg
        // before the answer and bridge written after them. A refusal (-ERR No such channel!) means the leg is already
        // gone: its hangup event follows.
        var tagged = TagLegAsync(session, leg, role.Value, cancellationToken);
        CallInput input = role == LegRole.Caller ? new CallerLegParked(Now, leg) : new CalleeLegParked(Now, leg);
        if (queued)
        {
            // The event queue that read this park is shared with other channels, and running the park here held it
            // for the whole of the call's step: the answers and bridge, their replies, the answered row and the
            // notifications (46 ms on average in bench/load at 300 calls/s, while every other handler took well under
            // a millisecond). Other calls' parks hashed to the same queue waited behind it. The leg is mapped to the
            // call now, so its later events follow this one into the inbox, in order; the tags' reply is not waited
            // for either (TagLegAsync logs a failure).
            Enqueue(session, input, cancellationToken);
            return;
        }

        await SubmitAsync(session, input, cancellationToken).ConfigureAwait(false);
        await tagged.ConfigureAwait(false);
    }

    /// <summary>
    /// A parked leg whose login could not be checked: tried again with growing pauses while the leg is up, not adopted
    /// yet, and its call still this instance's (fenced: the next owner's reconcile adopts it). If its call ends first,
    /// the machine hangs the late leg up when it is adopted.
    /// </summary>
    private async Task AdoptLaterAsync(CallSession session, string node, string leg, string roomId, string? login)
    {
        var pause = TimeSpan.FromMilliseconds(250);
        while (IsCurrent(session) && !_byLeg.ContainsKey(leg))
        {
            await Task.Delay(pause).ConfigureAwait(false);
            pause = NextPause(pause);
            try
            {
                if (!IsCurrent(session) || Nodes.Commands(node) is not { } commands
                    || (await commands.UuidExistsAsync(leg).ConfigureAwait(false)).Text.Trim() != "true")
                {
                    return;
                }

                await AdoptLegAsync(node, leg, roomId, login, CancellationToken.None, deferUnchecked: false).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (PostgresFailures.IsTransient(ex))
            {
                // Still unreachable: the next pause.
            }
#pragma warning disable CA1031 // The node went away meanwhile, or anything else: logged; reconcile is the fallback.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                RouterLog.CommandFailed(_logger, session.CallId, "adopting the leg", "CHANNEL_PARK", ex);
                return;
            }
        }
    }

    /// <summary>
    /// Stores a login claimed in memory (<see cref="VertoLoginStore.ConsumeForCallAsync"/> records the leg on it, for
    /// the directory, for analytics and for the next owner's reconcile, which finds the login consumed by this leg).
    /// PostgreSQL refusing it means another instance consumed the login after all, which only a takeover this instance
    /// has not noticed yet allows: the leg is hung up as a stranger. While PostgreSQL is unreachable it is tried again
    /// with growing pauses for as long as the call is this instance's; after that, the next owner's reconcile stores it.
    /// </summary>
    private async Task StoreClaimAsync(CallSession session, string node, string login, string leg)
    {
        var pause = TimeSpan.FromMilliseconds(250);
        var logged = false;
        while (true)
        {
            try
            {
                if (await _logins.ConsumeForCallAsync(login, session.RoomId, Parties(session), leg).ConfigureAwait(false) is null)
                {
                    RouterLog.ClaimRefused(_logger, session.CallId, leg, login);
                    await (Nodes.Commands(node)?.UuidKillAsync(leg, HangupCauses.CallRejected) ?? Task.CompletedTask).ConfigureAwait(false);
                }

                return;
            }
            catch (Exception ex) when (PostgresFailures.IsTransient(ex))
            {
                if (!IsCurrent(session))
                {
                    return;
                }

                if (!logged)
                {
                    RouterLog.ClaimUnstored(_logger, session.CallId, leg, ex);
                    logged = true;
                }

                await Task.Delay(pause).ConfigureAwait(false);
                pause = NextPause(pause);
            }
#pragma warning disable CA1031 // The hangup's command failed (the node went away): logged; the leg's own events follow.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                RouterLog.CommandFailed(_logger, session.CallId, "storing the login claim", "CHANNEL_PARK", ex);
                return;
            }
        }
    }

    private async Task TagLegAsync(CallSession session, string leg, LegRole role, CancellationToken cancellationToken)
    {
        try
        {
            await Node(session).UuidSetVarsAsync(leg,
            [
                new(LegVariables.CallIdVariable, session.CallId.ToString("D")),
                new(LegVariables.RoomIdVariable, session.RoomId),
                new(LegVariables.RoleVariable, role.ToWire()),
            ], cancellationToken).ConfigureAwait(false);
        }
        catch (Esl.Connection.EslConnectionException ex)
        {
            RouterLog.CommandFailed(_logger, session.CallId, "uuid_setvar_multi", "CHANNEL_PARK", ex);
        }
    }

    private static string[] Parties(CallSession session) =>
        session.CalleeUserId is { } callee ? [session.CallerUserId, callee] : [session.CallerUserId];
}
