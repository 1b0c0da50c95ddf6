using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Switch;

/// <summary>Makes each node's <see cref="NodeLease"/> from the service's PostgreSQL connection string and <see cref="ClusterOptions"/>.</summary>
public sealed class NodeLeases(string connectionString, IOptions<ClusterOptions> options, ILoggerFactory loggers)
{
    /// <summary>This instance's settings.</summary>
    public ClusterOptions Options { get; } = options?.Value ?? throw new ArgumentNullException(nameof(options));

    internal NodeLease Create(string node, Func<bool, Task> changed) =>
        new(node, connectionString, Options, changed, loggers.CreateLogger<NodeLease>());
}
