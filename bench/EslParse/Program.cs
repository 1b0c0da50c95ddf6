using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CallControl.Bench.EslParse;

// bench/esl-parse: real FreeSWITCH events (the captures' text/event-plain frames) repeated to at least 200 MB, decoded
// (a) from memory and (b) through a loopback socket, then the same stream parsed by modesl 1.2.1 for comparison.
// Usage: esl-parse CAPTURES_DIR MODESL_DIR [MIN_MB]
if (args.Length < 2)
{
    await Console.Error.WriteLineAsync("usage: esl-parse CAPTURES_DIR MODESL_DIR [MIN_MB]").ConfigureAwait(false);
    return 2;
}

var capturesDir = args[0];
var modeslDir = args[1];
var minMb = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
var inv = CultureInfo.InvariantCulture;

var (unit, unitEvents) = EventStream.BuildUnit(capturesDir);
var stream = EventStream.Repeat(unit, minMb * 1_000_000L, out var copies);
Console.WriteLine(string.Create(inv, $"stream: {unitEvents} real events ({unit.Length} bytes, {unit.Length / (double)unitEvents:F0} B/event average) x {copies} = {stream.Length / 1e6:F0} MB"));

// Warm-up for a couple of seconds: the JIT tiers the hot path up (tier-1, PGO) only after calls keep coming for a while.
var warmUp = Stopwatch.StartNew();
while (warmUp.Elapsed < TimeSpan.FromSeconds(2))
{
    Runs.FromMemory(unit);
}

await Runs.ThroughSocketAsync(unit).ConfigureAwait(false);
GC.Collect();

var raw = await Runs.RawSocketAsync(stream).ConfigureAwait(false);
Console.WriteLine(string.Create(inv, $"socket baseline (bytes only, no parsing): {raw.MegabytesPerSecond:F1} MB/s"));
GC.Collect();
var memory = Runs.FromMemory(stream);
Print(memory);
GC.Collect();
var socket = await Runs.ThroughSocketAsync(stream).ConfigureAwait(false);
Print(socket);

var (firstNs, lastNs, headerCount) = Runs.LookupCost(unit);
Console.WriteLine(string.Create(inv, $"header lookup in the largest event ({headerCount} headers): first {firstNs:F0} ns, last {lastNs:F0} ns"));

var unitFile = Path.Combine(Path.GetTempPath(), $"esl-parse-unit-{Environment.ProcessId}.bin");
await File.WriteAllBytesAsync(unitFile, unit).ConfigureAwait(false);
try
{
    var modesl = await RunModeslAsync(modeslDir, unitFile, minMb).ConfigureAwait(false);
    var modeslRate = modesl.Events / modesl.Seconds;
    Console.WriteLine(string.Create(inv, $"modesl 1.2.1 (memory): {modesl.Events} events in {modesl.Seconds:F2} s = {modeslRate:F0} events/s, {modesl.Bytes / 1e6 / modesl.Seconds:F1} MB/s, {modesl.Errors} errors"));
    Console.WriteLine(string.Create(inv, $"ratio vs modesl: memory {memory.EventsPerSecond / modeslRate:F1}x, socket {socket.EventsPerSecond / modeslRate:F1}x"));

    // The closing line compares like with like: both parsers fed the same bytes from memory. The socket figures above
    // add the loopback transfer and a second thread, which on a loaded 2-core machine measure the scheduler as much.
    Console.WriteLine(string.Create(inv,
        $"esl-parse: {memory.EventsPerSecond:F0} events/s, {memory.MegabytesPerSecond:F1} MB/s, {memory.AllocatedPerEvent:F0} B/event allocated, {memory.EventsPerSecond / modeslRate:F1}x modesl"));
    return 0;
}
finally
{
    File.Delete(unitFile);
}

static void Print(RunResult r) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{r.Name}: {r.Events} events in {r.Elapsed.TotalSeconds:F2} s = {r.EventsPerSecond:F0} events/s, {r.MegabytesPerSecond:F1} MB/s, {r.AllocatedPerEvent:F0} B/event allocated"));

static async Task<ModeslResult> RunModeslAsync(string modeslDir, string unitFile, int minMb)
{
    var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, WorkingDirectory = modeslDir };
    start.ArgumentList.Add(Path.Combine(modeslDir, "parse.js"));
    start.ArgumentList.Add(unitFile);
    start.ArgumentList.Add((minMb * 1_000_000L).ToString(CultureInfo.InvariantCulture));
    using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
    var output = await node.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
    await node.WaitForExitAsync().ConfigureAwait(false);
    if (node.ExitCode != 0)
    {
        throw new InvalidOperationException($"modesl run failed with exit code {node.ExitCode}");
    }

    return JsonSerializer.Deserialize<ModeslResult>(output, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
        ?? throw new InvalidOperationException("modesl run printed nothing");
}

/// <summary>What parse.js prints.</summary>
internal sealed record ModeslResult(long Events, double Seconds, long Bytes, long Errors);
