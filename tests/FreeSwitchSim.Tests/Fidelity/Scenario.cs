using Xunit.Abstractions;
namespace FreeSwitchSim.Tests.Fidelity;

/// <summary>Runs one capture scenario end to end over the Event Socket and compares it with the capture.</summary>
internal static class Scenario
{
    /// <summary>Where FreeSWITCH wrote recordings on the capture's test bed (its conventional prefix).</summary>
    public const string CapturedRecordings = "/usr/local/freeswitch/recordings";

    public static async Task<SessionView> ReplayAsync(
        ITestOutputHelper output,
        string scenario,
        Func<CaptureTimeline, IEnumerable<CallerAction>> actions,
        IReadOnlyCollection<string>? knownGaps = null)
    {
        var timeline = CaptureTimeline.Load(scenario);
        await using var replay = await WireReplay.StartAsync();
        replay.Rewrites[CapturedRecordings] = replay.RecordingsDir;
        var simulated = await replay.RunAsync(timeline, actions(timeline));
        // Figures, not assertions: how far the simulated clock had to run past the capture's to see the same
        // events (real timers differ a little), and how much was compared.
        output.WriteLine($"{scenario}: {simulated.Replies.Count} replies, {simulated.Events.Count} events on {simulated.Roles.Count} channel(s); clock lag behind the capture {replay.Lag.TotalMilliseconds} ms");
        FidelityCompare.Same(timeline, simulated, knownGaps);
        return simulated;
    }

    /// <summary>An action placed just before the first captured event that matches <paramref name="match"/>.</summary>
    public static CallerAction At(CaptureTimeline timeline, Func<WireEvent, bool> match, Func<WireReplay, Task> run, int occurrence = 1)
    {
        var frame = timeline.Frames.Where(f => f.Frame.Event is { } e && match(e)).Skip(occurrence - 1).First();
        return new CallerAction(frame.Record, frame.T, run);
    }

    public static CallerAction At(CaptureTimeline timeline, Func<WireEvent, bool> match, Action<WireReplay> run, int occurrence = 1) =>
        At(timeline, match, r =>
        {
            run(r);
            return Task.CompletedTask;
        }, occurrence);

    /// <summary>A SIP caller (sipp in the capture) INVITEs <paramref name="destination"/>; the sim uses the
    /// captured Unique-ID for it, at the time its first event was captured.</summary>
    public static CallerAction SipCaller(CaptureTimeline timeline, string uuid, string user, string display, string destination) =>
        At(timeline, e => e.UniqueId == uuid, r => r.Switch.PlaceSipCall(user, display, destination, uuid));

    public static Func<WireEvent, bool> Custom(string subclass) => e => e.Subclass == subclass;

    public static Func<WireEvent, bool> Named(string name, string uuid) => e => e.Name == name && e.UniqueId == uuid;
}
