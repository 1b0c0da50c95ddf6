namespace FreeSwitchConf.Tests.Support;

/// <summary>
/// Facts derived from FreeSWITCH 1.10.12's source tree by <c>FreeSwitchSource/derive.sh</c> (the commit is in
/// <c>SOURCE.txt</c>): its modules, each config parser's parameter names, the applications each module registers,
/// and the global variables the core defines before it reads the configuration.
/// </summary>
public static class FreeSwitchSource
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "FreeSwitchSource");

    /// <summary>The commit the facts come from.</summary>
    public static string Commit => Lines("SOURCE.txt").Single(l => l.StartsWith("commit ", StringComparison.Ordinal))["commit ".Length..];

    /// <summary>Every <c>src/mod/*/mod_*</c> in the tree.</summary>
    public static IReadOnlySet<string> Modules => Lines("modules.txt").ToHashSet(StringComparer.Ordinal);

    /// <summary>The global variables the core sets itself (<c>switch_core.c</c>).</summary>
    public static IReadOnlySet<string> CoreVariables => Lines("core-vars.txt").ToHashSet(StringComparer.Ordinal);

    /// <summary>The parameter names the parser of <paramref name="configuration"/> (e.g. <c>verto.conf</c>) compares.</summary>
    public static IReadOnlySet<string> Parameters(string configuration) =>
        Lines(Path.Combine("params", configuration + ".txt")).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The modules registering dialplan application <paramref name="app"/>.</summary>
    public static IReadOnlyList<string> ModulesWithApp(string app) => Lines("apps.txt")
        .Select(l => l.Split(' '))
        .Where(p => p[1] == app)
        .Select(p => p[0])
        .ToArray();

    /// <summary>The modules registering API command <paramref name="command"/> (e.g. <c>uuid_bridge</c>).</summary>
    public static IReadOnlyList<string> ModulesWithApi(string command) => Lines("apis.txt")
        .Select(l => l.Split(' '))
        .Where(p => p[1] == command)
        .Select(p => p[0])
        .ToArray();

    /// <summary>Sample values for the core's variables, as a source install under /usr/local/freeswitch has them.</summary>
    public static IReadOnlyDictionary<string, string> SampleCoreValues()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in CoreVariables)
        {
            values[name] = name switch
            {
                "local_ip_v4" => "192.0.2.10",
                "local_ip_v6" => "2001:db8::10",
                "local_mask_v4" => "255.255.255.0",
                "hostname" => "fs1",
                "core_uuid" => "00000000-0000-4000-8000-000000000001",
                "base_dir" => "/usr/local/freeswitch",
                "sound_prefix" => "/usr/local/freeswitch/sounds",
                _ when name.EndsWith("_dir", StringComparison.Ordinal) => "/usr/local/freeswitch/" + name[..^"_dir".Length],
                _ => "false",
            };
        }

        return values;
    }

    private static string[] Lines(string relative) => File.ReadAllLines(Path.Combine(Folder, relative))
        .Select(l => l.Trim())
        .Where(l => l.Length > 0)
        .ToArray();
}
