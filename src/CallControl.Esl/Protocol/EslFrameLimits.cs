namespace CallControl.Esl.Protocol;

/// <summary>
/// Bounds on what one frame may hold. A peer that exceeds them gets a protocol error and a closed
/// connection, never an out-of-memory or a reader stuck waiting for a line that never ends.
/// </summary>
public sealed record EslFrameLimits
{
    /// <summary>The defaults: generous for real FreeSWITCH traffic (the outbound connect reply carries every
    /// channel variable as an envelope header; SDP values run to a few KiB), small enough to stop a hostile peer.</summary>
    public static EslFrameLimits Default { get; } = new();

    /// <summary>Longest header line in bytes, the newline included.</summary>
    public int MaxHeaderLineBytes { get; init; } = 64 * 1024;

    /// <summary>Most header lines in one header block (envelope or event).</summary>
    public int MaxHeaderCount { get; init; } = 4096;

    /// <summary>Largest header block in bytes, its empty line included. While a header block is incomplete the reader
    /// looks at it again on every read, so this also bounds that work. The outbound connect reply, the largest real
    /// one, carries every channel variable in a few KiB to tens of KiB.</summary>
    public int MaxHeaderBlockBytes { get; init; } = 1024 * 1024;

    /// <summary>Largest <c>Content-Length</c> accepted (a <c>show channels as json</c> on a busy node runs to MiBs).</summary>
    public int MaxBodyBytes { get; init; } = 64 * 1024 * 1024;
}
