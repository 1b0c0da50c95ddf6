using System.Globalization;
using System.Runtime.InteropServices;
using FreeSwitchSim;
using Microsoft.Extensions.Logging;

// Standalone simulator for the demo:
//   dotnet run --project tests/FreeSwitchSim -- --esl-port 8021 --password ClueCon --control-port 8099
//     [--json-cdr-url URL [--json-cdr-user U --json-cdr-password P]] [--hostname vm]
//     [--directory-url URL [--directory-user U --directory-password P]] [--recordings-dir DIR]
// --directory-url is mod_xml_curl's directory binding: verto logins are then checked there, as FreeSWITCH does.
using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
var log = loggers.CreateLogger("FreeSwitchSim");
SimulatorHostOptions options;
try
{
    options = ParseArgs(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"{ex.Message}\nusage: --esl-port N --password PW [--control-port N] [--json-cdr-url URL] [--json-cdr-user U] [--json-cdr-password P] [--hostname NAME] [--directory-url URL] [--directory-user U] [--directory-password P] [--recordings-dir DIR]");
    return 2;
}
options.LoggerFactory = loggers;

await using var host = await SimulatorHost.StartAsync(options);
FreeSwitchSim.Esl.Log.Started(log, options.Hostname, host.EslPort, host.ControlPort is { } p ? $"http://127.0.0.1:{p}" : "off");

var stop = new TaskCompletionSource();
// The control API's web host registers its own SIGTERM/SIGINT handling, which only stops that host; so the
// process registers its own: SIGTERM (what run.sh and operators send) and Ctrl-C end the whole simulator.
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onQuit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);
await stop.Task;
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}

static SimulatorHostOptions ParseArgs(string[] args)
{
    var o = new SimulatorHostOptions { EslPort = 8021 };
    for (var i = 0; i < args.Length; i++)
    {
        var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--esl-port": o.EslPort = Port(value); break;
            case "--password": o.Password = value; break;
            case "--control-port": o.ControlPort = Port(value); break;
            case "--json-cdr-url": o.JsonCdrUrl = new Uri(value); break;
            case "--json-cdr-user": o.JsonCdrUser = value; break;
            case "--json-cdr-password": o.JsonCdrPassword = value; break;
            case "--hostname": o.Hostname = value; break;
            case "--directory-url": Switch(o, s => s.XmlCurlDirectoryUrl = new Uri(value)); break;
            case "--directory-user": Switch(o, s => s.XmlCurlUser = value); break;
            case "--directory-password": Switch(o, s => s.XmlCurlPassword = value); break;
            case "--recordings-dir": Switch(o, s => s.RecordingsDir = value); break;
            // switch.conf.xml's max-sessions (1000 unless set), reported in HEARTBEAT and status.
            case "--max-sessions": Switch(o, s => s.MaxSessions = int.Parse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture)); break;
            default: throw new ArgumentException($"unknown option {args[i]}");
        }
        i++;
    }
    return o;
}

static void Switch(SimulatorHostOptions o, Action<FreeSwitchSim.Switch.SimSwitchOptions> set)
{
    var previous = o.ConfigureSwitch;
    o.ConfigureSwitch = s =>
    {
        previous?.Invoke(s);
        set(s);
    };
}

static int Port(string s) =>
    int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535 ? p : throw new ArgumentException($"bad port {s}");
