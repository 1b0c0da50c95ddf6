using Dapper;
using Npgsql;

namespace CallControl.Calls.Router;

/// <summary>A call in progress on a node as PostgreSQL has it, with what its room says (for rebuilding it).</summary>
public sealed record ResumableCall
{
    public Guid Id { get; init; }
    public required string RoomId { get; init; }
    public required string Caller { get; init; }
    public string? Callee { get; init; }
    public string? CalleeNumber { get; init; }
    public required string Media { get; init; }
    public required string Status { get; init; }
    public string? AnsweredVia { get; init; }
    public string? FallbackReason { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? AnsweredAt { get; init; }
    public DateTime? RingDeadline { get; init; }
    public int Version { get; init; }
    public bool Record { get; init; }
    public string? FallbackPolicyOverride { get; init; }
}

/// <summary>A leg of such a call whose CDR is already stored: it ended (how is in its row).</summary>
public sealed record EndedLeg
{
    public Guid LegUuid { get; init; }
    public Guid CallId { get; init; }
    public string? Role { get; init; }
    public string? HangupCause { get; init; }
    public string? SipTermStatus { get; init; }
    public string? Disposition { get; init; }
    public DateTime? EndAt { get; init; }
}

/// <summary>A call that has ended, as PostgreSQL has it: how its legs still up on a node should be hung up.</summary>
public sealed record EndedCall
{
    public Guid Id { get; init; }
    public required string RoomId { get; init; }
    public required string Status { get; init; }
    public string? HangupCause { get; init; }
}

/// <summary>Reads what a new owner of a node needs from PostgreSQL to resume its calls.</summary>
public sealed class ResumeStore(NpgsqlDataSource dataSource)
{
    private const string LiveCallsSql = """
        SELECT c.id, c.room_id, c.caller, c.callee, c.callee_number, c.media, c.status, c.answered_via,
               c.fallback_reason, c.created_at, c.answered_at, c.ring_deadline, c.version,
               r.record, r.fallback_policy_override::text AS fallback_policy_override
        FROM calls AS c
        JOIN rooms AS r ON r.id = c.room_id
        WHERE c.freeswitch_node = @node
          AND c.status IN ('ringing', 'fallback-dialing', 'answered')
        ORDER BY c.created_at, c.id
        """;

    // Every status but the live ones above is final.
    private const string EndedCallsSql = """
        SELECT id, room_id, status, hangup_cause
        FROM calls
        WHERE (id = ANY(@ids) OR room_id = ANY(@rooms))
          AND status NOT IN ('ringing', 'fallback-dialing', 'answered')
        """;

    private const string EndedLegsSql = """
        SELECT leg_uuid, call_id, role, hangup_cause, sip_term_status,
               COALESCE(variables ->> 'sip_hangup_disposition', variables ->> 'verto_hangup_disposition') AS disposition,
               end_at
        FROM call_legs
        WHERE call_id = ANY(@ids)
        ORDER BY end_at NULLS LAST, leg_uuid
        """;

    /// <summary>The node's calls that are not over yet.</summary>
    public async Task<IReadOnlyList<ResumableCall>> LiveCallsAsync(string node, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ResumableCall>(
            new CommandDefinition(LiveCallsSql, new { node }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>The stored (ended) legs of these calls, earliest end first.</summary>
    public async Task<IReadOnlyList<EndedLeg>> EndedLegsAsync(IReadOnlyCollection<Guid> callIds, CancellationToken cancellationToken)
    {
        if (callIds.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<EndedLeg>(new CommandDefinition(
            EndedLegsSql, new { ids = callIds.ToArray() }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>Those of these calls (by id, or by room) that have ended.</summary>
    public async Task<IReadOnlyList<EndedCall>> EndedCallsAsync(
        IReadOnlyCollection<Guid> callIds, IReadOnlyCollection<string> roomIds, CancellationToken cancellationToken)
    {
        if (callIds.Count == 0 && roomIds.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<EndedCall>(new CommandDefinition(
            EndedCallsSql, new { ids = callIds.ToArray(), rooms = roomIds.ToArray() }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }
}
