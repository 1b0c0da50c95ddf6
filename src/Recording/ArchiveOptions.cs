namespace CallControl.Recording;

/// <summary>Configuration section <c>Recording:Archive</c>: the store and the archive job's retry policy.</summary>
public sealed class ArchiveOptions
{
    public const string FileSystemStore = "filesystem";
    public const string S3Store = "s3";

    /// <summary><c>filesystem</c> (default) or <c>s3</c>.</summary>
    public string Store { get; set; } = FileSystemStore;

    /// <summary>Root folder of the filesystem store.</summary>
    public string Path { get; set; } = "";

    /// <summary>Where the job writes the Ogg/Opus file before it is stored; the system temp folder when empty.</summary>
    public string WorkFolder { get; set; } = "";

    public S3ArchiveOptions S3 { get; set; } = new();

    /// <summary>Retries after the first attempt fails for a reason that may pass (I/O, store, database). A recording
    /// that is not a valid WAV is never retried.</summary>
    public int Retries { get; set; } = 5;

    /// <summary>Delay before each retry, in seconds; the last one repeats when there are more retries than delays.</summary>
    public IList<int> RetryDelaysSeconds { get; set; } = [];

    /// <summary>The delay before retry <paramref name="retry"/> (1-based).</summary>
    public TimeSpan RetryDelay(int retry)
    {
        int[] defaults = [30, 120, 600, 1800, 3600];
        var delays = RetryDelaysSeconds.Count > 0 ? [.. RetryDelaysSeconds] : defaults;
        var index = Math.Clamp(retry - 1, 0, delays.Length - 1);
        return TimeSpan.FromSeconds(Math.Max(0, delays[index]));
    }
}
