using System.Globalization;

namespace FreeSwitchSim.Switch;

/// <summary>
/// The core's scheduler task "heartbeat": HEARTBEAT every interval (20 s by default) then RE_SCHEDULE for it, and
/// the uptime/session figures that <c>status</c> prints too.
/// </summary>
internal sealed class Heartbeat : IDisposable
{
    public const string Version = "1.10.12-release+git~20240802T210227Z~a88d069d6f~64bit";
    private readonly CallEngine _engine;
    private ITimer? _timer;

    public Heartbeat(CallEngine engine)
    {
        _engine = engine;
        StartedUs = engine.NowUs();
    }

    public long StartedUs { get; private set; }

    public void Start()
    {
        _timer?.Dispose();
        StartedUs = _engine.NowUs();
        var interval = _engine.Options.HeartbeatInterval;
        _timer = _engine.Clock.CreateTimer(_ => Beat(), null, interval, interval);
    }

    public void Dispose() => _timer?.Dispose();

    /// <summary>"0 years, 0 days, 0 hours, 0 minutes, 59 seconds, 531 milliseconds, 580 microseconds".</summary>
    public string UpTime()
    {
        var us = _engine.NowUs() - StartedUs;
        var t = TimeSpan.FromTicks(us * 10);
        var years = t.Days / 365;
        return string.Create(CultureInfo.InvariantCulture,
            $"{years} years, {t.Days % 365} days, {t.Hours} hours, {t.Minutes} minutes, {t.Seconds} seconds, {t.Milliseconds} milliseconds, {us % 1000} microseconds");
    }

    public long UptimeMs => (_engine.NowUs() - StartedUs) / 1000;

    private void Beat()
    {
        lock (_engine.Sync)
        {
            var e = _engine;
            var count = e.Channels.Count.ToString(CultureInfo.InvariantCulture);
            e.Bus.Fire("HEARTBEAT", null, CallSites.Heartbeat, ev => ev
                .Add("Event-Info", "System Ready")
                .Add("Up-Time", UpTime())
                .Add("FreeSWITCH-Version", Version)
                .Add("Uptime-msec", UptimeMs.ToString(CultureInfo.InvariantCulture))
                .Add("Session-Count", count)
                .Add("Max-Sessions", e.Options.MaxSessions.ToString(CultureInfo.InvariantCulture))
                .Add("Session-Per-Sec", "30")
                .Add("Session-Per-Sec-Last", "0")
                .Add("Session-Per-Sec-Max", "0")
                .Add("Session-Per-Sec-FiveMin", "0")
                .Add("Session-Since-Startup", e.SessionsSinceStartup.ToString(CultureInfo.InvariantCulture))
                .Add("Session-Peak-Max", e.PeakSessions.ToString(CultureInfo.InvariantCulture))
                .Add("Session-Peak-FiveMin", e.PeakSessions.ToString(CultureInfo.InvariantCulture))
                .Add("Idle-CPU", e.Options.IdleCpu.ToString("F6", CultureInfo.InvariantCulture)));
            var next = ((e.NowUs() / 1_000_000) + (long)e.Options.HeartbeatInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            e.Bus.Fire("RE_SCHEDULE", null, CallSites.ReSchedule, ev => ev
                .Add("Task-ID", "1")
                .Add("Task-Desc", "heartbeat")
                .Add("Task-Group", "core")
                .Add("Task-Runtime", next));
        }
    }
}
