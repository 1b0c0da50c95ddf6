namespace CallControl.Cdr.Query;

/// <summary>
/// One recording of a call (the <c>recordings</c> table): its state, length and archive. <see cref="DownloadUrl"/>
/// is the service's download endpoint once the recording is archived, null before that and after a purge.
/// Node and archive paths are not shown: they are storage details, and the download endpoint serves the file.
/// </summary>
public sealed record RecordingRow
{
    public Guid Id { get; init; }
    public string State { get; init; } = "";
    public Guid? LegUuid { get; init; }
    public DateTime StartedAt { get; init; }
    public DateTime? StoppedAt { get; init; }

    /// <summary>Length FreeSWITCH reported when the recording stopped (record_ms).</summary>
    public long? DurationMs { get; init; }
    public string? ArchiveStore { get; init; }
    public string? ArchiveFormat { get; init; }
    public long? ArchiveSizeBytes { get; init; }
    public string? ArchiveSha256 { get; init; }

    /// <summary>Length of the archived (transcoded) file.</summary>
    public long? ArchiveDurationMs { get; init; }
    public DateTime? ArchivedAt { get; init; }
    public int Attempts { get; init; }
    public string? FailureReason { get; init; }
    public DateTime? FailedAt { get; init; }
    public DateTime? PurgedAt { get; init; }

    public string? DownloadUrl => State == "archived" ? $"/api/recordings/{Id}" : null;
}
