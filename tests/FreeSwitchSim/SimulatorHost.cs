using FreeSwitchSim.Esl;
using FreeSwitchSim.Http;
using FreeSwitchSim.Switch;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreeSwitchSim;

/// <summary>
/// One simulated FreeSWITCH node in-process: the switch model, its Event Socket on 127.0.0.1 and, optionally, the
/// HTTP control API. Several can run side by side (each with its own ports and hostname).
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication? _control;

    private SimulatorHost(SimSwitch sw, EslServer esl, SimulatorFaults faults, WebApplication? control, int? controlPort)
    {
        Switch = sw;
        Esl = esl;
        Faults = faults;
        _control = control;
        ControlPort = controlPort;
    }

    /// <summary>The switch model: <see cref="Core.ISwitchCore"/> and <see cref="Core.ISwitchControl"/>.</summary>
    public SimSwitch Switch { get; }

    public EslServer Esl { get; }

    public SimulatorFaults Faults { get; }

    public int EslPort => Esl.Port;

    /// <summary>The control API's port, or null when it was not asked for.</summary>
    public int? ControlPort { get; }

    public static async Task<SimulatorHost> StartAsync(SimulatorHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var switchOptions = new SimSwitchOptions
        {
            Hostname = options.Hostname,
            JsonCdrUrl = options.JsonCdrUrl,
            JsonCdrUser = options.JsonCdrUser,
            JsonCdrPassword = options.JsonCdrPassword,
        };
        options.ConfigureSwitch?.Invoke(switchOptions);
        var eslOptions = new EslServerOptions { Port = options.EslPort, Password = options.Password };
        options.ConfigureEsl?.Invoke(eslOptions);

        var sw = new SimSwitch(switchOptions, options.Clock, loggers);
        var esl = new EslServer(sw, eslOptions, loggers.CreateLogger<EslServer>());
        sw.OutboundDialer = esl;
        try
        {
            esl.Start();
            var faults = new SimulatorFaults(esl, sw);
            WebApplication? control = null;
            int? controlPort = null;
            if (options.ControlPort is { } port)
            {
                control = ControlApi.Build(port, sw, faults, options.RestartDownTime);
                await control.StartAsync(cancellationToken).ConfigureAwait(false);
                controlPort = ControlApi.BoundPort(control);
            }
            return new SimulatorHost(sw, esl, faults, control, controlPort);
        }
        catch
        {
            await esl.DisposeAsync().ConfigureAwait(false);
            sw.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_control is not null)
        {
            await _control.StopAsync().ConfigureAwait(false);
            await _control.DisposeAsync().ConfigureAwait(false);
        }
        await Esl.DisposeAsync().ConfigureAwait(false);
        Switch.Dispose();
    }
}
