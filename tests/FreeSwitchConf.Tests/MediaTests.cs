using System.Xml.Linq;
using FreeSwitchConf.Tests.Support;

namespace FreeSwitchConf.Tests;

/// <summary>Verto listeners, codecs toward each side, ICE, the conference profile and the core's limits.</summary>
public sealed class MediaTests
{
    private static readonly XDocument Document = ConfTree.Document(new Dictionary<string, string>
    {
        ["FS_VERTO_WSS_IP"] = "0.0.0.0", ["FS_VERTO_WSS_CERT"] = "/etc/freeswitch/tls/wss.pem", ["FS_EXT_RTP_IP"] = "stun:turn.example.net:3478",
        ["FS_RTP_START_PORT"] = "20000", ["FS_RTP_END_PORT"] = "20999", ["FS_MAX_SESSIONS"] = "500",
    });

    private static XElement Profile(string name) => Document.Configuration("verto.conf").Element("profiles")!
        .Elements("profile").Single(p => (string?)p.Attribute("name") == name);

    [Fact]
    public void The_wss_profile_binds_secure_with_the_certificate_from_the_variable()
    {
        var wss = Profile("wss");
        var bind = wss.Elements("param").Single(p => (string?)p.Attribute("name") == "bind-local");

        Assert.Equal("0.0.0.0:8082", (string?)bind.Attribute("value"));
        Assert.Equal("true", (string?)bind.Attribute("secure"));
        Assert.Equal("/etc/freeswitch/tls/wss.pem", wss.Param("secure-combined"));
    }

    [Fact]
    public void The_development_profile_is_plain_ws_on_loopback_and_carries_no_secure_listener()
    {
        var dev = Profile("dev-ws");
        var binds = dev.Elements("param").Where(p => (string?)p.Attribute("name") == "bind-local").ToArray();

        Assert.Equal(["127.0.0.1:8081"], binds.Select(b => (string)b.Attribute("value")!));
        Assert.All(binds, b => Assert.Null(b.Attribute("secure")));
    }

    [Theory]
    [InlineData("wss")]
    [InlineData("dev-ws")]
    public void Both_profiles_authenticate_through_the_directory_offer_opus_and_h264_and_use_the_media_variables(string name)
    {
        var p = Profile(name);

        Assert.Equal("true", p.Param("userauth"));
        Assert.Equal("false", p.Param("blind-reg"));
        Assert.Equal("callcontrol", p.Param("force-register-domain"));
        Assert.Equal("opus,h264", p.Param("inbound-codec-string"));
        Assert.Equal("opus,h264", p.Param("outbound-codec-string"));
        Assert.Equal("stun:turn.example.net:3478", p.Param("ext-rtp-ip"));
        Assert.Equal("192.0.2.10", p.Param("rtp-ip"));
        Assert.Contains(p.Elements("param"), x => (string?)x.Attribute("name") == "apply-candidate-acl");
    }

    [Fact]
    public void The_verto_domain_is_a_token_the_services_directory_accepts()
    {
        var domain = Profile("wss").Param("force-register-domain");

        Assert.Matches("^[A-Za-z0-9._-]{1,128}$", domain);
        Assert.Equal(domain, (string?)Document.Root!.Elements("section").Single(s => (string?)s.Attribute("name") == "directory").Element("domain")!.Attribute("name"));
    }

    [Fact]
    public void The_carrier_side_speaks_g711_and_the_codec_modules_for_opus_and_h264_are_loaded()
    {
        var settings = Document.Configuration("sofia.conf").Element("profiles")!.Element("profile")!.Element("settings")!;
        var loaded = Document.Configuration("modules.conf").Descendants("load").Select(l => (string)l.Attribute("module")!).ToArray();

        Assert.Equal("PCMU,PCMA", settings.Param("outbound-codec-prefs"));
        Assert.Equal("PCMU,PCMA", settings.Param("inbound-codec-prefs"));
        Assert.Contains("mod_opus", loaded);
        Assert.Contains("mod_h26x", loaded);
    }

    [Fact]
    public void The_gateway_takes_every_carrier_setting_from_variables()
    {
        var env = new Dictionary<string, string>
        {
            ["CARRIER_REALM"] = "sip.carrier.example", ["CARRIER_PROXY"] = "edge.carrier.example", ["CARRIER_USERNAME"] = "acct1",
            ["CARRIER_PASSWORD"] = "pw1", ["CARRIER_REGISTER"] = "true", ["CARRIER_CALLER_ID_IN_FROM"] = "false",
        };
        var gateway = ConfTree.Document(env).Configuration("sofia.conf").Descendants("gateway").Single();

        Assert.Equal("sip.carrier.example", gateway.Param("realm"));
        Assert.Equal("edge.carrier.example", gateway.Param("proxy"));
        Assert.Equal("acct1", gateway.Param("username"));
        Assert.Equal("pw1", gateway.Param("password"));
        Assert.Equal("true", gateway.Param("register"));
        Assert.Equal("false", gateway.Param("caller-id-in-from"));
    }

    [Fact]
    public void Multi_party_rooms_mix_at_48_khz_and_pass_video_through()
    {
        var room = Document.Configuration("conference.conf").Element("profiles")!.Elements("profile").Single();

        Assert.Equal("room", (string?)room.Attribute("name"));
        Assert.Equal("48000", room.Param("rate"));
        Assert.Equal("passthrough", room.Param("video-mode"));
        Assert.Equal("none", room.Param("caller-controls"));
    }

    [Fact]
    public void The_core_limits_and_rtp_ports_come_from_variables()
    {
        var settings = Document.Configuration("switch.conf").Element("settings")!;

        Assert.Equal("20000", settings.Param("rtp-start-port"));
        Assert.Equal("20999", settings.Param("rtp-end-port"));
        Assert.Equal("500", settings.Param("max-sessions"));
        Assert.Equal("100", settings.Param("sessions-per-second"));
    }
}
