using System.Xml.Linq;
using FreeSwitchConf.Tests.Support;

namespace FreeSwitchConf.Tests;

public sealed class EventSocketTests
{
    private static XElement Settings(XDocument d) => d.Configuration("event_socket.conf").Element("settings")!;

    [Fact]
    public void Defaults_listen_on_loopback_with_a_development_password_that_is_not_the_freeswitch_default()
    {
        var settings = Settings(ConfTree.Document());

        Assert.Equal("127.0.0.1", settings.Param("listen-ip"));
        Assert.Equal("8021", settings.Param("listen-port"));
        Assert.StartsWith("dev-only-", settings.Param("password"), StringComparison.Ordinal);
        Assert.NotEqual("ClueCon", settings.Param("password"), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void Address_port_and_password_come_from_the_environment()
    {
        var env = new Dictionary<string, string>
        {
            ["FS_ESL_LISTEN_IP"] = "10.0.0.5", ["FS_ESL_PORT"] = "9021", ["FS_ESL_PASSWORD"] = "0123abcd",
        };

        var settings = Settings(ConfTree.Document(env));

        Assert.Equal("10.0.0.5", settings.Param("listen-ip"));
        Assert.Equal("9021", settings.Param("listen-port"));
        Assert.Equal("0123abcd", settings.Param("password"));
    }

    [Fact]
    public void The_inbound_acl_denies_by_default_and_admits_loopback_and_the_service_network()
    {
        var document = ConfTree.Document(new Dictionary<string, string> { ["FS_ESL_SERVICE_NETWORK"] = "10.0.0.0/24" });
        var aclName = Settings(document).Param("apply-inbound-acl");

        var list = document.Configuration("acl.conf").Element("network-lists")!.Elements("list")
            .Single(l => (string?)l.Attribute("name") == aclName);

        Assert.Equal("deny", (string?)list.Attribute("default"));
        Assert.Equal(
            ["allow 127.0.0.1/32", "allow 10.0.0.0/24"],
            list.Elements("node").Select(n => $"{(string?)n.Attribute("type")} {(string?)n.Attribute("cidr")}").ToArray());
    }

    [Fact]
    public void Every_acl_a_setting_names_is_defined_or_built_in()
    {
        string[] builtIn = ["rfc1918.auto", "nat.auto", "localnet.auto", "loopback.auto", "wan.auto", "wan_v4.auto", "wan_v6.auto", "any_v4.auto", "any_v6.auto", "rfc6598.auto"];
        var document = ConfTree.Document();
        var defined = document.Configuration("acl.conf").Element("network-lists")!.Elements("list").Select(l => (string)l.Attribute("name")!);
        var named = document.Descendants("param")
            .Where(p => ((string)p.Attribute("name")!).Contains("acl", StringComparison.Ordinal))
            .Select(p => (string)p.Attribute("value")!).ToArray();

        Assert.NotEmpty(named);
        Assert.All(named, acl => Assert.Contains(acl, defined.Concat(builtIn)));
    }
}
