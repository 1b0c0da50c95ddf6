using FreeSwitchSim.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreeSwitchSim.Switch;

/// <summary>
/// The simulated FreeSWITCH node: a thin facade over the call engine (legs, apps, bridges), mod_verto, the
/// carrier gateways, mod_commands, mod_conference, mod_json_cdr and the heartbeat. The ESL layer calls
/// <see cref="ISwitchCore"/>; tests, the demo and the control API call <see cref="ISwitchControl"/>.
/// </summary>
public sealed partial class SimSwitch : ISwitchCore, ISwitchControl, ISwitchChannelVariables, ISelectiveEventSource, IDisposable
{
    private readonly CallEngine _engine;
    private readonly Verto _verto;
    private readonly ApiCommands _api;
    private readonly Heartbeat _heartbeat;
    private readonly JsonCdr _cdr;
    private readonly HttpClient _http;

    public SimSwitch(SimSwitchOptions options, TimeProvider clock, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("FreeSwitchSim.Switch");
        Options = options;
        Clock = clock;
        var bus = new EventBus(options, clock, new object());
        _engine = new CallEngine(options, clock, bus, logger);
        _engine.Gateways = new Gateways(options);
        _engine.Conferences = new Conferences(_engine);
        _http = new HttpClient();
        _verto = new Verto(_engine, _http);
        _engine.Verto = _verto;
        _heartbeat = new Heartbeat(_engine);
        _api = new ApiCommands(_engine, _heartbeat);
        _cdr = new JsonCdr(options, _http, logger);
        _engine.Reporting = leg => _cdr.LegReported(leg, _engine.Bus.CoreUuid);
        _heartbeat.Start();
    }

    public SimSwitchOptions Options { get; }

    public string Hostname => Options.Hostname;

    public string CoreUuid => _engine.Bus.CoreUuid;

    public TimeProvider Clock { get; }

    /// <summary>The ESL layer's outbound dialer, used by the <c>socket</c> application.</summary>
    public IOutboundSocketDialer? OutboundDialer
    {
        get => _engine.OutboundDialer;
        set => _engine.OutboundDialer = value;
    }

    public event Action<SimEvent>? EventFired
    {
        add => _engine.Bus.EventFired += value;
        remove => _engine.Bus.EventFired -= value;
    }

    public IDisposable Listen(EventInterest interest, Action<SimEvent> handler) => _engine.Bus.Listen(interest, handler);

    public EventCounts EventCounts => _engine.Bus.Counts;

    public SimEvent NewEvent(string name, string? subclass, string callingFile, string callingFunction, int callingLine) =>
        _engine.Bus.NewEvent(name, subclass, callingFile, callingFunction, callingLine);

    public void Fire(SimEvent e) => _engine.Bus.Fire(e);

    public Task<string> ExecuteApiAsync(string command, string? args, CancellationToken cancellationToken) =>
        _api.ExecuteAsync(command, args, cancellationToken);

    public bool ChannelExists(string uuid)
    {
        lock (_engine.Sync)
        {
            return _engine.Find(uuid) is not null;
        }
    }

    /// <summary>The CHANNEL_DATA block of the outbound <c>connect</c> reply: Channel-* profile, channel data, variables.</summary>
    public SimEvent? ChannelData(string uuid)
    {
        lock (_engine.Sync)
        {
            if (_engine.Find(uuid) is not { } c)
            {
                return null;
            }
            var e = _engine.Bus.NewEvent("CHANNEL_DATA", null, "mod_event_socket.c", "parse_command", 2021);
            c.Profile.AppendTo(e, "Channel", c, withIndex: true, zeroTimes: false);
            ChannelEvents.AppendChannelData(e, c, vars: true);
            return e;
        }
    }

    /// <summary>Sets a variable without an API event (mod_event_socket's own writes, e.g. socket_resume).</summary>
    public bool SetChannelVariable(string uuid, string name, string value)
    {
        lock (_engine.Sync)
        {
            if (_engine.Find(uuid) is not { } c)
            {
                return false;
            }
            c.Vars.Set(name, value);
            return true;
        }
    }

    /// <summary>Completes when every CDR POST started so far was delivered or spooled.</summary>
    public Task WhenCdrsSettledAsync() => _cdr.WhenIdleAsync();

    /// <summary>Re-sends spooled CDRs (mod_json_cdr retries its err-log-dir); returns how many were delivered.</summary>
    public async Task<int> FlushCdrSpoolAsync(CancellationToken cancellationToken)
    {
        await _cdr.WhenIdleAsync().ConfigureAwait(false);
        return await _cdr.FlushSpoolAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _heartbeat.Dispose();
        _http.Dispose();
    }
}
