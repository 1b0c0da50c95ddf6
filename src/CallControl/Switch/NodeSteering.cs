namespace CallControl.Switch;

/// <summary>
/// Told when this instance starts or stops steering a node. Steering starts when this instance holds the node's lease
/// and its Event Socket is up: after taking the lease over, after the first connection, and after every reconnect.
/// Events may have been missed before each start (another owner had them, or the socket was down): reconcile with
/// <c>show channels as json</c> and the database. When steering stops (the lease is lost), act on nothing of that
/// node any more: no commands, no store writes, no timers.
/// </summary>
public interface INodeSteeringListener
{
    /// <summary>Steering (re)starts; <paramref name="nodeRestarted"/> when the node's Core-UUID changed since this
    /// instance last saw it (FreeSWITCH restarted: every channel it had is gone).</summary>
    ValueTask OnSteeringStartedAsync(string node, bool nodeRestarted, CancellationToken cancellationToken);

    /// <summary>Steering stopped (fencing).</summary>
    ValueTask OnSteeringStoppedAsync(string node, CancellationToken cancellationToken);
}

/// <summary>Thrown by <see cref="NodeCommands"/> when this instance does not steer the node: a fenced owner must not
/// touch a node another instance may steer now.</summary>
public sealed class NodeNotSteeredException : InvalidOperationException
{
    public NodeNotSteeredException()
    {
    }

    public NodeNotSteeredException(string message)
        : base(message)
    {
    }

    public NodeNotSteeredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
