namespace CallControl.Data;

// Rows as the stores return them. Times are UTC DateTime (Npgsql's mapping of timestamptz).

/// <summary>A user (<c>users</c>).</summary>
public sealed record UserRecord
{
    public required string Id { get; init; }
    public required string DisplayName { get; init; }
    /// <summary>E.164, or null when the user has no phone on file.</summary>
    public string? PhoneNumber { get; init; }
    public bool PstnFallbackAllowed { get; init; } = true;
    public bool IsAdmin { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>A room (<c>rooms</c>): a caller and either a callee user or a callee number.</summary>
public sealed record RoomRecord
{
    public required string Id { get; init; }
    public required string CallerUserId { get; init; }
    public string? CalleeUserId { get; init; }
    public string? CalleeNumber { get; init; }
    /// <summary><c>audio</c> or <c>video</c>.</summary>
    public required string Media { get; init; }
    public bool Record { get; init; }
    /// <summary>Per-room fallback policy overrides as JSON, or null for the configured defaults.</summary>
    public string? FallbackPolicyOverride { get; init; }
    public string? FreeswitchNode { get; init; }
    public string State { get; init; } = "open";
    /// <summary>This room's status webhook receiver, overriding the deployment's; null for the deployment's.</summary>
    public string? WebhookUrl { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>A room call (<c>calls</c>) with its current status and version.</summary>
public sealed record CallRecord
{
    public Guid Id { get; init; }
    public required string RoomId { get; init; }
    public required string Caller { get; init; }
    public string? Callee { get; init; }
    public string? CalleeNumber { get; init; }
    public required string Media { get; init; }
    public required string Status { get; init; }
    public string? AnsweredVia { get; init; }
    public string? FallbackReason { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? RingingAt { get; init; }
    public DateTime? AnsweredAt { get; init; }
    public DateTime? EndedAt { get; init; }
    public int? Duration { get; init; }
    public int? Billsec { get; init; }
    public string? HangupCause { get; init; }
    public int? SipCode { get; init; }
    public string? HangupDisposition { get; init; }
    public string? HungUpBy { get; init; }
    public string? FreeswitchNode { get; init; }
    public string? RecordingId { get; init; }
    public DateTime? RingDeadline { get; init; }
    public DateTime? PstnDialedAt { get; init; }
    public int Version { get; init; }
}

/// <summary>One transition in <c>call_state_history</c>; the first row of a call has no <see cref="FromStatus"/>.</summary>
public sealed record CallStateChange
{
    public long Id { get; init; }
    public Guid CallId { get; init; }
    public string? FromStatus { get; init; }
    public required string ToStatus { get; init; }
    public string? Reason { get; init; }
    public DateTime At { get; init; }
}

/// <summary>A one-time verto login for one user in one room (<c>verto_logins</c>).</summary>
public sealed record VertoLogin
{
    public required string Login { get; init; }
    /// <summary>
    /// Kept as issued: mod_xml_curl's directory answer must hand FreeSWITCH the password itself (verto compares it),
    /// so a hash would be useless. It is random, one room, short-lived.
    /// </summary>
    public required string Password { get; init; }
    public required string RoomId { get; init; }
    public required string UserId { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime? UsedAt { get; init; }
}
