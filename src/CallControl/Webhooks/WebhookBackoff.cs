namespace CallControl.Webhooks;

/// <summary>
/// The wait before the next attempt: <see cref="WebhookOptions.FirstRetryDelay"/> doubled per failed attempt, capped at
/// <see cref="WebhookOptions.MaxRetryDelay"/>, then drawn from its upper quarter (jitter, so the events a receiver
/// failed together do not all come back at the same instant when it recovers).
/// </summary>
public static class WebhookBackoff
{
    /// <summary>The delay after <paramref name="failedAttempts"/> failed attempts (1 or more); <paramref name="unit"/> in [0, 1).</summary>
    public static TimeSpan Delay(int failedAttempts, WebhookOptions options, double unit)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        var exponent = Math.Min(failedAttempts - 1, 30);
        var ticks = Math.Min(options.FirstRetryDelay.Ticks * Math.Pow(2, exponent), options.MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (0.75 + (0.25 * unit))));
    }
}
