namespace CallControl.Recording.Archive;

/// <summary>The stored copy read back differs from what was written (or is missing): the archive is not recorded
/// and the job is retried.</summary>
public sealed class ArchiveVerificationException : Exception
{
    public ArchiveVerificationException()
    {
    }

    public ArchiveVerificationException(string message)
        : base(message)
    {
    }

    public ArchiveVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ArchiveVerificationException(string location, long expectedSize, string expectedSha256, StoredObjectDigest? stored)
        : base(stored is null
            ? $"Stored copy {location} is missing when read back."
            : $"Stored copy {location} reads back as {stored.Size} bytes, SHA-256 {stored.Sha256}; wrote {expectedSize} bytes, SHA-256 {expectedSha256}.")
    {
    }
}
