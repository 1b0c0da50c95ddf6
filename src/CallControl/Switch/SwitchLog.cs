using Microsoft.Extensions.Logging;

namespace CallControl.Switch;

/// <summary>The node pool's cluster messages: leases, steering, reconcile (1110-1149).</summary>
internal static partial class SwitchLog
{
    [LoggerMessage(1110, LogLevel.Information, "Node {Node}: lease acquired (key {Key}); this instance steers it")]
    public static partial void LeaseAcquired(ILogger logger, string node, long key);

    [LoggerMessage(1111, LogLevel.Warning, "Node {Node}: lease connection lost; this instance stops steering it")]
    public static partial void LeaseLost(ILogger logger, string node, Exception exception);

    [LoggerMessage(1112, LogLevel.Warning, "Node {Node}: cannot reach PostgreSQL for the lease (logged once until it answers)")]
    public static partial void LeaseUnreachable(ILogger logger, string node, Exception exception);

    [LoggerMessage(1113, LogLevel.Error, "Node {Node}: lease loop failed")]
    public static partial void LeaseLoopFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(1114, LogLevel.Information, "Node {Node}: steering starts (node restarted: {Restarted}); reconciling")]
    public static partial void SteeringStarts(ILogger logger, string node, bool restarted);

    [LoggerMessage(1115, LogLevel.Information, "Node {Node}: steering stops")]
    public static partial void SteeringStops(ILogger logger, string node);

    [LoggerMessage(1116, LogLevel.Error, "Node {Node}: steering listener {Listener} failed")]
    public static partial void SteeringListenerFailed(ILogger logger, string node, string listener, Exception exception);

    [LoggerMessage(1118, LogLevel.Warning, "Node {Node}: steering listener {Listener} was cut off by the connection dropping; it runs again when the node is back")]
    public static partial void SteeringListenerCutOff(ILogger logger, string node, string listener, Exception exception);

    [LoggerMessage(1117, LogLevel.Warning, "Node {Node}: reading the node's Core-UUID failed")]
    public static partial void CoreUuidFailed(ILogger logger, string node, Exception exception);
}
