using FreeSwitchSim.Core;

namespace FreeSwitchSim.Switch;

/// <summary>How the simulated FreeSWITCH node presents itself and where its HTTP hooks post.</summary>
public sealed class SimSwitchOptions
{
    /// <summary>FreeSWITCH-Hostname and FreeSWITCH-Switchname (the test bed's node is "vm").</summary>
    public string Hostname { get; set; } = "vm";

    public string IPv4 { get; set; } = "192.0.2.2";

    public string IPv6 { get; set; } = "fd00::2";

    /// <summary>mod_json_cdr url (e.g. http://127.0.0.1:8098/fs/cdr); null disables CDR posting.</summary>
    public Uri? JsonCdrUrl { get; set; }

    public string? JsonCdrUser { get; set; }

    public string? JsonCdrPassword { get; set; }

    /// <summary>Where CDRs wait while the receiver is down (mod_json_cdr's err-log-dir).</summary>
    public string? JsonCdrSpoolDir { get; set; }

    /// <summary>mod_xml_curl directory binding; null means the built-in users 1000..1019 with password 1234.</summary>
    public Uri? XmlCurlDirectoryUrl { get; set; }

    public string? XmlCurlUser { get; set; }

    public string? XmlCurlPassword { get; set; }

    /// <summary>Where relative recording paths land (FreeSWITCH's recordings_dir).</summary>
    public string RecordingsDir { get; set; } = Path.Combine(Path.GetTempPath(), "freeswitchsim-recordings");

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The Idle-CPU figure HEARTBEAT reports (percent, printed "%f"); change it at run time to make the node
    /// look busy. The simulator does not measure its own CPU.</summary>
    public double IdleCpu { get; set; } = 99.0;

    /// <summary>FreeSWITCH's max-sessions (reported in HEARTBEAT and status).</summary>
    public int MaxSessions { get; set; } = 1000;

    /// <summary>The verto domain (the test bed logs in as 1000@127.0.0.1).</summary>
    public string VertoDomain { get; set; } = "127.0.0.1";

    /// <summary>The carrier gateways and their default behaviour (as the test bed's sipp scenarios).</summary>
    public Dictionary<string, GatewayRule> Gateways { get; } = new(StringComparer.Ordinal)
    {
        ["carrier"] = new GatewayRule("", "answer", 1000),
        ["carrier_busy"] = new GatewayRule("", "busy"),
        ["carrier_early"] = new GatewayRule("", "early-answer", 2500),
        ["carrier_noanswer"] = new GatewayRule("", "noanswer"),
        ["carrier_decline"] = new GatewayRule("", "decline", 1000),
        ["carrier_notfound"] = new GatewayRule("", "notfound"),
        ["carrier_down"] = new GatewayRule("", "unreachable"),
    };

    /// <summary>The outbound socket target of the <c>sock-</c> and <c>socksingle-</c> extensions.</summary>
    public string SocketTarget { get; set; } = "127.0.0.1:8084";
}
