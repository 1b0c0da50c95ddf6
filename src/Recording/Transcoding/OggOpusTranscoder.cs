using System.Runtime.InteropServices;
using Concentus;
using Concentus.Enums;
using Microsoft.Extensions.Options;
using CallControl.Recording.Wav;

namespace CallControl.Recording.Transcoding;

/// <summary>
/// WAV (16-bit PCM, mono or stereo) to Ogg/Opus with Concentus' managed encoder: 20 ms voice frames, VBR at the
/// configured bitrate, in our own Ogg pages. Opus takes 8/12/16/24/48 kHz directly; other rates are resampled to
/// 48 kHz. Granule positions count 48 kHz samples; the pre-skip is the encoder's lookahead, and the final page's
/// granule trims the zero padding so a decoder plays exactly the source's length.
/// </summary>
public sealed class OggOpusTranscoder
{
    private const int GranuleRate = 48_000;
    private const int FramesPerSecond = 50; // 20 ms frames
    private const int PacketsPerPage = 50;  // a page a second: small seek granularity, little overhead
    private const int MaxPacketBytes = 4000;
    private const int ReadFrames = 4096;
    private static readonly int[] OpusRates = [8000, 12000, 16000, 24000, 48000];

    private readonly OpusOptions _options;

    public OggOpusTranscoder(IOptions<RecordingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Opus;
    }

    public OggOpusTranscoder(OpusOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>Checks the WAV at <paramref name="wavPath"/> and writes it to <paramref name="output"/> as Ogg/Opus.
    /// Throws <see cref="InvalidRecordingException"/> when the file is not a WAV it can take.
    /// <paramref name="serial"/> is the Ogg stream's serial number: give the same one (e.g. from the recording's id)
    /// and the same WAV gives the same bytes, so a re-run stores an identical object.</summary>
    public TranscodeResult Transcode(string wavPath, Stream output, uint serial, CancellationToken cancellationToken)
    {
        using var input = new FileStream(wavPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var wav = WavReader.ReadHeader(input);
        return Transcode(input, wav, output, serial, cancellationToken);
    }

    /// <summary>Transcodes the samples of <paramref name="wav"/> from <paramref name="input"/>, which is positioned
    /// at the first sample.</summary>
    public TranscodeResult Transcode(Stream input, WavFormat wav, Stream output, uint serial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(wav);
        ArgumentNullException.ThrowIfNull(output);
        var channels = wav.Channels;
        var encoderRate = Array.IndexOf(OpusRates, wav.SampleRate) >= 0 ? wav.SampleRate : GranuleRate;
        // The managed encoder, always (OpusCodecFactory would pick a native libopus when one is installed): the same
        // bytes on every machine, so a re-run stores an identical object and tests see what production does.
#pragma warning disable CS0618
        var encoder = new Concentus.Structs.OpusEncoder(encoderRate, channels, OpusApplication.OPUS_APPLICATION_VOIP)
#pragma warning restore CS0618
        {
            Bitrate = channels == 1 ? _options.MonoBitrate : _options.StereoBitrate,
            Complexity = Math.Clamp(_options.Complexity, 0, 10),
            UseVBR = true,
            SignalType = OpusSignal.OPUS_SIGNAL_VOICE,
        };
        var lookahead = encoder.Lookahead;
        var scale = GranuleRate / encoderRate;
        var preSkip = lookahead * scale;

        using var pages = new OggPageWriter(output, serial);
        pages.AddPacket(OpusHeaders.Head(channels, preSkip, wav.SampleRate), 0);
        pages.Flush(endOfStream: false);
        pages.AddPacket(OpusHeaders.Tags("CallControl recording archive (Concentus)", ["ENCODER=CallControl"]), 0);
        pages.Flush(endOfStream: false);

        var frameSize = encoderRate / FramesPerSecond;
        var frame = new short[frameSize * channels];
        var filled = 0;
        var packet = new byte[MaxPacketBytes];
        var packets = 0;
        long encodedSamples = 0;
        long pendingGranule = 0;
        var havePending = false;
        var pendingPacket = new byte[MaxPacketBytes];
        var pendingLength = 0;

        // One packet is held back, so the last one can be given the end-trimming granule and the EOS page.
        void Emit(long granule, bool last)
        {
            if (havePending)
            {
                pages.AddPacket(pendingPacket.AsSpan(0, pendingLength), last ? granule : pendingGranule);
                if (last || pages.PacketsOnPage >= PacketsPerPage)
                {
                    pages.Flush(endOfStream: last);
                }
            }
        }

        void EncodeFrame()
        {
            var length = encoder.Encode(frame, frameSize, packet, packet.Length);
            packets++;
            encodedSamples += frameSize;
            Emit(0, last: false);
            (pendingPacket, packet) = (packet, pendingPacket);
            pendingLength = length;
            pendingGranule = (long)packets * frameSize * scale;
            havePending = true;
            filled = 0;
        }

        void Push(ReadOnlySpan<short> samples)
        {
            while (!samples.IsEmpty)
            {
                var n = Math.Min(samples.Length, frame.Length - filled);
                samples[..n].CopyTo(frame.AsSpan(filled));
                filled += n;
                samples = samples[n..];
                if (filled == frame.Length)
                {
                    EncodeFrame();
                }
            }
        }

        var feeder = new PcmFeeder(input, wav, encoderRate);
        var totalSamples = feeder.Run(Push, cancellationToken);

        // Flush the encoder's lookahead with silence: every real sample must come out of the decoder.
        while (encodedSamples < totalSamples + lookahead || filled > 0)
        {
            frame.AsSpan(filled).Clear();
            filled = frame.Length;
            EncodeFrame();
        }
        var finalGranule = preSkip + (totalSamples * scale);
        Emit(finalGranule, last: true);
        output.Flush();
        return new TranscodeResult(wav, pages.BytesWritten, pages.Sha256(), totalSamples * scale * 1000 / GranuleRate, packets);
    }

    /// <summary>Reads the WAV's samples in blocks and hands them on at the encoder's rate (resampled when the
    /// source rate is not one Opus takes); returns the number of samples per channel handed on.</summary>
    private sealed class PcmFeeder(Stream input, WavFormat wav, int encoderRate)
    {
        public long Run(Action<ReadOnlySpan<short>> push, CancellationToken cancellationToken)
        {
            var channels = wav.Channels;
            var bytes = new byte[ReadFrames * wav.BlockAlign];
            var resampler = wav.SampleRate == encoderRate
                ? null
                : ResamplerFactory.CreateResampler(channels, wav.SampleRate, encoderRate, 5);
            resampler?.SkipZeroes();
            var expected = resampler is null ? wav.Frames : wav.Frames * encoderRate / wav.SampleRate;
            var resampled = new short[((ReadFrames * encoderRate / wav.SampleRate) + 64) * channels];
            long remaining = wav.DataLength;
            long produced = 0;

            void Resample(Span<short> samples, int frames)
            {
                var offset = 0;
                while (frames > 0)
                {
                    var inLen = frames;
                    var outLen = resampled.Length / channels;
                    resampler!.ProcessInterleaved(samples[(offset * channels)..], ref inLen, resampled, ref outLen);
                    var keep = (int)Math.Min(outLen, expected - produced);
                    if (keep > 0)
                    {
                        push(resampled.AsSpan(0, keep * channels));
                        produced += keep;
                    }
                    offset += inLen;
                    frames -= inLen;
                    if (inLen == 0 && outLen == 0)
                    {
                        break;
                    }
                }
            }

            while (remaining > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var want = (int)Math.Min(bytes.Length, remaining);
                input.ReadExactly(bytes, 0, want);
                remaining -= want;
                // RIFF samples are little-endian, as is every machine .NET runs this on.
                var samples = MemoryMarshal.Cast<byte, short>(bytes.AsSpan(0, want));
                if (resampler is null)
                {
                    push(samples);
                    produced += want / wav.BlockAlign;
                }
                else
                {
                    Resample(samples, want / wav.BlockAlign);
                }
            }
            if (resampler is not null)
            {
                // Push the resampler's latency out with silence, up to the expected length.
                var zeros = new short[(resampler.InputLatency + 64) * channels];
                while (produced < expected)
                {
                    var before = produced;
                    Resample(zeros, zeros.Length / channels);
                    if (produced == before)
                    {
                        break;
                    }
                }
            }
            return produced;
        }
    }
}
