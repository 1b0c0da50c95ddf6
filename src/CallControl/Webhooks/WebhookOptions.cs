namespace CallControl.Webhooks;

/// <summary>
/// Section <c>Webhooks</c>. Status webhooks are on when <see cref="Secret"/> is set: events then go to the room's
/// <c>webhook_url</c> if it has one, else to <see cref="Url"/>; with neither, nothing is recorded for the call.
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>The smallest HMAC key accepted (bytes of its UTF-8 text).</summary>
    public const int MinimumSecretBytes = 16;

    /// <summary>The deployment's receiver (absolute http or https), or null for rooms' own URLs only.</summary>
    public Uri? Url { get; set; }

    /// <summary>The HMAC-SHA256 key the <c>CallControl-Signature</c> header is computed with.</summary>
    public string? Secret { get; set; }

    /// <summary>How long one attempt may take, connect to last byte of the response headers.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per event, the first included; after the last failed one the event is <c>failed</c>.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed attempt; it doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the dispatcher looks for retries that became due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The dispatcher enqueues again an event still pending this long after its last job was enqueued with nobody
    /// working on it (the job was lost: a crash between the commit and the enqueue, a deleted Hangfire job).
    /// </summary>
    public TimeSpan LostJobAfter { get; set; } = TimeSpan.FromMinutes(2);

    public bool Enabled => !string.IsNullOrEmpty(Secret);

    /// <summary>What is wrong with these settings, or null.</summary>
    public string? Problem()
    {
        if (Url is not null && WebhookUrlValidation.Problem(Url.OriginalString) is { } urlProblem)
        {
            return "Webhooks:Url " + urlProblem;
        }

        if (Url is not null && !Enabled)
        {
            return "Webhooks:Url is set but Webhooks:Secret is not (every delivery is signed).";
        }

        if (Enabled && System.Text.Encoding.UTF8.GetByteCount(Secret!) < MinimumSecretBytes)
        {
            return $"Webhooks:Secret must be at least {MinimumSecretBytes} bytes.";
        }

        if (Timeout <= TimeSpan.Zero || MaxAttempts is < 1 or > 100 || FirstRetryDelay < TimeSpan.Zero
            || MaxRetryDelay < FirstRetryDelay || PollInterval < TimeSpan.FromMilliseconds(50) || LostJobAfter <= Timeout)
        {
            return "Webhooks: Timeout must be positive, MaxAttempts 1 to 100, 0 <= FirstRetryDelay <= MaxRetryDelay, "
                + "PollInterval at least 50 ms, LostJobAfter longer than Timeout.";
        }

        return null;
    }
}
