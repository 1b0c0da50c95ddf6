using System.Xml.Linq;
using FreeSwitchConf.Tests.Support;

namespace FreeSwitchConf.Tests;

public sealed class ModulesTests
{
    private static readonly XDocument Document = ConfTree.Document();

    private static string[] Loaded => Document.Configuration("modules.conf").Element("modules")!
        .Elements("load").Select(l => (string)l.Attribute("module")!).ToArray();

    [Fact]
    public void The_module_list_comes_from_freeswitch_1_10_12()
    {
        Assert.Equal("a88d069d6ffb74df797bcaf001f7e63181c07a09", FreeSwitchSource.Commit);
        Assert.Contains("mod_sofia", FreeSwitchSource.Modules);
        Assert.DoesNotContain("mod_g711", FreeSwitchSource.Modules); // G.711 is in the core, not a module
    }

    [Fact]
    public void Every_loaded_module_exists_in_freeswitch_and_none_is_loaded_twice()
    {
        Assert.All(Loaded, m => Assert.Contains(m, FreeSwitchSource.Modules));
        Assert.Equal(Loaded.Length, Loaded.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_loaded_modules_are_exactly_the_ones_the_readme_justifies()
    {
        string[] expected =
        [
            "mod_console", "mod_logfile", "mod_xml_curl", "mod_event_socket", "mod_json_cdr", "mod_sofia", "mod_rtc",
            "mod_verto", "mod_dptools", "mod_commands", "mod_conference", "mod_dialplan_xml", "mod_opus", "mod_h26x",
            "mod_sndfile",
        ];
        var readme = File.ReadAllText(ConfTree.PathOf("README.md"));

        Assert.Equal(expected, Loaded);
        Assert.All(expected, m => Assert.Contains("`" + m + "`", readme, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("mod_console", "mod_logfile")]
    [InlineData("mod_xml_curl", "mod_sofia")]
    [InlineData("mod_xml_curl", "mod_verto")]
    [InlineData("mod_rtc", "mod_verto")]
    public void Order_matters_where_one_module_needs_another_at_start(string first, string then)
    {
        Assert.True(Array.IndexOf(Loaded, first) < Array.IndexOf(Loaded, then), $"{first} loads before {then}");
    }

    [Fact]
    public void Every_module_with_a_configuration_here_is_loaded()
    {
        var configured = Document.Root!.Elements("section").Single(s => (string?)s.Attribute("name") == "configuration")
            .Elements("configuration").Select(c => (string)c.Attribute("name")!)
            .Where(n => n is not ("modules.conf" or "switch.conf" or "acl.conf"))
            .Select(n => "mod_" + n[..^".conf".Length]);

        Assert.All(configured, m => Assert.Contains(m, Loaded));
    }

    [Fact]
    public void Every_dialplan_application_is_registered_by_a_loaded_module()
    {
        var apps = Document.Descendants("action").Select(a => (string)a.Attribute("application")!).Distinct().ToArray();

        Assert.NotEmpty(apps);
        Assert.All(apps, app => Assert.Contains(FreeSwitchSource.ModulesWithApp(app), m => Loaded.Contains(m)));
    }
}
