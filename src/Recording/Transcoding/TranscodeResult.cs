using CallControl.Recording.Wav;

namespace CallControl.Recording.Transcoding;

/// <summary>What a transcode produced: the source's format, the Ogg/Opus bytes written and their SHA-256
/// (lowercase hex), and the audio duration the stream declares (final granule less pre-skip, at 48 kHz).</summary>
public sealed record TranscodeResult(WavFormat Source, long OutputBytes, string Sha256, long DurationMs, int Packets);
