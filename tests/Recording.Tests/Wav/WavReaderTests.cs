using System.Buffers.Binary;
using CallControl.Recording.Tests.Support;
using CallControl.Recording.Wav;

namespace CallControl.Recording.Tests.Wav;

public sealed class WavReaderTests
{
    [Theory]
    [InlineData(8000, 1)]
    [InlineData(16000, 2)]
    [InlineData(48000, 2)]
    [InlineData(44100, 1)]
    public void Reads_the_format_and_data_of_a_pcm_wav(int rate, int channels)
    {
        var pcm = WavFiles.SpeechPcm(rate, channels, rate / 2);
        var wav = WavFiles.Wav(rate, channels, pcm);

        var format = WavReader.ReadHeader(new MemoryStream(wav));

        Assert.Equal(rate, format.SampleRate);
        Assert.Equal(channels, format.Channels);
        Assert.Equal(44, format.DataOffset);
        Assert.Equal(pcm.Length, format.DataLength);
        Assert.Equal(rate / 2, format.Frames);
        Assert.Equal(500, format.DurationMs);
    }

    [Fact]
    public void Skips_extra_chunks_including_odd_sized_ones_and_reads_extensible_pcm()
    {
        var pcm = WavFiles.SpeechPcm(16000, 2, 1600);
        var wav = WavFiles.Wav(16000, 2, pcm, extensible: true, ("LIST", new byte[13]), ("fact", new byte[4]), ("PEAK", new byte[24]));
        var stream = new MemoryStream(wav);

        var format = WavReader.ReadHeader(stream);

        Assert.Equal(pcm.Length, format.DataLength);
        Assert.Equal(format.DataOffset, stream.Position);
        Assert.Equal(pcm, wav.AsSpan((int)format.DataOffset, (int)format.DataLength).ToArray());
    }

    [Fact]
    public void The_simulators_recording_header_is_accepted()
    {
        // tests/FreeSwitchSim/Switch/WavWriter: 44-byte header, RIFF size 36 + data.
        var format = WavReader.ReadHeader(new MemoryStream(WavFiles.SpeechWav(16000, 2, 0.1)));
        Assert.Equal((16000, 2, 44L), (format.SampleRate, format.Channels, format.DataOffset));
    }

    [Fact]
    public void An_unfinalized_data_size_runs_to_the_end_of_the_file_in_whole_frames()
    {
        var wav = WavFiles.SpeechWav(8000, 2, 0.1).Concat(new byte[] { 1, 2, 3 }).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(40), uint.MaxValue);

        var format = WavReader.ReadHeader(new MemoryStream(wav));

        Assert.Equal(800 * 4, format.DataLength);
    }

    public static TheoryData<string, Func<byte[], byte[]>, string> Corruptions => new()
    {
        { "not RIFF", w => Patch(w, 0, "RIFX"u8), "does not start with 'RIFF'" },
        { "not WAVE", w => Patch(w, 8, "AVI "u8), "not 'WAVE'" },
        { "mp3 in wav", w => PatchU16(w, 20, 0x55), "format tag 85" },
        { "8-bit", w => PatchU16(w, 34, 8), "8-bit samples" },
        { "3 channels", w => PatchU16(w, 22, 3), "3 channels" },
        { "odd rate", w => PatchU32(w, 24, 12345), "sample rate 12345" },
        { "bad block align", w => PatchU16(w, 32, 3), "block align 3" },
        { "short fmt", w => PatchU32(w, 16, 8), "'fmt ' chunk of 8 bytes" },
        { "data longer than file", w => PatchU32(w, 40, (uint)w.Length), "data' chunk declares" },
        { "no data at all", w => PatchU32(w, 40, 0), "holds no samples" },
        { "garbage chunk id", w => Patch(w, 36, [0, 1, 2, 3]), "unreadable chunk id" },
        { "empty file", _ => [], "shorter than a RIFF header" },
        { "header only to fmt", w => w[..36], "no 'data' chunk" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_corrupt_or_truncated_wav_is_refused_with_a_reason(string name, Func<byte[], byte[]> corrupt, string reason)
    {
        var wav = corrupt(WavFiles.SpeechWav(8000, 1, 0.05));

        var ex = Assert.Throws<InvalidRecordingException>(() => WavReader.ReadHeader(new MemoryStream(wav)));

        Assert.True(ex.Message.Contains(reason, StringComparison.Ordinal), $"{name}: {ex.Message}");
    }

    [Fact]
    public void Every_truncation_inside_the_header_is_an_invalid_recording_never_another_exception()
    {
        var wav = WavFiles.Wav(8000, 1, WavFiles.SpeechPcm(8000, 1, 100), extraChunks: ("LIST", new byte[10]));
        var dataOffset = wav.Length - 200;
        for (var length = 0; length < dataOffset + 2; length++)
        {
            Assert.Throws<InvalidRecordingException>(() => WavReader.ReadHeader(new MemoryStream(wav[..length])));
        }
    }

    [Fact]
    public void Data_before_fmt_is_refused()
    {
        var wav = new byte[12 + 8 + 4];
        "RIFF"u8.CopyTo(wav);
        "WAVE"u8.CopyTo(wav.AsSpan(8));
        "data"u8.CopyTo(wav.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(16), 4);

        var ex = Assert.Throws<InvalidRecordingException>(() => WavReader.ReadHeader(new MemoryStream(wav)));
        Assert.Contains("before the 'fmt ' chunk", ex.Message, StringComparison.Ordinal);
    }

    private static byte[] Patch(byte[] wav, int offset, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(wav.AsSpan(offset));
        return wav;
    }

    private static byte[] PatchU16(byte[] wav, int offset, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(offset), value);
        return wav;
    }

    private static byte[] PatchU32(byte[] wav, int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(offset), value);
        return wav;
    }
}
