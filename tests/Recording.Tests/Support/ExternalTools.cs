using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CallControl.Recording.Tests.Support;

/// <summary>Independent decoders run as processes: ffprobe (FFmpeg's Ogg/Opus parser) and opusinfo (opus-tools,
/// which checks the Ogg framing, CRCs, headers and granule positions as it reads).</summary>
internal static partial class ExternalTools
{
    public sealed record Probe(string CodecName, int Channels, int SampleRate, double DurationSeconds);

    public static Probe FfProbe(string file)
    {
        var (code, output, error) = Run("ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", file);
        Assert.True(code == 0, $"ffprobe failed ({code}): {error}");
        Assert.True(string.IsNullOrWhiteSpace(error), "ffprobe reported: " + error);
        using var json = JsonDocument.Parse(output);
        var stream = json.RootElement.GetProperty("streams")[0];
        var duration = json.RootElement.GetProperty("format").GetProperty("duration").GetString()!;
        return new Probe(
            stream.GetProperty("codec_name").GetString()!,
            stream.GetProperty("channels").GetInt32(),
            int.Parse(stream.GetProperty("sample_rate").GetString()!, CultureInfo.InvariantCulture),
            double.Parse(duration, CultureInfo.InvariantCulture));
    }

    /// <summary>opusinfo's report; fails the test on any warning or error it prints. Returns the playback length.</summary>
    public static (double PlaybackSeconds, string Report) OpusInfo(string file)
    {
        var (code, output, error) = Run("opusinfo", file);
        var report = output + error;
        Assert.True(code == 0, $"opusinfo failed ({code}): {report}");
        Assert.DoesNotContain("WARNING", report, StringComparison.Ordinal);
        Assert.DoesNotContain("ERROR", report, StringComparison.OrdinalIgnoreCase);
        var m = PlaybackLength().Match(report);
        Assert.True(m.Success, "no playback length in: " + report);
        var seconds = (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 60) + double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        return (seconds, report);
    }

    /// <summary>Decodes with opusdec to 48 kHz 16-bit WAV; returns the decoded file.</summary>
    public static string OpusDec(string file, string wavOut)
    {
        var (code, output, error) = Run("opusdec", "--quiet", "--rate", "48000", file, wavOut);
        Assert.True(code == 0, $"opusdec failed ({code}): {output}{error}");
        return wavOut;
    }

    public static (int Code, string Output, string Error) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    [GeneratedRegex(@"Playback length:\s*(\d+)m:([\d.]+)s")]
    private static partial Regex PlaybackLength();
}
