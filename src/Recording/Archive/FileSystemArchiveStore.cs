using System.Security.Cryptography;

namespace CallControl.Recording.Archive;

/// <summary>
/// Archive in a folder: key <c>a/b/c.ogg</c> is the file <c>Root/a/b/c.ogg</c>, its location the file's
/// <c>file://</c> URI. A put writes a temporary file beside the target, flushes it to disk, then renames it over the
/// target, so a reader (or a crash) never sees a partial file under the final name.
/// </summary>
public sealed class FileSystemArchiveStore : IArchiveStore
{
    private const string TempSuffix = ".partial";
    private readonly string _root;

    public FileSystemArchiveStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    public string Kind => ArchiveOptions.FileSystemStore;

    public string Root => _root;

    public string LocationOf(string key) => new Uri(PathOf(key)).AbsoluteUri;

    public async Task<string> PutAsync(string key, string sourceFile, string contentType, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = $"{target}.{Guid.NewGuid():N}{TempSuffix}";
        try
        {
            await using (var source = OpenSequential(sourceFile))
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await source.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                // fsync before the rename: after a power cut the final name holds all the bytes or does not exist.
                output.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        return LocationOf(key);
    }

    public async Task<StoredObjectDigest?> ReadBackAsync(string location, CancellationToken cancellationToken)
    {
        var path = PathOfLocation(location);
        if (!File.Exists(path))
        {
            return null;
        }
        await using var stream = OpenSequential(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return new StoredObjectDigest(stream.Length, Convert.ToHexStringLower(hash));
    }

    public Task<ArchiveObject?> OpenReadAsync(string location, long? firstByte, long? lastByte, CancellationToken cancellationToken)
    {
        var path = PathOfLocation(location);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<ArchiveObject?>(null);
        }

        var total = stream.Length;
        if (RangeResolver.Resolve(total, firstByte, lastByte) is not var (offset, length))
        {
            stream.Dispose();
            return Task.FromResult<ArchiveObject?>(ArchiveObject.Unsatisfiable(total, OggOpusContentType));
        }
        stream.Position = offset;
        var isRange = firstByte is not null || lastByte is not null;
        Stream content = isRange ? new BoundedReadStream(stream, length) : stream;
        return Task.FromResult<ArchiveObject?>(new ArchiveObject(content, total, offset, length, OggOpusContentType, isRange));
    }

    public Task<bool> DeleteAsync(string location, CancellationToken cancellationToken)
    {
        var path = PathOfLocation(location);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }
        File.Delete(path);
        return Task.FromResult(true);
    }

    internal const string OggOpusContentType = "audio/ogg";

    /// <summary>The file for <paramref name="key"/>; keys cannot leave the root (validated).</summary>
    private string PathOf(string key)
    {
        ArchiveKeys.Validate(key);
        return Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>The file a location names, refusing any location that is not a file under this store's root.</summary>
    private string PathOfLocation(string location)
    {
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || !uri.IsFile)
        {
            throw new ArgumentException($"'{location}' is not a file location of this store.", nameof(location));
        }
        var path = Path.GetFullPath(uri.LocalPath);
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{location}' is outside the archive folder.", nameof(location));
        }
        return path;
    }

    private static FileStream OpenSequential(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover *.partial file is never read as an archived object.
        }
    }
}
