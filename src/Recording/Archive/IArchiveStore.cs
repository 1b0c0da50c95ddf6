namespace CallControl.Recording.Archive;

/// <summary>
/// Where archived recordings live. A key is a relative name (<c>room/call/recording.ogg</c>); a location is the
/// store's URI for a stored object (<c>file:///...</c>, <c>s3://bucket/key</c>), which is what the recordings row
/// keeps in <c>archive_location</c>. Writes are all or nothing: a partly written object never appears under its key.
/// </summary>
public interface IArchiveStore
{
    /// <summary>The store's kind as kept in <c>archive_store</c>: <c>filesystem</c> or <c>s3</c>.</summary>
    string Kind { get; }

    /// <summary>The location <paramref name="key"/> has (or would have) in this store.</summary>
    string LocationOf(string key);

    /// <summary>Stores the file <paramref name="sourceFile"/> under <paramref name="key"/>, replacing what was there,
    /// and returns its location. Either the whole file is stored or nothing is.</summary>
    Task<string> PutAsync(string key, string sourceFile, string contentType, CancellationToken cancellationToken);

    /// <summary>Reads the stored object back in full: its size and SHA-256 as the store holds it; null when absent.</summary>
    Task<StoredObjectDigest?> ReadBackAsync(string location, CancellationToken cancellationToken);

    /// <summary>
    /// Opens the object at <paramref name="location"/> for reading, whole or the byte range
    /// <paramref name="firstByte"/>..<paramref name="lastByte"/> (inclusive, as HTTP Range counts: <c>bytes=a-b</c>;
    /// <paramref name="lastByte"/> past the end is clamped; <c>bytes=a-</c> is (a, null); a suffix range
    /// <c>bytes=-n</c>, the last n bytes, is (null, n)). Null when the object does not exist. A range that starts past the end gives an object with
    /// <see cref="ArchiveObject.IsRangeSatisfiable"/> false (answer 416 with its <see cref="ArchiveObject.TotalLength"/>).
    /// </summary>
    Task<ArchiveObject?> OpenReadAsync(string location, long? firstByte, long? lastByte, CancellationToken cancellationToken);

    /// <summary>Deletes the object; true when it existed. Deleting an absent object is not an error.</summary>
    Task<bool> DeleteAsync(string location, CancellationToken cancellationToken);
}
