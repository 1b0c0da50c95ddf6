using System.Text.RegularExpressions;

namespace CallControl.Hosting;

/// <summary>
/// Background jobs (Hangfire on the service's PostgreSQL), section <c>Jobs</c>. Every instance shares one queue in
/// <see cref="Schema"/>; an instance with <see cref="Enabled"/> false only enqueues.
/// </summary>
public sealed partial class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Whether this process runs a Hangfire server (workers). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The PostgreSQL schema of Hangfire's tables. Default <c>hangfire</c>. A plain lower-case identifier:
    /// Hangfire.PostgreSql puts it into its install scripts as text.</summary>
    public string Schema { get; set; } = "hangfire";

    /// <summary>Worker threads of this process's server. Default 4 (jobs are I/O and short transcodes).</summary>
    public int Workers { get; set; } = 4;

    /// <summary>How often an idle worker looks at the queue. Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether enqueues wake idle workers at once through LISTEN/NOTIFY (Hangfire.PostgreSql's long polling).
    /// Default false: Hangfire.PostgreSql wakes waiters through one process-wide event, so with two storages in a
    /// process (test hosts, or an instance with two job schemas) a notification can wake the wrong server's worker
    /// and a job sat in Enqueued for over a minute while <see cref="PollInterval"/> was 200 ms. Polling is plain
    /// and bounded; turn this on only for one storage per process.</summary>
    public bool LongPolling { get; set; }

    internal bool IsValid(out string problem)
    {
        if (!SchemaName().IsMatch(Schema ?? string.Empty))
        {
            problem = "Jobs:Schema must be a lower-case identifier ([a-z_][a-z0-9_]{0,62})";
            return false;
        }

        if (Workers is < 1 or > 100)
        {
            problem = "Jobs:Workers must be between 1 and 100";
            return false;
        }

        if (PollInterval < TimeSpan.FromMilliseconds(50) || PollInterval > TimeSpan.FromMinutes(5))
        {
            problem = "Jobs:PollInterval must be between 00:00:00.05 and 00:05:00";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
