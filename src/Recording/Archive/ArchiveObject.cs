namespace CallControl.Recording.Archive;

/// <summary>
/// An opened archived object, or the requested range of it: <see cref="Content"/> yields exactly <see cref="Length"/>
/// bytes starting at <see cref="Offset"/> of an object of <see cref="TotalLength"/> bytes. Dispose it when done.
/// </summary>
public sealed class ArchiveObject : IAsyncDisposable, IDisposable
{
    public ArchiveObject(Stream content, long totalLength, long offset, long length, string contentType, bool isRange)
    {
        Content = content;
        TotalLength = totalLength;
        Offset = offset;
        Length = length;
        ContentType = contentType;
        IsRange = isRange;
    }

    public Stream Content { get; }

    public long TotalLength { get; }

    public long Offset { get; }

    public long Length { get; }

    public string ContentType { get; }

    /// <summary>True when a range was asked for (answer 206 with Content-Range), false for the whole object (200).</summary>
    public bool IsRange { get; }

    /// <summary>False when the asked range starts past the end: answer 416 with <c>bytes */TotalLength</c>.</summary>
    public bool IsRangeSatisfiable => !IsRange || Length > 0;

    /// <summary>The inclusive last byte of the range.</summary>
    public long LastByte => Offset + Length - 1;

    /// <summary>An unsatisfiable range of an object of <paramref name="totalLength"/> bytes.</summary>
    public static ArchiveObject Unsatisfiable(long totalLength, string contentType) =>
        new(Stream.Null, totalLength, 0, 0, contentType, isRange: true);

    public ValueTask DisposeAsync() => Content.DisposeAsync();

    public void Dispose() => Content.Dispose();
}
