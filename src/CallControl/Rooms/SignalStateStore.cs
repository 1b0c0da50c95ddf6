using CallControl.Calls.Router;
using CallControl.Data;
using Dapper;
using Npgsql;

namespace CallControl.Rooms;

/// <summary>
/// Where a user's calls in progress stand, as a socket that (re)connects must hear first: after a takeover the client
/// reconnects to any instance and learns from this where its call is, then follows its later events.
/// </summary>
public sealed class SignalStateStore(NpgsqlDataSource dataSource)
{
    /// <summary>The pushed event's <c>type</c>: its <c>status</c> is the call's status now.</summary>
    public const string StateEventType = "state";

    // Two index scans (calls_caller_idx, calls_callee_idx); a call to oneself is listed once.
    private const string InProgressSql = """
        SELECT id, room_id, caller, media, status
        FROM calls
        WHERE caller = @user
          AND status IN ('ringing', 'fallback-dialing', 'answered')
        UNION ALL
        SELECT id, room_id, caller, media, status
        FROM calls
        WHERE callee = @user
          AND caller <> @user
          AND status IN ('ringing', 'fallback-dialing', 'answered')
        ORDER BY 1
        """;

    // The same two index scans for a set of users; a call over by now is listed when its status changed at or after
    // @since (its history says when), so a client that missed its last events learns how it ended.
    private const string ChangedSinceSql = """
        SELECT u.user_id AS "User", c.id, c.room_id, c.caller, c.media, c.status
        FROM unnest(@users) AS u(user_id)
        JOIN calls AS c ON c.caller = u.user_id
        WHERE c.status IN ('ringing', 'fallback-dialing', 'answered')
           OR EXISTS (SELECT 1 FROM call_state_history AS h WHERE h.call_id = c.id AND h.at >= @since)
        UNION ALL
        SELECT u.user_id, c.id, c.room_id, c.caller, c.media, c.status
        FROM unnest(@users) AS u(user_id)
        JOIN calls AS c ON c.callee = u.user_id AND c.caller <> u.user_id
        WHERE c.status IN ('ringing', 'fallback-dialing', 'answered')
           OR EXISTS (SELECT 1 FROM call_state_history AS h WHERE h.call_id = c.id AND h.at >= @since)
        ORDER BY 1, 2
        """;

    /// <summary>
    /// For each of <paramref name="users"/>, one <c>state</c> event per call of theirs not over yet or whose status
    /// changed at or after <paramref name="since"/> (then <c>status</c> may be final): what a socket that may have
    /// missed events since then must hear to stand where its calls do.
    /// </summary>
    public async Task<IReadOnlyList<(string User, RoomEvent Event)>> ChangedSinceAsync(
        IReadOnlyCollection<string> users, DateTime since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        if (users.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<UserStateRow>(
            new CommandDefinition(ChangedSinceSql, new { users = users.ToArray(), since = DateTime.SpecifyKind(since, DateTimeKind.Utc) }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return [.. rows.Select(r => (r.User, new RoomEvent(StateEventType, r.RoomId, r.Id, r.Status, r.Caller, r.Media)))];
    }

    /// <summary>One <c>state</c> event per call of <paramref name="user"/> (as caller or callee) not over yet.</summary>
    public async Task<IReadOnlyList<RoomEvent>> InProgressAsync(string user, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<StateRow>(
            new CommandDefinition(InProgressSql, new { user }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new RoomEvent(StateEventType, r.RoomId, r.Id, r.Status, r.Caller, r.Media))];
    }

    private sealed class UserStateRow : StateRow
    {
        public string User { get; init; } = "";
    }

    private class StateRow
    {
        public Guid Id { get; init; }

        public string RoomId { get; init; } = "";

        public string Caller { get; init; } = "";

        public string Media { get; init; } = "";

        public string Status { get; init; } = "";
    }
}
