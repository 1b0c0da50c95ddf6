using System.Buffers.Binary;
using CallControl.Recording.Tests.Support;
using CallControl.Recording.Transcoding;
using CallControl.Recording.Wav;

namespace CallControl.Recording.Tests.Transcoding;

public sealed class OggOpusTranscoderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("transcoder-tests-").FullName;
    private readonly OggOpusTranscoder _transcoder = new(new OpusOptions());

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(8000, 1, 3.0)]
    [InlineData(16000, 2, 5.0)]
    [InlineData(48000, 2, 2.5)]
    [InlineData(44100, 1, 2.0)] // resampled to 48 kHz
    [InlineData(32000, 2, 1.3)] // resampled to 48 kHz
    public void Independent_decoders_read_opus_with_the_sources_channels_and_duration(int rate, int channels, double seconds)
    {
        var wav = WavFiles.Write(Path.Combine(_dir, "in.wav"), WavFiles.SpeechWav(rate, channels, seconds));
        var ogg = Path.Combine(_dir, "out.ogg");

        TranscodeResult result;
        using (var output = File.Create(ogg))
        {
            result = _transcoder.Transcode(wav, output, serial: 7, CancellationToken.None);
        }

        var probe = ExternalTools.FfProbe(ogg);
        Assert.Equal("opus", probe.CodecName);
        Assert.Equal(channels, probe.Channels);
        Assert.InRange(probe.DurationSeconds, seconds - 0.03, seconds + 0.03);
        var (playback, _) = ExternalTools.OpusInfo(ogg);
        Assert.InRange(playback, seconds - 0.03, seconds + 0.03);
        Assert.InRange(result.DurationMs, (seconds * 1000) - 30, (seconds * 1000) + 30);
        Assert.Equal(new FileInfo(ogg).Length, result.OutputBytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(ogg))), result.Sha256);
    }

    [Fact]
    public void Stereo_keeps_one_party_per_channel()
    {
        // Left talks, right is silent: after encode and an independent decode the right channel stays silent.
        var pcm = WavFiles.SpeechPcm(16000, 2, 16000 * 3);
        for (var i = 2; i < pcm.Length; i += 4)
        {
            pcm[i] = 0;
            pcm[i + 1] = 0;
        }
        var wav = WavFiles.Write(Path.Combine(_dir, "left.wav"), WavFiles.Wav(16000, 2, pcm));
        var ogg = Path.Combine(_dir, "left.ogg");
        using (var output = File.Create(ogg))
        {
            _transcoder.Transcode(wav, output, 1, CancellationToken.None);
        }

        var decoded = File.ReadAllBytes(ExternalTools.OpusDec(ogg, Path.Combine(_dir, "decoded.wav")));
        var format = WavReader.ReadHeader(new MemoryStream(decoded));
        Assert.Equal(2, format.Channels);
        var (left, right) = ChannelRms(decoded.AsSpan((int)format.DataOffset, (int)format.DataLength));
        Assert.True(left > 1000, $"left RMS {left}");
        Assert.True(right < left / 100, $"right RMS {right} vs left {left}");
    }

    [Fact]
    public void The_same_wav_and_serial_give_the_same_bytes()
    {
        var wav = WavFiles.Write(Path.Combine(_dir, "same.wav"), WavFiles.SpeechWav(8000, 2, 1.5));
        byte[] Run(uint serial)
        {
            using var ms = new MemoryStream();
            _transcoder.Transcode(wav, ms, serial, CancellationToken.None);
            return ms.ToArray();
        }

        Assert.Equal(Run(42), Run(42));
        Assert.NotEqual(Run(42), Run(43));
    }

    [Fact]
    public void Pages_are_well_formed_ogg_with_opus_headers_pre_skip_and_end_of_stream()
    {
        var wav = WavFiles.Write(Path.Combine(_dir, "pages.wav"), WavFiles.SpeechWav(48000, 2, 2.0));
        using var ms = new MemoryStream();
        _transcoder.Transcode(wav, ms, 99, CancellationToken.None);
        var pages = OggPages.Parse(ms.ToArray());

        Assert.Equal(0x02, pages[0].Flags);
        Assert.Equal("OpusHead"u8.ToArray(), pages[0].Body[..8]);
        Assert.Equal(2, pages[0].Body[9]);
        var preSkip = BinaryPrimitives.ReadUInt16LittleEndian(pages[0].Body.AsSpan(10));
        Assert.InRange(preSkip, 1, 960); // the encoder's lookahead at 48 kHz (a few ms)
        Assert.Equal(48000u, BinaryPrimitives.ReadUInt32LittleEndian(pages[0].Body.AsSpan(12)));
        Assert.Equal("OpusTags"u8.ToArray(), pages[1].Body[..8]);
        Assert.Equal(0, pages[1].Granule);
        Assert.Equal(0x04, pages[^1].Flags);
        Assert.All(pages, p => Assert.Equal(99u, p.Serial));
        Assert.Equal(Enumerable.Range(0, pages.Count).Select(i => (uint)i), pages.Select(p => p.Sequence));
        Assert.All(pages, p => Assert.True(p.CrcMatches, $"page {p.Sequence} CRC"));
        var audio = pages.Skip(2).Select(p => p.Granule).ToList();
        Assert.Equal(audio.OrderBy(g => g), audio);
        // Final granule = pre-skip + the source's samples at 48 kHz: decoders trim the padding to the exact length.
        Assert.Equal(preSkip + (2 * 48000), pages[^1].Granule);
    }

    [Fact]
    public void The_ogg_crc_matches_the_reference_check_value()
    {
        // CRC-32 poly 0x04C11DB7, init 0, no reflection, no final XOR, over "123456789".
        Assert.Equal(0x89A1897Fu, OggCrc.Compute("123456789"u8));
    }

    [Fact]
    public void A_corrupt_wav_throws_invalid_recording_and_writes_nothing()
    {
        var path = WavFiles.Write(Path.Combine(_dir, "bad.wav"), "RIFF\0\0\0\0WAVEjunk"u8.ToArray());
        using var ms = new MemoryStream();

        Assert.Throws<InvalidRecordingException>(() => _transcoder.Transcode(path, ms, 1, CancellationToken.None));
        Assert.Equal(0, ms.Length);
    }

    private static (double Left, double Right) ChannelRms(ReadOnlySpan<byte> pcm)
    {
        double l = 0, r = 0;
        var frames = pcm.Length / 4;
        for (var i = 0; i < frames; i++)
        {
            double a = BinaryPrimitives.ReadInt16LittleEndian(pcm[(i * 4)..]);
            double b = BinaryPrimitives.ReadInt16LittleEndian(pcm[((i * 4) + 2)..]);
            l += a * a;
            r += b * b;
        }
        return (Math.Sqrt(l / frames), Math.Sqrt(r / frames));
    }
}
