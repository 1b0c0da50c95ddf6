namespace CallControl.Recording.Archive;

/// <summary>Resolves an HTTP-style inclusive byte range against an object's length (shared by the stores).</summary>
internal static class RangeResolver
{
    /// <summary>(offset, length) of the range, or null when it starts past the end (unsatisfiable); the whole
    /// object when neither bound is given.</summary>
    public static (long Offset, long Length)? Resolve(long totalLength, long? firstByte, long? lastByte)
    {
        if (firstByte is null && lastByte is null)
        {
            return (0, totalLength);
        }
        if (firstByte is null)
        {
            // "bytes=-N": the last N bytes.
            var suffix = Math.Min(lastByte!.Value, totalLength);
            return suffix <= 0 ? null : (totalLength - suffix, suffix);
        }
        ArgumentOutOfRangeException.ThrowIfNegative(firstByte.Value, nameof(firstByte));
        if (firstByte.Value >= totalLength)
        {
            return null;
        }
        var last = Math.Min(lastByte ?? (totalLength - 1), totalLength - 1);
        if (last < firstByte.Value)
        {
            throw new ArgumentOutOfRangeException(nameof(lastByte), "The range ends before it starts.");
        }
        return (firstByte.Value, last - firstByte.Value + 1);
    }
}
