using System.ComponentModel.DataAnnotations;

namespace CallControl.Switch;

/// <summary>
/// Configuration section <c>Cluster</c>: who this instance is, how it competes for the node leases, and when a node
/// counts as overloaded by its HEARTBEAT figures. Validated at start.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Cluster";

    /// <summary>This instance's name, shown as a node's owner (default: host name, process id and a random suffix).</summary>
    [MaxLength(48)]
    public string InstanceId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..4]}";

    /// <summary>
    /// Folded into every lease key with the node's name. Instances that steer the same nodes must share it (the default
    /// does); separate deployments (or test runs) sharing one database keep their leases apart with their own.
    /// </summary>
    [Required]
    public string LeaseNamespace { get; set; } = "callcontrol";

    /// <summary>How often a standby tries to take a free lease, and an owner checks its lock connection is alive.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan LeasePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A node whose last HEARTBEAT shows at least this share of Max-Sessions in use gets no new rooms.</summary>
    [Range(0.0, 1.0)]
    public double MaxSessionLoad { get; set; } = 0.9;

    /// <summary>A node whose last HEARTBEAT shows less idle CPU than this (percent) gets no new rooms.</summary>
    [Range(0.0, 100.0)]
    public double MinIdleCpu { get; set; } = 5.0;

    /// <summary>How old the list of drained nodes may be when a new room picks its node (re-read from PostgreSQL after
    /// that). A drain through this instance applies at once; one through another instance within this interval.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan DrainRefresh { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnect attempts to a node that is down (FreeSWITCH restarts take seconds:
    /// the service must be back within about a second of the node).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan ReconnectCap { get; set; } = TimeSpan.FromSeconds(1);
}
