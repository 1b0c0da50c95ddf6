using CallControl.Recording.Wav;

namespace CallControl.Recording.Jobs;

/// <summary>Resolves a recording's <c>relative_path</c> under the recordings folder, refusing anything that would
/// leave it (rooted paths, <c>..</c>, symbolic links).</summary>
internal static class RecordingSource
{
    public static string Resolve(string folder, string relativePath)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            throw new InvalidOperationException("Recording:Folder is not configured: the archive cannot find recordings.");
        }
        if (string.IsNullOrWhiteSpace(relativePath) || Path.IsPathRooted(relativePath) || relativePath.Contains('\0', StringComparison.Ordinal))
        {
            throw new InvalidRecordingException($"Recording path '{relativePath}' is not a relative path under the recordings folder.");
        }
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var path = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidRecordingException($"Recording path '{relativePath}' escapes the recordings folder.");
        }
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            throw new InvalidRecordingException($"Recording path '{relativePath}' is a symbolic link; only regular files are archived.");
        }
        if (!info.Exists)
        {
            // Maybe not visible yet on a shared folder: a retry may find it.
            throw new FileNotFoundException($"Recording file '{relativePath}' is not in the recordings folder.", path);
        }
        return path;
    }
}
