using System.Collections.Concurrent;
using System.Globalization;
using FreeSwitchSim.Core;

namespace FreeSwitchSim.Tests.Esl;

/// <summary>
/// A tiny stand-in for the switch model, so the ESL layer can be tested alone. Its API answers are the ones
/// FreeSWITCH gave in commands.server.raw; its core headers copy the capture's test bed (vm, 192.0.2.2, fd00::2).
/// </summary>
internal sealed class FakeSwitchCore : ISwitchCore, ISwitchLogSource, ISwitchChannelVariables
{
    public const string StatusText =
        "UP 0 years, 0 days, 0 hours, 0 minutes, 5 seconds, 477 milliseconds, 300 microseconds\n" +
        "FreeSWITCH (Version 1.10.12-release git a88d069 2024-08-02 21:02:27Z 64bit) is ready\n" +
        "0 session(s) since startup\n" +
        "0 session(s) - peak 0, last 5min 0 \n" +
        "0 session(s) per Sec out of max 30, peak 0, last 5min 0 \n" +
        "1000 session(s) max\n" +
        "min idle cpu 0.00/99.73\n" +
        "Current Stack Size/Max 240K/8192K\n";

    private long _sequence = 481;

    public FakeSwitchCore(TimeProvider? clock = null, string hostname = "vm")
    {
        Clock = clock ?? TimeProvider.System;
        Hostname = hostname;
    }

    public string Hostname { get; }

    public string CoreUuid { get; set; } = "659c4001-110b-469d-aeec-e58f1be1b235";

    public TimeProvider Clock { get; }

    public event Action<SimEvent>? EventFired;

    public event Action<SimLogLine>? LogEmitted;

    public ConcurrentDictionary<string, SimEvent> Channels { get; } = new();

    public ConcurrentQueue<(string Uuid, IReadOnlyList<KeyValuePair<string, string>> Headers, string? Body)> Messages { get; } = new();

    public ConcurrentDictionary<string, string> VariablesSet { get; } = new();

    public ConcurrentQueue<SimEvent> Fired { get; } = new();

    /// <summary>When set, api commands wait for it (to test that api blocks the socket).</summary>
    public TaskCompletionSource? ApiGate { get; set; }

    public SimEvent NewEvent(string name, string? subclass, string callingFile, string callingFunction, int callingLine)
    {
        var now = Clock.GetUtcNow();
        var e = new SimEvent(name, subclass);
        if (subclass is not null)
        {
            e.Add("Event-Subclass", subclass);
        }
        e.Add("Event-Name", name)
         .Add("Core-UUID", CoreUuid)
         .Add("FreeSWITCH-Hostname", Hostname)
         .Add("FreeSWITCH-Switchname", Hostname)
         .Add("FreeSWITCH-IPv4", "192.0.2.2")
         .Add("FreeSWITCH-IPv6", "fd00::2")
         .Add("Event-Date-Local", now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))
         .Add("Event-Date-GMT", now.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture))
         .Add("Event-Date-Timestamp", ((now - DateTimeOffset.UnixEpoch).Ticks / 10).ToString(CultureInfo.InvariantCulture))
         .Add("Event-Calling-File", callingFile)
         .Add("Event-Calling-Function", callingFunction)
         .Add("Event-Calling-Line-Number", callingLine.ToString(CultureInfo.InvariantCulture))
         .Add("Event-Sequence", Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture));
        return e;
    }

    public void Fire(SimEvent e)
    {
        Fired.Enqueue(e);
        EventFired?.Invoke(e);
    }

    public void Log(SimLogLine line) => LogEmitted?.Invoke(line);

    private int _apiCalls;

    public int ApiCalls => Volatile.Read(ref _apiCalls);

    public async Task<string> ExecuteApiAsync(string command, string? args, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _apiCalls);
        if (ApiGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        return (command, args) switch
        {
            ("status", _) => StatusText,
            ("show", "channels as json") => "{\"row_count\": 0}\n",
            ("uuid_dump", _) or ("uuid_getvar", _) => "-ERR No such channel!\n",
            ("uuid_exists", _) => "false",
            ("eval", "${hostname}") => Hostname,
            ("originate", _) => "-ERR NORMAL_TEMPORARY_FAILURE\n",
            ("reloadxml", _) => ReloadXml(),
            ("echo", _) => args ?? "",
            ("silent", _) => "",
            _ => $"-ERR {command} Command not found!\n",
        };
    }

    public string SendMessage(string uuid, IReadOnlyList<KeyValuePair<string, string>> headers, string? body)
    {
        if (!Channels.ContainsKey(uuid))
        {
            return $"-ERR invalid session id [{uuid}]";
        }
        Messages.Enqueue((uuid, headers, body));
        return "+OK";
    }

    public SimEvent? ChannelData(string uuid)
    {
        if (!Channels.TryGetValue(uuid, out var data))
        {
            return null;
        }
        var e = NewEvent("CHANNEL_DATA", null, "switch_channel.c", "switch_channel_event_set_data", 1);
        e.Headers.AddRange(data.Headers);
        return e;
    }

    public bool ChannelExists(string uuid) => Channels.ContainsKey(uuid);

    public bool SetChannelVariable(string uuid, string name, string value)
    {
        VariablesSet[$"{uuid}/{name}"] = value;
        return Channels.ContainsKey(uuid);
    }

    /// <summary>Adds a channel whose CHANNEL_DATA carries these headers (after the core headers).</summary>
    public void AddChannel(string uuid, string name, params (string Name, string Value)[] variables)
    {
        var e = new SimEvent("CHANNEL_DATA");
        e.Add("Channel-State", "CS_EXECUTE").Add("Channel-Name", name).Add("Unique-ID", uuid);
        foreach (var (n, v) in variables)
        {
            e.Add("variable_" + n, v);
        }
        Channels[uuid] = e;
    }

    /// <summary>A channel event the way the switch would fire it.</summary>
    public SimEvent ChannelEvent(string name, string uuid, params (string Name, string Value)[] headers)
    {
        var e = NewEvent(name, null, "switch_channel.c", "switch_channel_perform_event", 100);
        e.Add("Unique-ID", uuid);
        foreach (var (n, v) in headers)
        {
            e.Add(n, v);
        }
        return e;
    }

    private string ReloadXml()
    {
        Log(new SimLogLine(6, "switch_time.c", "switch_load_timezones", 1436, "Timezone reloaded 597 definitions\n", null, Clock.GetUtcNow()));
        return "+OK [Success]\n";
    }
}
