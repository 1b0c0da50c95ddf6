using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CallControl.Switch;

/// <summary>
/// What all instances must agree on about the nodes, read from PostgreSQL: the operator's drains (<c>node_drains</c>),
/// who holds each node's lease (the advisory lock's holder in <c>pg_locks</c>, named by its connection's
/// <c>application_name</c>), and how many calls are in progress on each node.
/// </summary>
public sealed class NodeDrainStore(NpgsqlDataSource dataSource, IOptions<ClusterOptions> options)
{
    private DrainSnapshot? _snapshot;

    /// <summary>A store that re-reads the drains at every <see cref="RecentDrainingAsync"/> (tests, tools).</summary>
    public NodeDrainStore(NpgsqlDataSource dataSource)
        : this(dataSource, Options.Create(new ClusterOptions { DrainRefresh = TimeSpan.Zero }))
    {
    }

    private const string DrainingSql = """
        SELECT node
        FROM node_drains
        WHERE draining
        """;

    private const string SetDrainSql = """
        INSERT INTO node_drains (node, draining, changed_at, changed_by)
        VALUES (@node, @draining, now(), @changedBy)
        ON CONFLICT (node) DO UPDATE
        SET draining = EXCLUDED.draining,
            changed_at = EXCLUDED.changed_at,
            changed_by = EXCLUDED.changed_by
        """;

    // A bigint advisory lock shows in pg_locks as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
    private const string OwnerSql = """
        SELECT a.application_name
        FROM pg_locks AS l
        JOIN pg_stat_activity AS a ON a.pid = l.pid
        WHERE l.locktype = 'advisory'
          AND l.granted
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = @classId
          AND l.objid = @objId
          AND l.objsubid = 1
        LIMIT 1
        """;

    private const string LiveCallsSql = """
        SELECT freeswitch_node AS node, count(*) AS calls
        FROM calls
        WHERE status IN ('ringing', 'fallback-dialing', 'answered')
          AND freeswitch_node IS NOT NULL
        GROUP BY freeswitch_node
        """;

    /// <summary>The names of the nodes being drained.</summary>
    public async Task<IReadOnlySet<string>> DrainingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(DrainingSql, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The drained nodes as read at most <see cref="ClusterOptions.DrainRefresh"/> ago: every new room asks, and a
    /// drain is an operator's rare act, so one read serves many rooms. A drain set through this instance is seen by
    /// it at once; one set through another instance within the refresh interval.
    /// </summary>
    public async Task<IReadOnlySet<string>> RecentDrainingAsync(CancellationToken cancellationToken)
    {
        // Wall-clock age (not the injected TimeProvider, which tests stop to drive ring timers).
        var now = Stopwatch.GetTimestamp();
        if (Volatile.Read(ref _snapshot) is { } snapshot && Stopwatch.GetElapsedTime(snapshot.ReadAt, now) < options.Value.DrainRefresh)
        {
            return snapshot.Draining;
        }

        var draining = await DrainingAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _snapshot, new DrainSnapshot(now, draining));
        return draining;
    }

    /// <summary>Drains (or undrains) a node; <paramref name="changedBy"/> is the admin who asked.</summary>
    public async Task SetDrainingAsync(string node, bool draining, string? changedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            SetDrainSql, new { node, draining, changedBy }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        Volatile.Write(ref _snapshot, null);
    }

    /// <summary>The instance id holding the lease with this key, or null when nobody steers the node.</summary>
    public async Task<string?> OwnerAsync(long key, CancellationToken cancellationToken)
    {
        var classId = (long)(uint)(key >> 32);
        var objId = (long)(uint)(key & 0xFFFF_FFFF);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var name = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            OwnerSql, new { classId, objId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return name is not null && name.StartsWith(NodeLease.ApplicationNamePrefix, StringComparison.Ordinal)
            ? name[NodeLease.ApplicationNamePrefix.Length..]
            : name;
    }

    private sealed record DrainSnapshot(long ReadAt, IReadOnlySet<string> Draining);

    /// <summary>Calls in progress (ringing, fallback-dialing, answered) per node.</summary>
    public async Task<IReadOnlyDictionary<string, long>> LiveCallsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Node, long Calls)>(
            new CommandDefinition(LiveCallsSql, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Node, r => r.Calls, StringComparer.OrdinalIgnoreCase);
    }
}
