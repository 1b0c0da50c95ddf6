using System.Text.RegularExpressions;
using FreeSwitchConf.Tests.Support;

namespace FreeSwitchConf.Tests;

/// <summary>
/// The modules the configuration leaves out must not include one the service needs: every API command and
/// every application the service's code sends over ESL is registered by a loaded module.
/// </summary>
public sealed partial class ServiceCommandsTests
{
    private static readonly string[] Loaded = ConfTree.Document().Configuration("modules.conf").Descendants("load")
        .Select(l => (string)l.Attribute("module")!).ToArray();

    private static readonly string[] Sources = Directory.GetFiles(
        Path.Combine(ConfTree.RepoRoot, "src", "CallControl"), "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        .Select(File.ReadAllText).ToArray();

    [GeneratedRegex(@"\b(?:Bg)?ApiAsync\(\s*""([a-z_]+)""")]
    private static partial Regex ApiCall();

    [GeneratedRegex(@"\bSendMsgExecuteAsync\([^,]+,\s*""([a-z_]+)""")]
    private static partial Regex AppCall();

    private static string[] Found(Regex pattern) =>
        Sources.SelectMany(s => pattern.Matches(s).Select(m => m.Groups[1].Value)).Distinct().Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Every_api_command_the_service_sends_comes_from_a_loaded_module()
    {
        var commands = Found(ApiCall());

        Assert.Contains("uuid_bridge", commands);
        Assert.Contains("uuid_record", commands);
        Assert.All(commands, c => Assert.True(
            FreeSwitchSource.ModulesWithApi(c).Any(Loaded.Contains),
            $"{c} is registered by {string.Join(", ", FreeSwitchSource.ModulesWithApi(c))}, none of them loaded"));
    }

    [Fact]
    public void Every_application_the_service_executes_comes_from_a_loaded_module()
    {
        var apps = Found(AppCall());

        Assert.Contains("bridge", apps);
        Assert.All(apps, a => Assert.True(FreeSwitchSource.ModulesWithApp(a).Any(Loaded.Contains), $"{a} comes from no loaded module"));
    }

    [Fact]
    public void The_wav_files_uuid_record_writes_have_a_loaded_format_module()
    {
        Assert.Contains(Sources, s => s.Contains(".wav\"", StringComparison.Ordinal));
        Assert.Contains("mod_sndfile", Loaded);
    }
}
