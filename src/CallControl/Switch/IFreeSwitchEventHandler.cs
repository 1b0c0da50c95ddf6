using System.Diagnostics.CodeAnalysis;
using CallControl.Esl.Events;

namespace CallControl.Switch;

/// <summary>
/// Receives every event from every node. Events of one channel (same <c>Unique-ID</c>) reach a handler one at a time
/// and in the order the node sent them; events of different channels may be handled in parallel. The event is
/// disposed after all handlers returned: copy what you keep.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "It handles FreeSWITCH events; the name is the team's contract.")]
public interface IFreeSwitchEventHandler
{
    /// <summary>Handles one event; an exception is logged and does not stop delivery.</summary>
    ValueTask HandleAsync(string node, EslEvent freeSwitchEvent, CancellationToken cancellationToken);
}

/// <summary>
/// A handler that still gets a node's events after this instance lost the node's lease while it may still hold it
/// (fenced: the lock connection failed, e.g. PostgreSQL is unreachable), because what it does is safe from two instances
/// at once: no ESL command, only idempotent writes (the CDR upsert by leg UUID, its journal). A standby that never
/// held the lease passes no event to anyone.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "It handles FreeSWITCH events; the name is the team's contract.")]
public interface IFencedEventHandler : IFreeSwitchEventHandler
{
}

/// <summary>Told when a node's connection comes up or goes down. After a reconnect events were missed: reconcile
/// (e.g. <c>show channels as json</c>).</summary>
public interface INodeConnectionListener
{
    /// <summary>The node is connected, authenticated and subscribed; <paramref name="isReconnect"/> after a loss.</summary>
    ValueTask OnConnectedAsync(string node, bool isReconnect, CancellationToken cancellationToken);

    /// <summary>The node's connection was lost (or refused).</summary>
    ValueTask OnDisconnectedAsync(string node, CancellationToken cancellationToken);
}
