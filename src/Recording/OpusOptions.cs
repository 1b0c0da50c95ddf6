namespace CallControl.Recording;

/// <summary>Configuration section <c>Recording:Opus</c>: the encoder settings for archived recordings.</summary>
public sealed class OpusOptions
{
    /// <summary>Bits per second for a mono recording; voice is clear at 24-32 kbps.</summary>
    public int MonoBitrate { get; set; } = 32_000;

    /// <summary>Bits per second for a stereo recording (one party per channel).</summary>
    public int StereoBitrate { get; set; } = 48_000;

    /// <summary>Encoder complexity 0-10: lower is faster; 5 keeps voice quality and runs well past real time.</summary>
    public int Complexity { get; set; } = 5;
}
