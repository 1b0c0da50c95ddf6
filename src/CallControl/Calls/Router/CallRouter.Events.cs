using CallControl.Esl.Events;
using CallControl.Observability;

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

    private async Task ToCallAsync(string leg, CallInput input, CancellationToken cancellationToken)
    {
        if (_byLeg.TryGetValue(leg, out var callId) && _calls.TryGetValue(callId, out var session))
        {
            await SubmitAsync(session, input, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A leg parked in <c>room-&lt;id&gt;</c>: which party it is comes from its verto login (<c>user_name</c>), which the
    /// room issued to one person. The leg is tagged with our call id, room id and role before the machine sees it, so
    /// its CDR carries them whatever happens next.
    /// </summary>
    private async Task OnParkAsync(string node, EslEvent e, string leg, CancellationToken cancellationToken)
    {
        var roomId = e.GetVariable("room_id") ?? e.GetVariable("x_room_id");
        if (roomId is null)
        {
            return;
        }

        var login = e.GetVariable("user_name") ?? e.GetVariable("verto_user")?.Split('@')[0];
        await AdoptLegAsync(node, leg, roomId, login, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A leg parked in the room: adopt it as the caller's or callee's leg, or hang it up as a stranger.
    /// Reconcile calls this too, for a leg that parked while nobody listened.</summary>
    private async Task AdoptLegAsync(string node, string leg, string roomId, string? login, CancellationToken cancellationToken)
    {
        if (FindByRoom(roomId) is not { } session || _byLeg.ContainsKey(leg))
        {
            return;
        }

        var found = login is null ? null : await _logins.FindValidAsync(login, cancellationToken).ConfigureAwait(false);
        LegRole? role = found is null || found.RoomId != session.RoomId ? null
            : found.UserId == session.CallerUserId ? LegRole.Caller
            : found.UserId == session.CalleeUserId ? LegRole.Callee
            : null;
        // A room login places one leg: the first park consumes it (the directory still lets the same browser log in
        // again after a WebSocket drop, but a second leg with that login is someone replaying the password).
        var firstUse = role is not null && await _logins.MarkUsedAsync(login!, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(node, session.Node, StringComparison.OrdinalIgnoreCase) || role is null || !firstUse)
        {
            // Not a login this room issued (or on another node): it must not join someone else's call.
            RouterLog.StrangerLeg(_logger, session.CallId, leg, login ?? "(none)");
            await (Nodes.Commands(node)?.UuidKillAsync(leg, HangupCauses.CallRejected, cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
            return;
        }

        _byLeg[leg] = session.CallId;
        var commands = Node(session);
        try
        {
            await commands.UuidSetVarAsync(leg, "x_call_id", session.CallId.ToString("D"), cancellationToken).ConfigureAwait(false);
            await commands.UuidSetVarAsync(leg, "x_room_id", session.RoomId, cancellationToken).ConfigureAwait(false);
            await commands.UuidSetVarAsync(leg, "x_leg_role", role.Value.ToWire(), cancellationToken).ConfigureAwait(false);
        }
        catch (Esl.Connection.EslConnectionException ex)
        {
            RouterLog.CommandFailed(_logger, session.CallId, "uuid_setvar", "CHANNEL_PARK", ex);
        }

        CallInput input = role == LegRole.Caller ? new CallerLegParked(Now, leg) : new CalleeLegParked(Now, leg);
        await SubmitAsync(session, input, cancellationToken).ConfigureAwait(false);
    }
}
