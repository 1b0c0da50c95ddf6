using FreeSwitchSim.Esl;
using FreeSwitchSim.Switch;
using Microsoft.Extensions.Logging;

namespace FreeSwitchSim;

/// <summary>How to start one simulated FreeSWITCH node.</summary>
public sealed class SimulatorHostOptions
{
    /// <summary>Event Socket port on 127.0.0.1; 0 picks a free one.</summary>
    public int EslPort { get; set; }

    public string Password { get; set; } = "ClueCon";

    /// <summary>HTTP control API port on 127.0.0.1: null = no control API, 0 = pick a free one.</summary>
    public int? ControlPort { get; set; }

    /// <summary>mod_json_cdr target (with basic auth), or null for none.</summary>
    public Uri? JsonCdrUrl { get; set; }

    public string? JsonCdrUser { get; set; }

    public string? JsonCdrPassword { get; set; }

    /// <summary>FreeSWITCH-Hostname; give each node of a multi-node test its own.</summary>
    public string Hostname { get; set; } = "vm";

    /// <summary>Every timer and timestamp of the node (a FakeTimeProvider in tests).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>How long the ESL port stays closed during a restart fault.</summary>
    public TimeSpan RestartDownTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Further switch settings (gateways, verto domain, socket target, ...).</summary>
    public Action<SimSwitchOptions>? ConfigureSwitch { get; set; }

    /// <summary>Further Event Socket settings (queue size, userauth accounts, ...).</summary>
    public Action<EslServerOptions>? ConfigureEsl { get; set; }
}
