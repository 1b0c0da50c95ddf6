using System.Globalization;

namespace FreeSwitchSim.Switch;

internal sealed partial class CallEngine
{
    /// <summary>uuid_record start / record_session: a media bug; RECORD_START then MEDIA_BUG_START.</summary>
    public bool StartRecording(Channel c, string pathAndLimit)
    {
        if (c.Recording is not null || c.HangingUp)
        {
            return false;
        }
        var parts = pathAndLimit.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return false;
        }
        var path = ResolvePath(parts[0]);
        int? limit = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null;
        c.Recording = new RecordingState
        {
            Path = path,
            StartedUs = NowUs(),
            Stereo = string.Equals(c.Vars.Get("RECORD_STEREO"), "true", StringComparison.OrdinalIgnoreCase),
            Rate = c.IsVerto ? 16000 : 8000,
            LimitSeconds = limit,
        };
        Events.Fire(c, "RECORD_START", CallSites.RecordStart, vars: true, trail: e => e.Add("Record-File-Path", path));
        Events.Fire(c, "MEDIA_BUG_START", CallSites.MediaBugStart, vars: true, lead: e => e
            .Add("Media-Bug-Function", "session_record")
            .Add("Media-Bug-Target", path));
        if (limit is int seconds && seconds > 0)
        {
            var rec = c.Recording;
            After(c, TimeSpan.FromSeconds(seconds), () =>
            {
                if (c.Recording == rec)
                {
                    StopRecording(c, "success-maxtime");
                }
            });
        }
        return true;
    }

    /// <summary>Stops the media bug: writes the WAV, sets record_* variables, RECORD_STOP then MEDIA_BUG_STOP.</summary>
    public bool StopRecording(Channel c, string completionCause)
    {
        var rec = c.Recording;
        if (rec is null)
        {
            return false;
        }
        c.Recording = null;
        // A paused media bug (SMBF_PAUSE) reads no frames: paused time is not in the file, nor in record_ms, which
        // FreeSWITCH computes from the samples written (switch_ivr_async.c send_record_stop_event).
        var now = NowUs();
        var pausedUs = rec.PausedUs + (rec.PausedSinceUs is long since ? now - since : 0);
        var ms = Math.Max(0, (now - rec.StartedUs - pausedUs) / 1000);
        var samples = ms * rec.Rate / 1000;
        var channels = rec.Stereo ? 2 : 1;
        long size;
        try
        {
            size = WavWriter.Write(rec.Path, rec.Rate, channels, samples);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            size = 0;
        }
        c.Vars.Set("record_file_size", size.ToString(CultureInfo.InvariantCulture));
        c.Vars.Set("record_samples", samples.ToString(CultureInfo.InvariantCulture));
        c.Vars.Set("record_seconds", (ms / 1000).ToString(CultureInfo.InvariantCulture));
        c.Vars.Set("record_ms", ms.ToString(CultureInfo.InvariantCulture));
        c.Vars.Set("record_completion_cause", completionCause);
        Events.Fire(c, "RECORD_STOP", CallSites.RecordStop, vars: true, trail: e => e
            .Add("Record-File-Path", rec.Path)
            .Add("Record-Completion-Cause", completionCause));
        Events.Fire(c, "MEDIA_BUG_STOP", CallSites.MediaBugStop, vars: true, lead: e => e
            .Add("Media-Bug-Function", "session_record")
            .Add("Media-Bug-Target", rec.Path));
        return true;
    }

    /// <summary>
    /// uuid_record pause|resume (switch_ivr_record_session_pause) and mask|unmask (switch_ivr_record_session_mask): the
    /// media bug is found by the file it records to; no event is fired. Setting a flag that is already set succeeds,
    /// as FreeSWITCH's does. False when the leg records no such file.
    /// </summary>
    public bool SetRecordingFlag(Channel c, string path, string flag, bool on)
    {
        var rec = c.Recording;
        if (rec is null || !string.Equals(rec.Path, ResolvePath(path), StringComparison.Ordinal))
        {
            return false;
        }
        if (flag == "pause")
        {
            if (on && rec.PausedSinceUs is null)
            {
                rec.PausedSinceUs = NowUs();
            }
            else if (!on && rec.PausedSinceUs is long since)
            {
                rec.PausedUs += NowUs() - since;
                rec.PausedSinceUs = null;
            }
        }
        else
        {
            rec.Masked = on;
        }
        return true;
    }

    /// <summary>Whether <paramref name="path"/> names the leg's running recording ("all" names any), as
    /// switch_ivr_stop_record_session looks the media bug up.</summary>
    public bool IsRecordingTo(Channel c, string path) =>
        c.Recording is { } rec && (path == "all" || string.Equals(rec.Path, ResolvePath(path), StringComparison.Ordinal));

    /// <summary>Relative paths land in the recordings dir, as FreeSWITCH's record apps do.</summary>
    private string ResolvePath(string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(Options.RecordingsDir, path);
}
