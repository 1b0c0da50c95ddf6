using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace CallControl.Webhooks;

/// <summary>
/// One delivery attempt of one event: claim it, POST the stored body signed with the current secret, store the
/// attempt, then settle: delivered, failed after the last attempt, or due again after a backoff (the
/// <see cref="WebhookDispatcher"/> enqueues it then). Once an event is settled for good, the next pending event of its
/// call is enqueued (events of a call go out one after another).
/// Delivery is at least once: a receiver that answered too late, or a crash after the POST, means a second POST of
/// the same event id.
/// </summary>
public sealed class WebhookDelivery(
    WebhookEventStore store,
    IWebhookJobs jobs,
    IHttpClientFactory httpClients,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDelivery> logger)
{
    /// <summary>The named <see cref="HttpClient"/> (no redirects followed, no client-wide timeout).</summary>
    public const string HttpClientName = "webhooks";

    private const int MaxErrorLength = 500;

    public async Task<WebhookRunOutcome> RunAsync(Guid eventId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            // No key to sign with (webhooks were turned off after the event was recorded): it waits, pending.
            return WebhookRunOutcome.NothingToDo;
        }

        // Long enough that a live attempt never loses its lease; a dead worker's lease expires for the sweep.
        var lease = (settings.Timeout * 2) + TimeSpan.FromSeconds(30);
        var claimed = await store.TryClaimAsync(eventId, lease, cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            return await NotClaimedAsync(eventId, cancellationToken).ConfigureAwait(false);
        }

        var attempt = await PostAsync(claimed, settings).ConfigureAwait(false);
        TimeSpan? retryAfter = null;
        if (attempt.HttpStatus is >= 200 and < 300)
        {
            attempt = attempt with { Outcome = WebhookAttemptOutcomes.Delivered };
        }
        else if (claimed.Attempts >= settings.MaxAttempts)
        {
            attempt = attempt with { Outcome = WebhookAttemptOutcomes.Failed };
            WebhooksLog.GaveUp(logger, claimed.Id, claimed.CallId, claimed.Type, claimed.Attempts, attempt.Error);
        }
        else
        {
            retryAfter = WebhookBackoff.Delay(claimed.Attempts, settings, Random.Shared.NextDouble());
            attempt = attempt with { Outcome = WebhookAttemptOutcomes.Retry };
            if (claimed.Attempts == 1)
            {
                WebhooksLog.FirstAttemptFailed(logger, claimed.Id, claimed.CallId, claimed.Type, attempt.Error);
            }
        }

        // The attempt is stored whatever the caller's cancellation says: it happened.
        await store.SettleAsync(attempt, retryAfter, CancellationToken.None).ConfigureAwait(false);
        if (retryAfter is not null)
        {
            return WebhookRunOutcome.Retrying;
        }

        if (await store.NextPendingAsync(claimed.CallId, CancellationToken.None).ConfigureAwait(false) is { } next)
        {
            jobs.Enqueue(next);
        }

        return attempt.Outcome == WebhookAttemptOutcomes.Delivered ? WebhookRunOutcome.Delivered : WebhookRunOutcome.Failed;
    }

    private async Task<WebhookRunOutcome> NotClaimedAsync(Guid eventId, CancellationToken cancellationToken)
    {
        var standing = await store.StandingAsync(eventId, cancellationToken).ConfigureAwait(false);
        if (standing is null || standing.State != WebhookStates.Pending)
        {
            // Unknown, or settled already (a duplicate job): nothing to do.
            return WebhookRunOutcome.NothingToDo;
        }

        // Waiting: the earlier event's settlement enqueues this one. Otherwise someone holds it, or its retry is not
        // due yet (the dispatcher enqueues it then).
        return standing.Waiting ? WebhookRunOutcome.WaitingForEarlierEvent : WebhookRunOutcome.NothingToDo;
    }

    private async Task<WebhookAttempt> PostAsync(ClaimedWebhookEvent claimed, WebhookOptions settings)
    {
        var started = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        int? status = null;
        string? error = null;
        using var timeout = new CancellationTokenSource(settings.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, claimed.Url)
            {
                Content = new StringContent(claimed.Body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(settings.Secret!, clock.GetUtcNow().ToUnixTimeSeconds(), claimed.Body));
            request.Headers.Add("CallControl-Event-Id", claimed.Id.ToString("D"));
            request.Headers.Add("CallControl-Event-Type", claimed.Type);
            request.Headers.Add("CallControl-Attempt", claimed.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("CallControl-Webhooks", "1"));
            using var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            if (status is < 200 or >= 300)
            {
                error = "HTTP " + status.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            error = $"timeout after {settings.Timeout.TotalMilliseconds:0} ms";
        }
        catch (HttpRequestException ex)
        {
            error = Trim(ex.HttpRequestError + ": " + ex.Message);
        }

        return new WebhookAttempt
        {
            EventId = claimed.Id,
            Attempt = claimed.Attempts,
            StartedAt = started,
            DurationMs = (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds),
            HttpStatus = status,
            Error = error,
            Outcome = WebhookAttemptOutcomes.Retry,
        };
    }

    private static string Trim(string text) => text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
}

/// <summary>What one run of <see cref="WebhookDelivery.RunAsync"/> did.</summary>
public enum WebhookRunOutcome
{
    Delivered,
    Retrying,
    Failed,
    WaitingForEarlierEvent,
    NothingToDo,
}
