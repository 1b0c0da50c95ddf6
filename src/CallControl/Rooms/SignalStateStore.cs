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

    /// <summary>One <c>state</c> event per call of <paramref name="user"/> (as caller or callee) not over yet.</summary>
    public async Task<IReadOnlyList<RoomEvent>> InProgressAsync(string user, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<StateRow>(
            new CommandDefinition(InProgressSql, new { user }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new RoomEvent(StateEventType, r.RoomId, r.Id, r.Status, r.Caller, r.Media))];
    }

    private sealed class StateRow
    {
        public Guid Id { get; init; }

        public string RoomId { get; init; } = "";

        public string Caller { get; init; } = "";

        public string Media { get; init; } = "";

        public string Status { get; init; } = "";
    }
}
