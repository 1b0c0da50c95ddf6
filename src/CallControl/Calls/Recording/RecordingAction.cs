namespace CallControl.Calls.Recording;

/// <summary>What a party can do to a call's recording.</summary>
public enum RecordingAction
{
    Start,
    Stop,
    Pause,
    Resume,
}

/// <summary>The recording a live call has now, as the service drove it.</summary>
public enum RecordingPhase
{
    Recording,
    Paused,
}

/// <summary>A call's running recording: its row id, the leg <c>uuid_record</c> runs on, and its file.</summary>
public sealed record LiveRecording(Guid Id, string LegUuid, RecordingPath Path, RecordingPhase Phase);

/// <summary>
/// Which actions fit which state, and the <c>uuid_record</c> verb each one is. FreeSWITCH 1.10's mod_commands offers
/// start, stop, pause and resume (pause sets SMBF_PAUSE on the media bug: nothing is written while paused, so the file
/// and record_ms leave the pause out) besides mask/unmask (silence written, timeline kept); the API's pause is
/// FreeSWITCH's pause. FreeSWITCH itself accepts a pause of a paused recording; the service refuses what does not fit
/// so a client learns the state it raced with.
/// </summary>
public static class RecordingRules
{
    /// <summary>The verb for <paramref name="action"/>, or null when it does not fit <paramref name="live"/>.</summary>
    public static string? Verb(RecordingAction action, LiveRecording? live) => (action, live?.Phase) switch
    {
        (RecordingAction.Start, null) => "start",
        (RecordingAction.Stop, RecordingPhase.Recording or RecordingPhase.Paused) => "stop",
        (RecordingAction.Pause, RecordingPhase.Recording) => "pause",
        (RecordingAction.Resume, RecordingPhase.Paused) => "resume",
        _ => null,
    };

    /// <summary>The request's action, or null for anything but start, stop, pause and resume.</summary>
    public static RecordingAction? Parse(string? action) => action switch
    {
        "start" => RecordingAction.Start,
        "stop" => RecordingAction.Stop,
        "pause" => RecordingAction.Pause,
        "resume" => RecordingAction.Resume,
        _ => null,
    };
}
