using FreeSwitchSim.Core;
using FreeSwitchSim.Switch;
using Microsoft.Extensions.Time.Testing;

namespace FreeSwitchSim.Tests.Switch;

/// <summary>An in-process SimSwitch on a fake clock that records every event it fires.</summary>
internal sealed class SwitchHarness : IDisposable
{
    private readonly List<SimEvent> _events = new();

    public SwitchHarness(Action<SimSwitchOptions>? configure = null)
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 15, 42, 0, TimeSpan.Zero));
        Options = new SimSwitchOptions
        {
            RecordingsDir = Path.Combine(Path.GetTempPath(), "simswitch-tests", Guid.NewGuid().ToString()),
            JsonCdrSpoolDir = Path.Combine(Path.GetTempPath(), "simswitch-spool", Guid.NewGuid().ToString()),
        };
        configure?.Invoke(Options);
        Switch = new SimSwitch(Options, Clock);
        Switch.EventFired += e =>
        {
            lock (_events)
            {
                _events.Add(e);
            }
        };
    }

    public FakeTimeProvider Clock { get; }

    public SimSwitchOptions Options { get; }

    public SimSwitch Switch { get; }

    public IReadOnlyList<SimEvent> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToArray();
            }
        }
    }

    /// <summary>Moves the fake clock in 10 ms steps so timers fire at their own times.</summary>
    public void Advance(int ms)
    {
        for (var t = 0; t < ms; t += 10)
        {
            Clock.Advance(TimeSpan.FromMilliseconds(Math.Min(10, ms - t)));
        }
    }

    /// <summary>Event names of one channel, in firing order.</summary>
    public List<string> NamesOf(string uuid) =>
        Events.Where(e => e.UniqueId == uuid && e.Name != "CUSTOM").Select(e => e.Name).ToList();

    public SimEvent Last(string uuid, string name) => Events.Last(e => e.UniqueId == uuid && e.Name == name);

    public string Api(string command, string? args = null) =>
        Switch.ExecuteApiAsync(command, args, CancellationToken.None).GetAwaiter().GetResult();

    public string Execute(string uuid, string app, string? arg, string? eventUuid = null)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("call-command", "execute"),
            new("execute-app-name", app),
        };
        if (arg is not null)
        {
            headers.Add(new("execute-app-arg", arg));
        }
        if (eventUuid is not null)
        {
            headers.Add(new("event-uuid", eventUuid));
        }
        return Switch.SendMessage(uuid, headers, null);
    }

    public void Dispose()
    {
        Switch.Dispose();
        try
        {
            if (Directory.Exists(Options.RecordingsDir))
            {
                Directory.Delete(Options.RecordingsDir, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
