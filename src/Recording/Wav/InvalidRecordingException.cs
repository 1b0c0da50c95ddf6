namespace CallControl.Recording.Wav;

/// <summary>
/// The recording file is not a WAV the archive can take (not RIFF/WAVE, not 16-bit PCM, truncated, bogus sizes,
/// no audio). Permanent: retrying cannot help, so the archive job marks the recording failed at once with
/// <see cref="Exception.Message"/> as the reason and keeps the file for inspection.
/// </summary>
public sealed class InvalidRecordingException : Exception
{
    public InvalidRecordingException()
    {
    }

    public InvalidRecordingException(string message)
        : base(message)
    {
    }

    public InvalidRecordingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
