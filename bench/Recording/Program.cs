using System.Diagnostics;
using System.Globalization;
using CallControl.Recording;
using CallControl.Recording.Archive;
using CallControl.Recording.Tests.Support;
using CallControl.Recording.Transcoding;
using CallControl.Recording.Wav;

var work = Path.GetFullPath(".local/bench-recording");
double minutes = 10;
var rate = 48000;
var channels = 2;
var opus = new OpusOptions();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--work": work = args[++i]; break;
        case "--minutes": minutes = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--rate": rate = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--channels": channels = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--complexity": opus.Complexity = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine("usage: bench/recording [--minutes N] [--rate HZ] [--channels 1|2] [--complexity 0-10]");
            return 2;
    }
}

Directory.CreateDirectory(work);
var wavPath = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"speech-{minutes}min-{rate}hz-{channels}ch.wav"));
if (!File.Exists(wavPath))
{
    var sw = Stopwatch.StartNew();
    var frames = (long)(minutes * 60 * rate);
    File.WriteAllBytes(wavPath + ".tmp", WavFiles.Wav(rate, channels, WavFiles.SpeechPcm(rate, channels, frames)));
    File.Move(wavPath + ".tmp", wavPath, overwrite: true);
    Console.WriteLine($"generated {wavPath} in {sw.Elapsed.TotalSeconds:F1} s");
}
var wav = WavReader.Inspect(wavPath);
var wavBytes = new FileInfo(wavPath).Length;
var audioSeconds = wav.Frames / (double)wav.SampleRate;
Console.WriteLine($"source: {audioSeconds:F0} s, {wav.Channels} ch, {wav.SampleRate} Hz, {wavBytes / 1e6:F1} MB");

var transcoder = new OggOpusTranscoder(opus);
Console.WriteLine($"opus: {(wav.Channels == 1 ? opus.MonoBitrate : opus.StereoBitrate) / 1000} kbps, complexity {opus.Complexity}");
var oggPath = Path.Combine(work, "out.ogg");

// Warm-up on the first 20 s so the timed run measures jitted, tiered code.
using (var warm = new FileStream(wavPath, FileMode.Open, FileAccess.Read))
{
    var head = WavReader.ReadHeader(warm);
    var shortWav = head with { DataLength = Math.Min(head.DataLength, (long)head.BlockAlign * head.SampleRate * 20) };
    transcoder.Transcode(warm, shortWav, Stream.Null, 1, CancellationToken.None);
}

// Transcode: one thread; CPU time of the process (includes JIT and GC threads, so it errs low).
var process = Process.GetCurrentProcess();
var cpu0 = process.TotalProcessorTime;
var wall = Stopwatch.StartNew();
TranscodeResult result;
using (var output = new FileStream(oggPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
{
    result = transcoder.Transcode(wavPath, output, 1, CancellationToken.None);
}
wall.Stop();
process.Refresh();
var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
var speed = audioSeconds / cpu;
Console.WriteLine($"transcode: {cpu:F2} s CPU, {wall.Elapsed.TotalSeconds:F2} s wall -> {speed:F1}x real time per CPU-second " +
    $"({audioSeconds / wall.Elapsed.TotalSeconds:F1}x wall), {result.Packets} packets, declared {result.DurationMs} ms");

// Store + verify, as the job does after the transcode: put (temp name, fsync, rename) then read back and hash.
var store = new FileSystemArchiveStore(Path.Combine(work, "archive"));
process.Refresh();
var storeCpu0 = process.TotalProcessorTime;
var storeWall = Stopwatch.StartNew();
var location = await store.PutAsync("bench/room/recording.ogg", oggPath, "audio/ogg", CancellationToken.None);
var digest = await store.ReadBackAsync(location, CancellationToken.None);
storeWall.Stop();
process.Refresh();
var storeCpu = (process.TotalProcessorTime - storeCpu0).TotalSeconds;
if (digest is null || digest.Sha256 != result.Sha256 || digest.Size != result.OutputBytes)
{
    Console.Error.WriteLine("verification failed: the stored copy differs");
    return 1;
}
var storeMbps = result.OutputBytes / 1e6 / storeWall.Elapsed.TotalSeconds;
var pipelineSeconds = wall.Elapsed.TotalSeconds + storeWall.Elapsed.TotalSeconds;
var archiveMbps = wavBytes / 1e6 / pipelineSeconds;
var archiveCpuMbps = wavBytes / 1e6 / (cpu + storeCpu);
var ratio = wavBytes / (double)result.OutputBytes;
Console.WriteLine($"store+verify: {result.OutputBytes / 1e6:F2} MB in {storeWall.Elapsed.TotalMilliseconds:F0} ms ({storeMbps:F0} MB/s of Ogg)");
Console.WriteLine($"archive (transcode+store+verify): {archiveCpuMbps:F1} MB/s of WAV per CPU-second, {archiveMbps:F1} MB/s wall; " +
    $"bitrate {result.OutputBytes * 8 / audioSeconds / 1000:F1} kbps; compression {ratio:F1}:1");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"recording: transcode {speed:F1}x real time (CPU), archive {archiveCpuMbps:F1} MB/s of WAV per CPU-second ({archiveMbps:F1} wall), ratio {ratio:F1}:1"));
return 0;
