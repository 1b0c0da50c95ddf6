namespace CallControl.Recording;

/// <summary>
/// Configuration section <c>Recording</c>: where FreeSWITCH writes recordings, where the archive goes, how long it
/// is kept and how it is encoded.
/// </summary>
public sealed class RecordingOptions
{
    public const string SectionName = "Recording";

    /// <summary>The recordings folder shared with FreeSWITCH; a recording's <c>relative_path</c> resolves under it,
    /// and nothing outside it is ever read or deleted.</summary>
    public string Folder { get; set; } = "";

    /// <summary>Days an archived recording is kept when its room sets no <c>recording_retention_days</c>.</summary>
    public int RetentionDays { get; set; } = 365;

    public ArchiveOptions Archive { get; set; } = new();

    public OpusOptions Opus { get; set; } = new();
}
