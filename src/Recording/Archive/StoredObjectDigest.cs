namespace CallControl.Recording.Archive;

/// <summary>What a store holds for an object, read back byte for byte: its size and lowercase hex SHA-256.</summary>
public sealed record StoredObjectDigest(long Size, string Sha256);
