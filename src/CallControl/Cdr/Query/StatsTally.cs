namespace CallControl.Cdr.Query;

/// <summary>One UTC hour of <c>call_stats_hourly</c> (or of <c>call_stats_compute</c> for a partial hour).</summary>
internal sealed class StatsHour
{
    public DateTime BucketStart { get; init; }
    public int Calls { get; init; }
    public int Answered { get; init; }
    public int Completed { get; init; }
    public int Busy { get; init; }
    public int Refused { get; init; }
    public int Canceled { get; init; }
    public int NoAnswer { get; init; }
    public int Failed { get; init; }
    public int Offline { get; init; }
    public int FallbackAttempts { get; init; }
    public int FallbackSuccesses { get; init; }
    public int BillsecCalls { get; init; }
    public long BillsecSum { get; init; }
    public int Rang { get; init; }
    public long PddUsSum { get; init; }
    public int[] SetupHist { get; init; } = [];
}

/// <summary>Adds hours up into hour or day buckets and derives ASR, ACD, PDD and the setup percentiles.</summary>
internal sealed class StatsTally
{
    private readonly long[] _setup = new long[SetupHistogram.Bins];
    private long _calls, _answered, _completed, _busy, _refused, _canceled, _noAnswer, _failed, _offline;
    private long _fallbackAttempts, _fallbackSuccesses, _billsecCalls, _billsecSum, _rang, _pddUsSum;

    public static IReadOnlyList<StatsBucket> Buckets(IEnumerable<StatsHour> hours, bool byDay)
    {
        var tallies = new SortedDictionary<DateTime, StatsTally>();
        foreach (var hour in hours)
        {
            var start = DateTime.SpecifyKind(hour.BucketStart, DateTimeKind.Utc);
            var key = byDay ? start.Date : start;
            if (!tallies.TryGetValue(key, out var tally))
            {
                tallies[key] = tally = new StatsTally();
            }

            tally.Add(hour);
        }

        return [.. tallies.Where(t => t.Value._calls > 0).Select(t => t.Value.ToBucket(t.Key))];
    }

    private void Add(StatsHour h)
    {
        _calls += h.Calls;
        _answered += h.Answered;
        _completed += h.Completed;
        _busy += h.Busy;
        _refused += h.Refused;
        _canceled += h.Canceled;
        _noAnswer += h.NoAnswer;
        _failed += h.Failed;
        _offline += h.Offline;
        _fallbackAttempts += h.FallbackAttempts;
        _fallbackSuccesses += h.FallbackSuccesses;
        _billsecCalls += h.BillsecCalls;
        _billsecSum += h.BillsecSum;
        _rang += h.Rang;
        _pddUsSum += h.PddUsSum;
        for (var i = 0; i < h.SetupHist.Length && i < _setup.Length; i++)
        {
            _setup[i] += h.SetupHist[i];
        }
    }

    private StatsBucket ToBucket(DateTime start) => new()
    {
        BucketStart = start,
        Calls = _calls,
        Answered = _answered,
        Completed = _completed,
        Busy = _busy,
        Refused = _refused,
        Canceled = _canceled,
        NoAnswer = _noAnswer,
        Failed = _failed,
        Offline = _offline,
        FallbackAttempts = _fallbackAttempts,
        FallbackSuccesses = _fallbackSuccesses,
        Asr = (double)_answered / _calls,
        Acd = _billsecCalls > 0 ? (double)_billsecSum / _billsecCalls : null,
        Pdd = _rang > 0 ? _pddUsSum / 1e6 / _rang : null,
        SetupP50 = SetupHistogram.Percentile(_setup, 50),
        SetupP95 = SetupHistogram.Percentile(_setup, 95),
    };
}
