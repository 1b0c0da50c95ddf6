namespace CallControl.Recording.Data;

/// <summary>What the archive job records about a verified archived copy.</summary>
public sealed record ArchivedCopy(
    string Store, string Location, string Format, long SizeBytes, string Sha256, long DurationMs, long SourceSizeBytes);
