using System.Diagnostics;
using System.Globalization;
using CallControl.Bench.Load;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// bench/load <connection string> [--rate N] [--seconds M] [--warmup W] [--hold K] [--pool P] [--sim process|inproc]
var inv = CultureInfo.InvariantCulture;
const string Usage = "bench/load [--rate N] [--seconds M] [--warmup W] [--hold K] [--pool P] (positive integers) [--sim process|inproc]";
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: load-bench <postgres connection string> " + Usage[11..]);
    return 2;
}

var server = args[0];
int rate = 300, seconds = 20, warmup = 60, hold = 1000;
int? pool = null; // the service's default (DataServiceCollectionExtensions.DefaultMaxPoolSize)
// How long an answered call of the offered load stays up.
const int CallHoldMs = 500;
var simProcess = true;
for (var i = 1; i < args.Length; i += 2)
{
    var text = i + 1 < args.Length ? args[i + 1] : "";
    var value = int.TryParse(text, NumberStyles.None, inv, out var v) && v > 0 ? v : -1;
    switch (args[i])
    {
        case "--rate" when value > 0: rate = value; break;
        case "--seconds" when value > 0: seconds = value; break;
        case "--warmup" when value > 0: warmup = value; break;
        case "--hold" when value > 0: hold = value; break;
        case "--pool" when value > 0: pool = value; break;
        case "--sim" when text is "process" or "inproc": simProcess = text == "process"; break;
        default:
            Console.Error.WriteLine($"load: bad argument '{args[i]}' (usage: {Usage})");
            return 2;
    }
}

var clock = new BridgeClock();
var artifacts = Path.Combine(AppContext.BaseDirectory, "..", "..", "..");
await using var world = new LoadWorld(server, pool);
await world.StartAsync(clock, simProcess, Directory.Exists(artifacts) ? artifacts : Path.GetTempPath());
// The callee's number answers at the carrier after 20 ms (the busy-then-fallback leg).
await world.Sim.SetCarrierRuleAsync(CallDriver.CarrierPrefix, "answer", 20);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = world.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
await using var driver = new CallDriver(world, clock, http);
using var timings = new ServiceTimings(world.Services.GetRequiredService<CallControl.Observability.ServiceMetrics>().Meter);
await driver.ConnectCalleesAsync(32);
var total = rate * seconds;
var warmCalls = rate * warmup;
Console.Error.WriteLine($"load: database {world.DatabaseName}; service at {world.BaseAddress} (GET /metrics while it runs), pid {Environment.ProcessId}; simulator {world.Sim.Where}; making {warmCalls + total + hold} callers");
var callers = await driver.MakeCallersAsync(warmCalls + total + hold);

// The offered load: count calls at the rate, callers from offset on. Half answered (each up for CallHoldMs), a quarter
// busy-then-fallback, a quarter canceled while ringing.
async Task<TimeSpan> DriveAsync(int count, int offset)
{
    var runs = new List<Task>(count);
    var began = Stopwatch.GetTimestamp();
    for (var n = 0; n < count; n++)
    {
        var wait = TimeSpan.FromSeconds((double)n / rate) - Stopwatch.GetElapsedTime(began);
        if (wait > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(wait);
        }

        var kind = (n % 4) switch { 0 or 1 => CallKind.Answered, 2 => CallKind.BusyThenFallback, _ => CallKind.Canceled };
        var caller = callers[offset + n];
        runs.Add(Task.Run(() => driver.RunAsync(kind, caller, CallHoldMs)));
    }

    var launched = Stopwatch.GetElapsedTime(began);
    await Task.WhenAll(runs);
    return launched;
}

// Warm-up: the same load for W seconds, not measured. A fresh .NET process runs unoptimized (tier-0) code and
// recompiles its hot methods in the background for its first tens of seconds; measured from the start, the JIT's own
// work doubled the CPU per call (17 ms with tiered compilation off against 40 ms on, at 20 calls/s for 30 s).
await DriveAsync(warmCalls, 0);
var warmSetups = driver.Setups;
driver.SetupMs.Clear();
driver.SetupDoneAt.Clear();
var warmLatencies = clock.LatenciesMs.Count;
var warmSeen = clock.SeenLatenciesMs.Count;
var warmCommanded = clock.CommandedLatenciesMs.Count;
var warmCarrier = clock.CarrierLatenciesMs.Count;
timings.Clear();
Console.Error.WriteLine($"load: warm-up done ({warmup} s, {driver.Failures} failures); driving {rate}/s for {seconds} s");

using var sampler = new PeakSampler();
using var gcPauses = new GcPauses();
// Cost per call, which a shared or loaded machine distorts far less than latency: this process's CPU time (service,
// simulator and driver together) and PostgreSQL's committed transactions, over the run and its CDR drain.
var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
var simCpuAtStart = world.Sim.ProcessorTime;
var simRuntimeAtStart = await world.Sim.RuntimeAsync();
var pgCpuAtStart = PostgresCpu.Read();
var allocatedAtStart = GC.GetTotalAllocatedBytes(precise: false);
var xactsAtStart = await CommittedTransactionsAsync(world);
var start = Stopwatch.GetTimestamp();
var launchedIn = await DriveAsync(total, warmCalls);
var afterRun = driver.Setups;
var setupTimes = driver.SetupMs.Order().ToArray();
var setupsDone = driver.SetupDoneAt.Order().ToArray();
var setups = afterRun - warmSetups;

// Every leg's CDR: one call_legs row per leg, ended.
var data = world.Services.GetRequiredService<NpgsqlDataSource>();
var expectedLegs = driver.LegsCreated;
long written = 0;
var cdrDeadline = DateTime.UtcNow.AddSeconds(60);
while (DateTime.UtcNow < cdrDeadline)
{
    await using var count = data.CreateCommand("SELECT count(*) FROM call_legs WHERE end_at IS NOT NULL");
    written = (long)(await count.ExecuteScalarAsync())!;
    if (written >= expectedLegs)
    {
        break;
    }

    await Task.Delay(100);
}

var cdrWindow = Stopwatch.GetElapsedTime(start);
// The run's bridges only (the held calls below are set up all at once, a burst and not the offered rate).
var latencies = clock.LatenciesMs.Skip(warmLatencies).Order().ToArray();
var seenLatencies = clock.SeenLatenciesMs.Skip(warmSeen).Order().ToArray();
var commanded = clock.CommandedLatenciesMs.Skip(warmCommanded).Order().ToArray();
var carrier = clock.CarrierLatenciesMs.Skip(warmCarrier).Order().ToArray();
var reactions = timings.Reactions();
var lags = timings.Lags();
var cpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalMilliseconds / total;
var simRuntimeAtEnd = await world.Sim.RuntimeAsync();
var runWindow = Stopwatch.GetElapsedTime(start);
var simCpuPerCall = world.Sim.ProcessorTime - simCpuAtStart is { } simCpu ? simCpu.TotalMilliseconds / total : double.NaN;
var pgCpuPerCall = PostgresCpu.Read() - pgCpuAtStart is { } pgCpu && pgCpu > TimeSpan.Zero ? pgCpu.TotalMilliseconds / total : double.NaN;
var allocatedPerCall = (GC.GetTotalAllocatedBytes(precise: false) - allocatedAtStart) / (double)total;
var xactsPerCall = (await CommittedTransactionsAsync(world) - xactsAtStart) / (double)total;
var peak = sampler.Stop();
var pauses = gcPauses.PausesMs.Order().ToArray();
gcPauses.Dispose();
// What the router still holds once the run's calls have ended: the ended calls within their grace, and the heap then.
var router = world.Services.GetRequiredService<CallControl.Calls.Router.CallRouter>();
var heldAfterRun = (router.HeldCalls, router.ActiveCalls, Heap: FullHeap());

// Memory per active call: the managed heap after a full collection with K/2 answered calls held up, then with K.
// The difference over the second half is what each further call costs: the first half has grown the pools and
// buffers that any load grows (connections, thread-pool queues, dictionaries' capacity), which are not per call.
// LOAD_HEAP_PAUSE_SECONDS=S pauses S seconds before and while the calls are held, printing this process's id, so a
// heap snapshot can be taken (dotnet-gcdump collect -p PID) and the held calls' objects told apart by type.
var heapPause = int.TryParse(Environment.GetEnvironmentVariable("LOAD_HEAP_PAUSE_SECONDS"), NumberStyles.None, inv, out var pauseSeconds) ? pauseSeconds : 0;
using var release = new CancellationTokenSource();
var releaseTask = Task.Delay(Timeout.Infinite, release.Token).ContinueWith(_ => { }, TaskScheduler.Default);
var held = new List<Task>(hold);
async Task<long> HoldAsync(int from, int to)
{
    held.AddRange(Enumerable.Range(from, to - from).Select(i => Task.Run(() => driver.RunAsync(CallKind.Answered, callers[warmCalls + total + i], null, releaseTask))));
    var holdDeadline = DateTime.UtcNow.AddSeconds(120);
    while (driver.Setups < afterRun + to && DateTime.UtcNow < holdDeadline && !held.All(t => t.IsCompleted))
    {
        await Task.Delay(100);
    }

    return driver.Setups - afterRun;
}

// The run's ended calls are forgotten first (up to 40 s): forgotten while calls are held, they would shrink the heap
// between the two measurements below and understate what a held call costs.
var forgetDeadline = DateTime.UtcNow.AddSeconds(40);
while (router.HeldCalls > router.ActiveCalls && DateTime.UtcNow < forgetDeadline)
{
    await Task.Delay(200);
}

var firstHalf = await HoldAsync(0, hold / 2);
var heapBefore = FullHeap();
if (heapPause > 0)
{
    Console.Error.WriteLine($"load: pid {Environment.ProcessId}: idle, before holding calls ({heapPause} s)");
    await Task.Delay(TimeSpan.FromSeconds(heapPause));
}

var heldUp = await HoldAsync(hold / 2, hold);
var heapHeld = FullHeap();
if (heldUp < hold)
{
    Console.Error.WriteLine($"load: only {heldUp} of {hold} calls held up ({driver.Failures} failures; first: {driver.FirstError ?? "none"})");
}
if (heapPause > 0)
{
    Console.Error.WriteLine($"load: pid {Environment.ProcessId}: holding {driver.Setups - afterRun} calls ({heapPause} s)");
    await Task.Delay(TimeSpan.FromSeconds(heapPause));
}
var activeInService = await world.Sim.ChannelCountAsync();
release.Cancel();
await Task.WhenAll(held);
var drainDeadline = DateTime.UtcNow.AddSeconds(30);
while (await world.Sim.ChannelCountAsync() > 0 && DateTime.UtcNow < drainDeadline)
{
    await Task.Delay(100);
}

// And until the service has ended every call (its router may still be behind the simulator), so stopping it does
// not cut commands off mid-call.
while (router.ActiveCalls > 0 && DateTime.UtcNow < drainDeadline.AddSeconds(30))
{
    await Task.Delay(100);
}

double Pct(double p) => At(latencies, p);
// Sustained: the rate at which setups completed, over the middle 98% of them. A service that keeps pace completes calls
// as fast as they are offered, whatever its latency; one that falls behind spreads them over a longer time. (Setups
// divided by the time from the first launch to the last completion counted the last call's own setup time as lost:
// 299.5/s for 9,000 of 9,000 calls set up at 300/s offered.) Within 1% of the offered rate counts as keeping pace:
// over 30 s, a few tens of ms of latency jitter at either end of the window moves the figure by 0.1-0.3%.
var setupsPerSecond = CompletionRate(setupsDone);
var keptPace = setups == total && driver.Failures == 0 && setupsPerSecond >= 0.99 * rate;
var perCall = heldUp > firstHalf ? (heapHeld - heapBefore) / (double)(heldUp - firstHalf) : double.NaN;
static string Verdict(bool ok) => ok ? "PASS" : "MISS";
static double CompletionRate(long[] doneAt)
{
    var edge = doneAt.Length / 100;
    var (first, last) = (edge, doneAt.Length - 1 - edge);
    return last > first ? (last - first) / Stopwatch.GetElapsedTime(doneAt[first], doneAt[last]).TotalSeconds : double.NaN;
}

static double At(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1))];

Console.WriteLine($"load: {total} calls offered at {rate}/s over {seconds} s (launched in {launchedIn.TotalSeconds:F1} s): {setups} set up, {driver.Failures} failed{(driver.FirstError is null ? "" : " (first: " + driver.FirstError + ")")}");
Console.WriteLine($"  setups/s sustained        {setupsPerSecond,10:F1}   target >= 300          {Verdict(rate >= 300 && keptPace)}   (completions over their middle 98%; kept pace with the offered {rate}/s: {(keptPace ? "yes" : "no")})");
Console.WriteLine($"  setup time p50/p99/max    {At(setupTimes, 0.5),10:F1} / {At(setupTimes, 0.99):F1} / {(setupTimes.Length == 0 ? double.NaN : setupTimes[^1]):F1} ms (room request to bridge, or to park when canceled)");
Console.WriteLine($"  park-to-bridge p50        {Pct(0.50),10:F2} ms  ({latencies.Length} bridges; the node's clock: Event-Date-Timestamp of the later park/answer to CHANNEL_BRIDGE)");
Console.WriteLine($"  park-to-bridge p99        {Pct(0.99),10:F2} ms  (all bridges; the carrier ones below dilute it)");
Console.WriteLine($"  same, as the driver saw   {At(seenLatencies, 0.50),10:F2} / {At(seenLatencies, 0.99):F2} ms p50/p99 (the events' arrival here, inside the loaded service process)");
Console.WriteLine($"  carrier answer to bridge  {At(carrier, 0.50),10:F2} / {At(carrier, 0.99):F2} ms p50/p99 ({carrier.Length} bridges the node's bridge app made itself when the carrier answered; no command in between)");
Console.WriteLine($"  commanded: p50            {At(commanded, 0.50),10:F2} ms  ({commanded.Length} uuid_bridge the service sent once both verto legs had parked)");
Console.WriteLine($"  commanded: p99            {At(commanded, 0.99),10:F2} ms  target < 20 ms         {Verdict(At(commanded, 0.99) < 20)}");
Console.WriteLine($"  of which the service's    {At(reactions, 0.50),10:F2} / {At(reactions, 0.99):F2} ms p50/p99 ({reactions.Length} times from reading the later park to writing uuid_bridge: callcontrol.bridge.reaction)");
Console.WriteLine($"  ESL event lag             {At(lags, 0.50),10:F2} / {At(lags, 0.99):F2} ms p50/p99 ({lags.Length} events, the node firing one to the service reading it: esl.events.lag)");
Console.WriteLine($"  CDR rows written          {written,10} of {expectedLegs} legs ({(written >= expectedLegs ? "all" : "MISSING " + (expectedLegs - written))})   {Verdict(written >= expectedLegs)}");
Console.WriteLine($"  CDR rows/s                {written / cdrWindow.TotalSeconds,10:F1}   (all rows by {cdrWindow.TotalSeconds:F1} s after the first call)");
var whose = simProcess ? "this process: service + driver; the simulator runs apart" : "this process: service + simulator + driver";
Console.WriteLine($"  CPU per call              {cpuPerCall,10:F2} ms  ({whose}; {Environment.ProcessorCount} cores, so at most ~{Environment.ProcessorCount * 1000 / cpuPerCall:F0} calls/s of CPU)");
if (simProcess)
{
    Console.WriteLine($"  simulator CPU per call    {simCpuPerCall,10:F2} ms  (its own process, sharing the same {Environment.ProcessorCount} cores)");
}

Console.WriteLine($"  PostgreSQL CPU per call   {pgCpuPerCall,10:F2} ms  (its server processes on this machine, when they are visible; NaN otherwise)");
Console.WriteLine($"  allocated per call        {allocatedPerCall / 1024,10:F0} KB  ({whose})");
Console.WriteLine($"  PostgreSQL commits/call   {xactsPerCall,10:F1}");
var cdrWriter = world.Services.GetRequiredService<CallControl.Cdr.CdrWriter>();
var bySource = new List<string>();
await using (var sources = data.CreateCommand("SELECT source, count(*) FROM call_legs GROUP BY source ORDER BY source"))
await using (var reader = await sources.ExecuteReaderAsync())
{
    while (await reader.ReadAsync())
    {
        bySource.Add($"{reader.GetString(0)} {reader.GetInt64(1)}");
    }
}

Console.WriteLine($"  CDR rows by source        {string.Join(", ", bySource)} (whole run)");
Console.WriteLine($"  CDR batches               {cdrWriter.Batches,10}   ({cdrWriter.Rows} leg writes, {cdrWriter.Rows / Math.Max(1.0, cdrWriter.Batches):F1} per batch; {cdrWriter.Combined} events written with their leg's POST as one row, {cdrWriter.Late} after it; whole run)");
if (simRuntimeAtStart is { } s0 && simRuntimeAtEnd is { } s1)
{
    var simPauseMs = s1.GcPauseMs - s0.GcPauseMs;
    Console.WriteLine($"  simulator GC              {simPauseMs,10:F0} ms paused ({simPauseMs / runWindow.TotalMilliseconds:P1} of the run), {s1.Gen0Collections - s0.Gen0Collections}/{s1.Gen1Collections - s0.Gen1Collections}/{s1.Gen2Collections - s0.Gen2Collections} gen0/1/2 collections, {(s1.AllocatedBytes - s0.AllocatedBytes) / 1024.0 / total:F0} KB allocated per call (the stand-in for FreeSWITCH stands still while it collects)");
    var fired = s1.EventsFired - s0.EventsFired;
    Console.WriteLine($"  simulator events          {fired / (double)total,10:F1} a call, {(s1.EventsBuilt - s0.EventsBuilt) / (double)Math.Max(1, fired):P0} of them built (the rest no listener subscribed to: numbered, not made)");
}

Console.WriteLine($"  GC pauses (this process)  {pauses.Length,10} in the run, {pauses.Sum():F0} ms in all, max {(pauses.Length > 0 ? pauses[^1] : 0):F1} ms, {pauses.Count(p => p > 10)} over 10 ms");
Console.WriteLine($"  peak working set          {peak.WorkingSet / 1048576.0,10:F1} MB, peak GC heap {peak.Heap / 1048576.0:F1} MB ({whose})");
var heapNote = simProcess ? "the service's and driver's heap" : "heap includes the simulator's channels";
Console.WriteLine($"  calls held after the run  {heldAfterRun.HeldCalls,10} ({heldAfterRun.ActiveCalls} active; ended ones are kept for Rooms:EndedCallGrace), heap after a full collection {heldAfterRun.Heap / 1048576.0:F1} MB");
Console.WriteLine($"  memory per active call    {perCall / 1024,10:F2} KB  ({heldUp - firstHalf} calls added to {firstHalf} held, {activeInService} sim channels; {heapNote})   target < 10 KB   {(heldUp <= firstHalf ? "n/a (no call was held up)" : perCall > 0 ? Verdict(perCall < 10 * 1024) : "n/a (heap shrank: noise exceeds the held calls)")}");
return 0;

static long FullHeap()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    return GC.GetTotalMemory(forceFullCollection: true);
}

static async Task<long> CommittedTransactionsAsync(LoadWorld world)
{
    // pg_stat_database is updated when backends report (at most every PGSTAT_MIN_INTERVAL, 1 s): close enough over a run.
    var data = world.Services.GetRequiredService<NpgsqlDataSource>();
    await using var command = data.CreateCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
    return (long)(await command.ExecuteScalarAsync())!;
}
