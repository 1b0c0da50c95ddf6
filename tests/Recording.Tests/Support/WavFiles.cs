using System.Buffers.Binary;

namespace CallControl.Recording.Tests.Support;

/// <summary>
/// Builds WAV files for the tests and the benchmark: a speech-like signal (a gliding voiced fundamental with
/// formant-weighted harmonics, syllables at ~4 Hz and pauses), a different voice per channel as FreeSWITCH's
/// stereo recordings carry one party per channel; headers as mod_sndfile writes them, with optional extra chunks.
/// </summary>
internal static class WavFiles
{
    /// <summary>Interleaved 16-bit PCM of <paramref name="frames"/> sample frames.</summary>
    public static byte[] SpeechPcm(int rate, int channels, long frames, int seed = 1)
    {
        var pcm = new byte[frames * channels * 2];
        for (var ch = 0; ch < channels; ch++)
        {
            var voice = new Voice(rate, seed * 31 + ch, pitch: ch == 0 ? 120 : 210);
            for (long i = 0; i < frames; i++)
            {
                var s = voice.Next();
                BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan((int)(((i * channels) + ch) * 2)), s);
            }
        }
        return pcm;
    }

    /// <summary>A complete WAV: RIFF header, fmt (PCM or WAVE_FORMAT_EXTENSIBLE), any extra chunks, then data.</summary>
    public static byte[] Wav(int rate, int channels, byte[] pcm, bool extensible = false, params (string Id, byte[] Body)[] extraChunks)
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write("RIFF"u8);
        w.Write(0u); // patched below
        w.Write("WAVE"u8);
        w.Write("fmt "u8);
        w.Write(extensible ? 40u : 16u);
        w.Write(extensible ? (ushort)0xFFFE : (ushort)1);
        w.Write((ushort)channels);
        w.Write((uint)rate);
        w.Write((uint)(rate * channels * 2));
        w.Write((ushort)(channels * 2));
        w.Write((ushort)16);
        if (extensible)
        {
            w.Write((ushort)22);
            w.Write((ushort)16);
            w.Write(channels == 2 ? 3u : 4u);
            w.Write(new byte[] { 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 });
        }
        foreach (var (id, body) in extraChunks)
        {
            w.Write(System.Text.Encoding.ASCII.GetBytes(id));
            w.Write((uint)body.Length);
            w.Write(body);
            if (body.Length % 2 == 1)
            {
                w.Write((byte)0);
            }
        }
        w.Write("data"u8);
        w.Write((uint)pcm.Length);
        w.Write(pcm);
        w.Flush();
        var bytes = ms.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    public static byte[] SpeechWav(int rate, int channels, double seconds, int seed = 1) =>
        Wav(rate, channels, SpeechPcm(rate, channels, (long)(rate * seconds), seed));

    /// <summary>Writes the WAV to <paramref name="path"/>, creating its folder.</summary>
    public static string Write(string path, byte[] wav)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, wav);
        return path;
    }

    /// <summary>One talker: voiced syllables with a gliding pitch, formant-weighted harmonics, and pauses.</summary>
    private sealed class Voice(int rate, int seed, double pitch)
    {
        private static readonly double[] Weights = [1.0, 0.7, 0.5, 0.45, 0.3, 0.2, 0.12, 0.08];
        private readonly Random _random = new(seed);
        private readonly double _dt = 1.0 / rate;
        private double _t;
        private double _phase;

        public short Next()
        {
            _t += _dt;
            var syllable = Math.Sin(2 * Math.PI * 4.1 * _t);
            var phrase = Math.Sin(2 * Math.PI * 0.23 * _t) > -0.3 ? 1.0 : 0.0; // speech, then a pause
            var envelope = Math.Max(0, syllable) * phrase;
            var f0 = pitch * (1 + (0.12 * Math.Sin(2 * Math.PI * 0.7 * _t)));
            _phase += 2 * Math.PI * f0 * _dt;
            if (_phase > 2 * Math.PI * 1000)
            {
                _phase -= 2 * Math.PI * 1000;
            }
            double v = 0;
            for (var h = 0; h < Weights.Length; h++)
            {
                v += Weights[h] * Math.Sin((h + 1) * _phase);
            }
            var noise = (_random.NextDouble() - 0.5) * 0.02;
            return (short)Math.Clamp(((v * envelope * 0.25) + noise) * short.MaxValue * 0.8, short.MinValue, short.MaxValue);
        }
    }
}
