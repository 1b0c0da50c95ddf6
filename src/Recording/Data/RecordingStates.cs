namespace CallControl.Recording.Data;

/// <summary>The values of <c>recordings.state</c> (see db/migrations/0003_recordings.sql).</summary>
public static class RecordingStates
{
    public const string Recording = "recording";
    public const string Paused = "paused";
    public const string Stopped = "stopped";
    public const string Archiving = "archiving";
    public const string Archived = "archived";
    public const string Failed = "failed";
    public const string Purged = "purged";
}
