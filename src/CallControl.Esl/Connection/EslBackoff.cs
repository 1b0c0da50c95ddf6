namespace CallControl.Esl.Connection;

/// <summary>Reconnect delays: <c>min(base * 2^attempt + jitter, cap)</c>, jitter uniform in [0, maxJitter).</summary>
public static class EslBackoff
{
    /// <summary>The delay before reconnect attempt number <paramref name="attempt"/> (0 = the first after a healthy session).</summary>
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan cap, TimeSpan maxJitter, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var jitter = maxJitter <= TimeSpan.Zero ? 0 : (random ?? Random.Shared).NextDouble() * maxJitter.TotalMilliseconds;
        return TimeSpan.FromMilliseconds(Math.Min(exponential + jitter, cap.TotalMilliseconds));
    }
}
