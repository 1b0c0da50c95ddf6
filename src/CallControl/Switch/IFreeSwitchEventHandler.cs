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

/// <summary>Told when a node's connection comes up or goes down. After a reconnect events were missed: reconcile
/// (e.g. <c>show channels as json</c>).</summary>
public interface INodeConnectionListener
{
    /// <summary>The node is connected, authenticated and subscribed; <paramref name="isReconnect"/> after a loss.</summary>
    ValueTask OnConnectedAsync(string node, bool isReconnect, CancellationToken cancellationToken);

    /// <summary>The node's connection was lost (or refused).</summary>
    ValueTask OnDisconnectedAsync(string node, CancellationToken cancellationToken);
}
