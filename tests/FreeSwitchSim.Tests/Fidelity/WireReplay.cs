using System.Net.Sockets;
using System.Text;
using CallControl.Esl.Protocol;
using FreeSwitchSim.Switch;
using Microsoft.Extensions.Time.Testing;

namespace FreeSwitchSim.Tests.Fidelity;

/// <summary>Something a caller did at a point of the capture that was not an ESL command (a SIP INVITE, a verto
/// login or bye). <see cref="Record"/> is the timeline record of the first event it caused: it runs just before.</summary>
internal sealed record CallerAction(int Record, double T, Func<WireReplay, Task> Run);

/// <summary>
/// A simulator on a fake clock and a client on a real TCP socket that replays a capture's client writes in order,
/// advancing the clock in step with the capture's timeline, and records every frame the simulator sends.
/// </summary>
internal sealed partial class WireReplay : IAsyncDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    /// <summary>How much further than the capture the clock may run while waiting for a captured event.</summary>
    private static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(8);

    private readonly List<WireFrame> _received = new();
    private readonly List<WireEvent> _fired = new();
    private readonly Dictionary<string, int> _simRoles = new(StringComparer.Ordinal);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly Task _reader;
    private readonly string _recordings;
    private readonly DateTimeOffset _start;
    private TimeSpan _lag;

    private WireReplay(FakeTimeProvider clock, SimulatorHost host, TcpClient client, string recordings)
    {
        Clock = clock;
        Host = host;
        _client = client;
        _recordings = recordings;
        _stream = client.GetStream();
        _start = clock.GetUtcNow();
        _reader = Task.Run(ReadAllAsync);
    }

    public FakeTimeProvider Clock { get; }

    public SimulatorHost Host { get; }

    public SimSwitch Switch => Host.Switch;

    /// <summary>Host-specific text of the capture's client writes and what to send instead (e.g. FreeSWITCH's
    /// recordings directory, which is the test's own temporary directory here).</summary>
    public Dictionary<string, string> Rewrites { get; } = new(StringComparer.Ordinal);

    public string RecordingsDir => _recordings;

    /// <summary>How much further than the capture's timeline the clock was moved to reach the captured events.</summary>
    public TimeSpan Lag => _lag;

    public static async Task<WireReplay> StartAsync()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 15, 42, 0, TimeSpan.Zero));
        var recordings = Path.Combine(Path.GetTempPath(), "fidelity-recordings", Guid.NewGuid().ToString());
        var host = await SimulatorHost.StartAsync(new SimulatorHostOptions
        {
            Clock = clock,
            ConfigureSwitch = o =>
            {
                o.RecordingsDir = recordings;
                o.JsonCdrSpoolDir = Path.Combine(recordings, "spool");
            },
        });
        var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, host.EslPort);
        var replay = new WireReplay(clock, host, client, recordings);
        host.Switch.EventFired += replay.OnFired;
        return replay;
    }

    /// <summary>The sim's UUID of channel <paramref name="role"/> (order of first appearance), once it exists.</summary>
    public string SimUuid(int role)
    {
        lock (_fired)
        {
            return _simRoles.First(r => r.Value == role).Key;
        }
    }

    /// <summary>Replays <paramref name="timeline"/>'s writes and <paramref name="actions"/> in timeline order, then
    /// half-closes the socket as the capture's client did (FreeSWITCH answered with its goodbye notice).</summary>
    public async Task<SessionView> RunAsync(CaptureTimeline timeline, IEnumerable<CallerAction> actions)
    {
        var captured = new SessionView(timeline.Frames.Select(f => f.Frame));
        var gated = timeline.Frames.Where(f => f.Frame.Event is { } e && SessionView.Modelled(e)).ToList();
        await WaitAsync(() => Count(f => f.Kind == EslFrameKind.AuthRequest) == 1, "auth/request");
        var steps = timeline.Writes.Select(w => (w.Record, w.T, Write: (TimelineWrite?)w, Action: (CallerAction?)null))
            .Concat(actions.Select(a => (a.Record, a.T, Write: (TimelineWrite?)null, Action: (CallerAction?)a)))
            .OrderBy(s => s.Record).ThenBy(s => s.Action is null ? 1 : 0).ToList();
        var sent = 0;
        foreach (var step in steps)
        {
            await CatchUpAsync(captured, gated.Where(f => f.Record < step.Record).ToList(), step.T);
            if (step.Action is { } action)
            {
                await action.Run(this);
                continue;
            }
            await _stream.WriteAsync(Substitute(captured, step.Write!.Bytes));
            sent++;
            await WaitAsync(() => Count(f => f.IsReply) >= sent, $"reply {sent} of {timeline.Scenario}");
        }
        await CatchUpAsync(captured, gated, timeline.EndTime);
        _client.Client.Shutdown(SocketShutdown.Send);
        await _reader.WaitAsync(WaitLimit);
        lock (_received)
        {
            return new SessionView(_received.ToList());
        }
    }

    /// <summary>Moves the clock to the capture's time <paramref name="t"/>, then further in small steps until the
    /// switch has fired the last channel event, and the last event without a channel (a BACKGROUND_JOB, which the
    /// switch may finish on the thread pool), that the capture's client had seen by then. Real timers differ a
    /// little from the simulated ones: the lag carries over to the rest of the session.</summary>
    private async Task CatchUpAsync(SessionView captured, List<TimedFrame> seen, double t)
    {
        AdvanceTo(_start + TimeSpan.FromSeconds(t) + _lag);
        var channel = seen.Where(f => f.Frame.Event!.UniqueId is not null).Select(f => f.Frame.Event!).ToList();
        var unowned = seen.Where(f => f.Frame.Event!.UniqueId is null && !SessionView.IsHeartbeatTask(f.Frame.Event!)).Select(f => f.Frame.Event!).ToList();
        var conditions = new List<Func<bool>>();
        if (channel.Count > 0)
        {
            var last = channel[^1];
            var role = captured.Roles[last.UniqueId!];
            var needed = channel.Count(e => captured.Roles[e.UniqueId!] == role && e.Type == last.Type);
            conditions.Add(() => FiredCount(role, last.Type) >= needed);
        }
        if (unowned.Count > 0)
        {
            var last = unowned[^1];
            var needed = unowned.Count(e => e.Type == last.Type);
            conditions.Add(() => FiredCount(null, last.Type) >= needed);
        }
        bool Reached() => conditions.TrueForAll(c => c());
        while (!Reached() && _lag < MaxLag)
        {
            // The switch may finish some work on the thread pool (an api originate): give it a moment first.
            if (await PollAsync(Reached, TimeSpan.FromMilliseconds(20)))
            {
                break;
            }
            _lag += Step;
            Clock.Advance(Step);
        }
    }

    private void AdvanceTo(DateTimeOffset target)
    {
        while (Clock.GetUtcNow() < target)
        {
            var left = target - Clock.GetUtcNow();
            Clock.Advance(left < Step ? left : Step);
        }
    }

    /// <summary>The capture's UUID of each channel replaced by the sim's UUID of the same role.</summary>
    private byte[] Substitute(SessionView captured, byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        foreach (var (from, to) in Rewrites)
        {
            text = text.Replace(from, to, StringComparison.Ordinal);
        }
        lock (_fired)
        {
            foreach (var (uuid, role) in captured.Roles)
            {
                if (_simRoles.FirstOrDefault(r => r.Value == role).Key is { } sim)
                {
                    text = text.Replace(uuid, sim, StringComparison.Ordinal);
                }
            }
        }
        return Encoding.Latin1.GetBytes(text);
    }

    public async ValueTask DisposeAsync()
    {
        Host.Switch.EventFired -= OnFired;
        _client.Dispose();
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(_recordings, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
