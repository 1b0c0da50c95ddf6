using CallControl.Dialing;
using CallControl.Switch;

namespace CallControl.Calls.Router;

// Steering a node starts or stops. On start (a takeover, the first connection, a reconnect) the router reconciles:
// calls of the node it does not hold are rebuilt from PostgreSQL and the node's channels, then every call of the node
// gets the inputs it missed; ring timers resume from the stored deadline. On stop (fencing) it forgets the node's calls
// without a command: the new owner has them now.
public sealed partial class CallRouter : INodeSteeringListener
{
    /// <inheritdoc />
    public ValueTask OnSteeringStoppedAsync(string node, CancellationToken cancellationToken)
    {
        foreach (var session in _calls.Values.Where(s => IsOn(s, node)).ToArray())
        {
            Forget(session);
        }

        ResumeLog.Fenced(_logger, node);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask OnSteeringStartedAsync(string node, bool nodeRestarted, CancellationToken cancellationToken)
    {
        if (Nodes.Commands(node) is not { } commands)
        {
            return;
        }

        var store = _services.GetRequiredService<ResumeStore>();
        var rows = await store.LiveCallsAsync(node, cancellationToken).ConfigureAwait(false);
        var ended = await store.EndedLegsAsync([.. rows.Select(r => r.Id)], cancellationToken).ConfigureAwait(false);
        var before = await NodeChannels.ReadAsync(commands, cancellationToken).ConfigureAwait(false);
        var rebuilt = new List<CallSession>();
        foreach (var row in rows.Where(r => !_calls.ContainsKey(r.Id)))
        {
            rebuilt.Add(Register(node, row, before.Values, ended));
        }

        // Read the node again now that the rebuilt calls receive events: whatever happened before this point shows here.
        var now = await NodeChannels.ReadAsync(commands, cancellationToken).ConfigureAwait(false);
        var sessions = _calls.Values.Where(s => IsOn(s, node) && !s.State.IsFinal).ToArray();
        ended = await store.EndedLegsAsync([.. sessions.Select(s => s.CallId)], cancellationToken).ConfigureAwait(false);
        foreach (var session in sessions)
        {
            var inputs = CallRecovery.MissedInputs(
                session.State, now, [.. ended.Where(e => e.CallId == session.CallId)], nodeRestarted, Now);
            foreach (var input in inputs)
            {
                await SubmitAsync(session, input, cancellationToken).ConfigureAwait(false);
            }
        }

        // Legs that parked in a room of ours while nobody listened: adopt them as their CHANNEL_PARK would have.
        foreach (var leg in now.Values.Where(l => l.CallId is null && l.DialplanRoomId is not null))
        {
            if (FindByRoom(leg.DialplanRoomId!) is { } session && IsOn(session, node) && !_byLeg.ContainsKey(leg.Uuid))
            {
                await AdoptLegAsync(node, leg.Uuid, leg.DialplanRoomId!, leg.Login, cancellationToken).ConfigureAwait(false);
            }
        }

        // Only now the stored ring deadlines: one that passed while nobody steered the node fires at once, and it must
        // find the legs that parked meanwhile already adopted (else a caller leg still in the room counts as missing).
        foreach (var session in rebuilt.Where(s => !s.State.IsFinal))
        {
            await ResumeTimerAsync(session, cancellationToken).ConfigureAwait(false);
        }

        await HangUpLeftoversAsync(node, commands, store, now.Values, cancellationToken).ConfigureAwait(false);
        ResumeLog.Reconciled(_logger, node, rebuilt.Count, sessions.Length, nodeRestarted);
    }

    /// <summary>
    /// Legs still up although their call has ended in PostgreSQL: the owner that recorded the end lost the node (or
    /// died) before its hangups ran, and no live call here will ever hang them up. Ended as the machine would have.
    /// </summary>
    private async Task HangUpLeftoversAsync(
        string node, NodeCommands commands, ResumeStore store, IEnumerable<LiveLeg> live, CancellationToken cancellationToken)
    {
        var candidates = live.Where(l => Guid.TryParse(l.CallId, out var id)
                ? !_calls.TryGetValue(id, out var session) || session.State.IsFinal
                : l.CallId is null && l.DialplanRoomId is not null && FindByRoom(l.DialplanRoomId) is null)
            .ToArray();
        if (candidates.Length == 0)
        {
            return;
        }

        var ended = await store.EndedCallsAsync(
            [.. candidates.Select(l => Guid.TryParse(l.CallId, out var id) ? id : (Guid?)null).OfType<Guid>().Distinct()],
            [.. candidates.Where(l => l.CallId is null).Select(l => l.DialplanRoomId!).Distinct()],
            cancellationToken).ConfigureAwait(false);
        foreach (var (uuid, callId, cause) in CallRecovery.LeftoverHangups(candidates, ended))
        {
            ResumeLog.LeftoverLeg(_logger, callId, uuid, node, cause);
            // A leg that ends meanwhile answers -ERR; nothing more to do for it either way.
            await commands.UuidKillAsync(uuid, cause, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsOn(CallSession session, string node) => string.Equals(session.Node, node, StringComparison.OrdinalIgnoreCase);

    /// <summary>A call another owner ran: its state rebuilt and registered, so its legs' events reach it from now on.</summary>
    private CallSession Register(string node, ResumableCall row, IEnumerable<LiveLeg> live, IReadOnlyList<EndedLeg> ended)
    {
        var callId = row.Id.ToString("D");
        var tagged = live.Where(l => string.Equals(l.CallId, callId, StringComparison.OrdinalIgnoreCase)).ToArray();
        var legs = ended.Where(e => e.CallId == row.Id).ToArray();
        var state = CallRecovery.Rebuild(row, tagged, legs, DefaultPolicy, _options.RingTimeout, _options.PstnRingTimeout);
        // The stored number already passed the dialing policy when the call was created.
        var number = E164Number.TryParse(row.CalleeNumber, out var parsed) ? parsed : null;
        var session = new CallSession(row.Id, row.RoomId, node, row.Caller, row.Callee, number)
        {
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)),
            State = state,
            Version = row.Version,
        };
        _calls[session.CallId] = session;
        _byRoom[session.RoomId] = session.CallId;
        MapLeg(session, state.Setup!.PstnLegUuid);
        foreach (var leg in tagged)
        {
            MapLeg(session, leg.Uuid);
        }

        foreach (var leg in legs)
        {
            MapLeg(session, leg.LegUuid.ToString("D"));
        }

        ResumeLog.Rebuilt(_logger, session.CallId, node, row.Status, state.Phase.ToString());
        return session;
    }

    /// <summary>The ring timer the previous owner armed, from its stored deadline (already past: it fires now).</summary>
    private async Task ResumeTimerAsync(CallSession session, CancellationToken cancellationToken)
    {
        await session.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (session.State.RingDeadline is { } deadline && session.RingTimer is null)
            {
                if (deadline <= Now)
                {
                    // Expired while nobody steered the node: act now, not on the timer clock's next tick.
                    _ = Task.Run(() => FireTimerAsync(session, deadline), CancellationToken.None);
                }
                else
                {
                    ArmTimer(session, deadline);
                }
            }
        }
        finally
        {
            session.Gate.Release();
        }
    }
}

/// <summary>The router's reconcile messages (2150s).</summary>
internal static partial class ResumeLog
{
    [LoggerMessage(2150, LogLevel.Warning, "Node {Node}: steering lost; its calls are left to the new owner")]
    public static partial void Fenced(ILogger logger, string node);

    [LoggerMessage(2151, LogLevel.Information, "Call {CallId}: rebuilt on node {Node} from status {Status} (phase {Phase})")]
    public static partial void Rebuilt(ILogger logger, Guid callId, string node, string status, string phase);

    [LoggerMessage(2152, LogLevel.Information, "Node {Node}: reconciled ({Rebuilt} calls rebuilt, {Calls} in progress, node restarted: {Restarted})")]
    public static partial void Reconciled(ILogger logger, string node, int rebuilt, int calls, bool restarted);

    [LoggerMessage(2153, LogLevel.Warning, "Call {CallId}: leg {Leg} on node {Node} outlived the call's end; hanging it up ({Cause})")]
    public static partial void LeftoverLeg(ILogger logger, Guid callId, string leg, string node, string cause);
}
