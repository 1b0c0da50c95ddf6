using System.Text.RegularExpressions;
using System.Xml.Linq;
using FreeSwitchConf.Tests.Support;

namespace FreeSwitchConf.Tests;

public sealed partial class VariablesTests
{
    private static readonly XDocument Vars = XDocument.Load(ConfTree.PathOf("vars.xml"));

    private static Dictionary<string, string> Directives(string command) => Vars.Root!.Elements("X-PRE-PROCESS")
        .Where(e => (string?)e.Attribute("cmd") == command)
        .Select(e => ((string)e.Attribute("data")!).Split('=', 2))
        .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    private static Dictionary<string, string> Defaults => Directives("set");

    private static Dictionary<string, string> FromEnvironment => Directives("env-set");

    [GeneratedRegex(@"\$\$\{([^}]*)\}")]
    private static partial Regex VariableReference();

    [Fact]
    public void Every_variable_used_in_any_file_is_defined_in_vars_xml_or_by_the_core()
    {
        var defined = Defaults.Keys.Concat(FromEnvironment.Keys).Concat(FreeSwitchSource.CoreVariables).ToHashSet(StringComparer.Ordinal);
        var files = ConfTree.XmlFiles().Append(ConfTree.PathOf("vars.local.xml.example"));
        var used = files.SelectMany(f => VariableReference().Matches(File.ReadAllText(f)).Select(m => (File: f, Name: m.Groups[1].Value))).ToArray();

        Assert.NotEmpty(used);
        Assert.All(used, u => Assert.True(defined.Contains(u.Name), $"$${{{u.Name}}} in {u.File} is defined nowhere"));
    }

    [Fact]
    public void Every_variable_is_defined_before_its_first_use_as_freeswitch_reads_the_files()
    {
        var result = ConfTree.Preprocess();

        Assert.NotEmpty(result.Uses);
        Assert.All(result.Uses, u => Assert.True(u.Defined, $"$${{{u.Name}}} at {u.File}:{u.Line} is empty when FreeSWITCH reads it"));
    }

    [Fact]
    public void The_environment_can_set_every_variable_and_every_one_but_the_core_recordings_dir_has_a_default()
    {
        Assert.Equal(Defaults.Keys.Order(StringComparer.Ordinal), FromEnvironment.Keys.Where(k => k != "recordings_dir").Order(StringComparer.Ordinal));
        Assert.Contains("recordings_dir", FreeSwitchSource.CoreVariables);
        Assert.All(FromEnvironment.Values, v => Assert.Matches("^\\$[A-Z][A-Z0-9_]*$", v));
    }

    [Theory]
    [InlineData("esl_password")]
    [InlineData("callcontrol_callback_secret")]
    [InlineData("carrier_password")]
    [InlineData("carrier_username")]
    public void Secret_defaults_say_they_are_for_development_only(string name)
    {
        Assert.StartsWith("dev-only-", Defaults[name], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("esl_listen_ip")]
    [InlineData("verto_ws_ip")]
    [InlineData("verto_wss_ip")]
    public void Listeners_default_to_loopback(string name)
    {
        Assert.Equal("127.0.0.1", Defaults[name]);
    }

    [Fact]
    public void No_default_value_needs_xml_escaping()
    {
        Assert.All(Defaults.Values, v => Assert.DoesNotMatch("[\"<&]", v));
    }

    [Fact]
    public void The_environment_wins_over_vars_local_xml_which_wins_over_the_defaults()
    {
        var folder = ConfTree.CopyToTemp();
        try
        {
            File.WriteAllText(Path.Combine(folder, "vars.local.xml"), """
                <include>
                  <X-PRE-PROCESS cmd="set" data="esl_password=from-local-file"/>
                  <X-PRE-PROCESS cmd="set" data="esl_listen_ip=10.1.2.3"/>
                </include>
                """);
            var env = new Dictionary<string, string> { ["FS_ESL_PASSWORD"] = "from-environment" };

            var local = ConfTree.Document(folder: folder).Configuration("event_socket.conf").Element("settings")!;
            var both = ConfTree.Document(env, folder).Configuration("event_socket.conf").Element("settings")!;

            Assert.Equal("from-local-file", local.Param("password"));
            Assert.Equal("10.1.2.3", local.Param("listen-ip"));
            Assert.Equal("from-environment", both.Param("password"));
            Assert.Equal("10.1.2.3", both.Param("listen-ip"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_example_local_file_sets_only_variables_vars_xml_knows()
    {
        var example = XDocument.Load(ConfTree.PathOf("vars.local.xml.example"));
        var names = example.Root!.Elements("X-PRE-PROCESS").Select(e => ((string)e.Attribute("data")!).Split('=')[0]).ToArray();

        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.Contains(n, FromEnvironment.Keys));
    }
}
