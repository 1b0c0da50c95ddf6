using System.Xml.Linq;
using FreeSwitchConf.Tests.Support;

namespace FreeSwitchConf.Tests;

/// <summary>Every parameter name is one its module's parser reads: a misspelt name is silently ignored by FreeSWITCH.</summary>
public sealed class ParametersTests
{
    private static readonly XDocument Document = ConfTree.Document();

    [Theory]
    [InlineData("switch.conf")]
    [InlineData("console.conf")]
    [InlineData("logfile.conf")]
    [InlineData("event_socket.conf")]
    [InlineData("verto.conf")]
    [InlineData("sofia.conf")]
    [InlineData("xml_curl.conf")]
    [InlineData("json_cdr.conf")]
    [InlineData("conference.conf")]
    public void Every_param_name_is_read_by_the_module(string configuration)
    {
        var known = FreeSwitchSource.Parameters(configuration);
        var used = Document.Configuration(configuration).Descendants("param").Select(p => (string)p.Attribute("name")!).ToArray();

        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains(name, known));
    }

    [Fact]
    public void A_misspelt_name_would_be_caught()
    {
        Assert.DoesNotContain("listen_ip", FreeSwitchSource.Parameters("event_socket.conf"));
        Assert.Contains("listen-ip", FreeSwitchSource.Parameters("event_socket.conf"));
    }
}
