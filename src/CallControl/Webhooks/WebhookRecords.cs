namespace CallControl.Webhooks;

/// <summary><c>webhook_events.state</c>.</summary>
public static class WebhookStates
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Delivered, Failed];
}

/// <summary><c>webhook_attempts.outcome</c>: what the attempt decided for its event.</summary>
public static class WebhookAttemptOutcomes
{
    public const string Delivered = "delivered";
    public const string Retry = "retry";
    public const string Failed = "failed";
}

/// <summary>An event about to be recorded; its receiver is chosen by the store.</summary>
public sealed record WebhookEventDraft(Guid Id, string Type, Guid CallId, string RoomId, DateTimeOffset OccurredAt, string Body);

/// <summary>An event claimed for one attempt; <see cref="Attempts"/> counts this one.</summary>
public sealed record ClaimedWebhookEvent
{
    public Guid Id { get; init; }
    public Guid CallId { get; init; }
    public string Type { get; init; } = "";
    public string Url { get; init; } = "";
    public string Body { get; init; } = "";
    public int Attempts { get; init; }
}

/// <summary>Where an unclaimed event stands: its state, whether someone holds it, when it is due, whether an earlier event of its call is pending.</summary>
public sealed record WebhookEventStanding
{
    public string State { get; init; } = "";
    public bool Leased { get; init; }
    public double DueInSeconds { get; init; }
    public bool Waiting { get; init; }
}

/// <summary>One delivery attempt (<c>webhook_attempts</c>).</summary>
public sealed record WebhookAttempt
{
    public Guid EventId { get; init; }
    public int Attempt { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public int DurationMs { get; init; }
    /// <summary>The receiver's status code, or null when it gave none (timeout, connection refused).</summary>
    public int? HttpStatus { get; init; }
    public string? Error { get; init; }
    public required string Outcome { get; init; }
}
