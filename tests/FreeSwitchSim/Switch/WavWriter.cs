namespace FreeSwitchSim.Switch;

/// <summary>
/// Writes what mod_sndfile writes for a .wav recording: RIFF/WAVE, 16-bit PCM, mono or stereo
/// (RECORD_STEREO=true), at the leg's rate. The audio is a quiet 440 Hz tone so the file is not empty noise.
/// </summary>
internal static class WavWriter
{
    public const int HeaderBytes = 44;

    public static long Write(string path, int rate, int channels, long samplesPerChannel)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }
        var dataBytes = samplesPerChannel * channels * 2;
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        using var w = new BinaryWriter(fs);
        w.Write("RIFF"u8);
        w.Write((uint)(36 + dataBytes));
        w.Write("WAVE"u8);
        w.Write("fmt "u8);
        w.Write(16u);
        w.Write((ushort)1);
        w.Write((ushort)channels);
        w.Write((uint)rate);
        w.Write((uint)(rate * channels * 2));
        w.Write((ushort)(channels * 2));
        w.Write((ushort)16);
        w.Write("data"u8);
        w.Write((uint)dataBytes);
        var buffer = new byte[channels * 2 * 1024];
        long written = 0;
        while (written < samplesPerChannel)
        {
            var n = (int)Math.Min(1024, samplesPerChannel - written);
            for (var i = 0; i < n; i++)
            {
                var t = (written + i) / (double)rate;
                var s = (short)(Math.Sin(2 * Math.PI * 440 * t) * 3000);
                for (var ch = 0; ch < channels; ch++)
                {
                    var o = ((i * channels) + ch) * 2;
                    buffer[o] = (byte)(s & 0xff);
                    buffer[o + 1] = (byte)((s >> 8) & 0xff);
                }
            }
            w.Write(buffer, 0, n * channels * 2);
            written += n;
        }
        return HeaderBytes + dataBytes;
    }
}
