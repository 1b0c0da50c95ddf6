namespace CallControl.Recording.Wav;

/// <summary>
/// A validated WAV recording: 16-bit PCM, <see cref="Channels"/> interleaved channels (FreeSWITCH's stereo
/// recordings carry one party per channel) at <see cref="SampleRate"/>, with <see cref="DataLength"/> bytes of
/// samples starting at byte <see cref="DataOffset"/>.
/// </summary>
public sealed record WavFormat(int SampleRate, int Channels, long DataOffset, long DataLength)
{
    public const int BitsPerSample = 16;

    /// <summary>Bytes per sample frame (one sample of every channel).</summary>
    public int BlockAlign => Channels * (BitsPerSample / 8);

    /// <summary>Sample frames (samples per channel).</summary>
    public long Frames => DataLength / BlockAlign;

    public long DurationMs => Frames * 1000 / SampleRate;
}
