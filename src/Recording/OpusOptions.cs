namespace CallControl.Recording;

/// <summary>Configuration section <c>Recording:Opus</c>: the encoder settings for archived recordings.</summary>
public sealed class OpusOptions
{
    /// <summary>Bits per second for a mono recording; voice is clear at 24-32 kbps.</summary>
    public int MonoBitrate { get; set; } = 32_000;

    /// <summary>Bits per second for a stereo recording (one party per channel).</summary>
    public int StereoBitrate { get; set; } = 48_000;

    /// <summary>Encoder complexity 0-10: higher spends more CPU for a little quality at the same bitrate. 2 keeps the
    /// managed encoder above 50x real time on one core for 48 kHz stereo (bench/recording: about 58x at 2, 45x at 3,
    /// 30x at 5); voice at these bitrates stays clear.</summary>
    public int Complexity { get; set; } = 2;
}
