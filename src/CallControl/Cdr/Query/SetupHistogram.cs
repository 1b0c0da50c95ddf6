namespace CallControl.Cdr.Query;

/// <summary>
/// The setup-time histogram of <c>call_stats_hourly</c> (migration 0005, <c>call_stats_setup_bin</c>): 309 fixed
/// bins, 0.1 s wide below 10 s, 0.5 s wide from 10 s to 60 s, 5 s wide from 60 s to 600 s, then one open bin for
/// 600 s or more. Hours add up bin by bin, which percentiles themselves cannot.
/// </summary>
public static class SetupHistogram
{
    public const int Bins = 309;

    /// <summary>Seconds at the upper edge of 1-based <paramref name="bin"/>; the open last bin reports 600.</summary>
    public static double UpperEdge(int bin) => bin switch
    {
        < 1 or > Bins => throw new ArgumentOutOfRangeException(nameof(bin)),
        <= 100 => bin / 10.0,
        <= 200 => 10 + ((bin - 100) * 0.5),
        < Bins => 60 + ((bin - 200) * 5.0),
        _ => 600,
    };

    /// <summary>
    /// The nearest-rank <paramref name="percent"/>-th percentile, reported as the upper edge of the bin holding it:
    /// the true value v lies in [edge - bin width, edge). Null for an empty histogram.
    /// </summary>
    public static double? Percentile(ReadOnlySpan<long> counts, int percent)
    {
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }

        if (total <= 0)
        {
            return null;
        }

        // ceil(percent% of total) in integers, so no rounding moves the rank.
        var rank = Math.Max(1, ((percent * total) + 99) / 100);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return UpperEdge(i + 1);
            }
        }

        return UpperEdge(counts.Length);
    }
}
