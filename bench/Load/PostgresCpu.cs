using System.Globalization;

namespace CallControl.Bench.Load;

/// <summary>
/// CPU time of the PostgreSQL server processes on this machine (a local cluster, as scripts/postgres.sh runs), from
/// /proc: user and system time of every process named <c>postgres</c> plus what its exited children were charged. Null
/// where /proc or the processes are not visible (another machine, another OS).
/// </summary>
internal static class PostgresCpu
{
    public static TimeSpan? Read()
    {
        if (!Directory.Exists("/proc"))
        {
            return null;
        }

        long ticks = 0;
        var found = false;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // the process ended
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open || stat[(open + 1)..close] != "postgres")
            {
                continue;
            }

            var fields = stat[(close + 2)..].Split(' ');
            // Fields 14-17 of stat (utime, stime, cutime, cstime) are 11-14 after the comm.
            for (var i = 11; i <= 14 && i < fields.Length; i++)
            {
                ticks += long.Parse(fields[i], CultureInfo.InvariantCulture);
            }

            found = true;
        }

        // USER_HZ is 100 on Linux.
        return found ? TimeSpan.FromMilliseconds(ticks * 10) : null;
    }
}
