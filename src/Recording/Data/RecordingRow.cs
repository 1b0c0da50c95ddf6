namespace CallControl.Recording.Data;

/// <summary>The columns of a <c>recordings</c> row the archive jobs read.</summary>
public sealed record RecordingRow
{
    public Guid Id { get; init; }

    public Guid CallId { get; init; }

    public string RoomId { get; init; } = "";

    public string State { get; init; } = "";

    public string RelativePath { get; init; } = "";

    public int Attempts { get; init; }

    public string? ArchiveStore { get; init; }

    public string? ArchiveLocation { get; init; }

    public string? ArchiveSha256 { get; init; }

    public long? ArchiveSizeBytes { get; init; }

    public DateTime? ArchivedAt { get; init; }

    public string? FailureReason { get; init; }
}
