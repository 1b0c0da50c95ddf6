using Microsoft.Extensions.Options;

namespace CallControl.Switch;

/// <summary>
/// Where a new room goes: the healthiest node this instance can use. A candidate is connected, steered by this
/// instance (it holds the lease, so it can command the node), not draining, and not overloaded by its last HEARTBEAT
/// (Session-Count at or above <see cref="ClusterOptions.MaxSessionLoad"/> of Max-Sessions, or Idle-CPU under
/// <see cref="ClusterOptions.MinIdleCpu"/>). Among candidates the least loaded wins: lowest session share, then most
/// idle CPU, then name (so equal nodes are picked the same way every time). A node without a HEARTBEAT yet counts as idle.
/// </summary>
public sealed class NodeSelector(NodePool nodes, NodeDrainStore drains, IOptions<ClusterOptions> options)
{
    /// <summary>The node for a new room, or null when none is healthy.</summary>
    public async Task<NodeState?> PickAsync(CancellationToken cancellationToken)
    {
        var states = nodes.States;
        if (!states.Any(s => s.Connected && s.Steering))
        {
            return null;
        }

        var draining = await drains.RecentDrainingAsync(cancellationToken).ConfigureAwait(false);
        return Pick(states, draining, options.Value);
    }

    /// <summary>The choice itself, without I/O.</summary>
    public static NodeState? Pick(IEnumerable<NodeState> states, IReadOnlySet<string> draining, ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return states
            .Where(s => s.Connected && s.Steering && !draining.Contains(s.Name) && !IsOverloaded(s, options))
            .OrderBy(SessionLoad)
            .ThenByDescending(s => s.IdleCpu ?? 100.0)
            .ThenBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
            .FirstOrDefault();
    }

    /// <summary>Whether the last HEARTBEAT puts the node over either threshold.</summary>
    public static bool IsOverloaded(NodeState state, ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        return SessionLoad(state) >= options.MaxSessionLoad || state.IdleCpu is { } idle && idle < options.MinIdleCpu;
    }

    /// <summary>Session-Count over Max-Sessions (0 without figures).</summary>
    public static double SessionLoad(NodeState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.MaxSessions is > 0 ? (double)(state.SessionCount ?? 0) / state.MaxSessions.Value : 0;
    }
}
