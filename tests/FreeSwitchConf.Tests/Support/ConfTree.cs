using System.Xml.Linq;

namespace FreeSwitchConf.Tests.Support;

/// <summary>The repository's <c>freeswitch-conf/</c> and the service's files the tests compare it with.</summary>
public static class ConfTree
{
    /// <summary>The repository root: the first folder above the test binary holding CallControl.sln.</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary><c>freeswitch-conf/</c>.</summary>
    public static string Folder => Path.Combine(RepoRoot, "freeswitch-conf");

    /// <summary>A path under <c>freeswitch-conf/</c>.</summary>
    public static string PathOf(string relative) => Path.Combine(Folder, relative);

    /// <summary>Every XML file FreeSWITCH could read (the example file excluded).</summary>
    public static IReadOnlyList<string> XmlFiles() => Directory
        .GetFiles(Folder, "*.xml", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The document FreeSWITCH would parse, from <paramref name="folder"/> (default: the repository's).</summary>
    public static PreprocessResult Preprocess(IReadOnlyDictionary<string, string>? environment = null, string? folder = null) =>
        FreeSwitchPreprocessor.Run(
            Path.Combine(folder ?? Folder, "freeswitch.xml"),
            FreeSwitchSource.SampleCoreValues(),
            environment ?? new Dictionary<string, string>());

    /// <summary>The parsed document with the defaults (empty environment, no vars.local.xml).</summary>
    public static XDocument Document(IReadOnlyDictionary<string, string>? environment = null, string? folder = null) =>
        XDocument.Parse(Preprocess(environment, folder).Text);

    /// <summary>A configuration by name (<c>verto.conf</c>) from the configuration section.</summary>
    public static XElement Configuration(this XDocument document, string name) => document.Root!
        .Elements("section").Single(s => (string?)s.Attribute("name") == "configuration")
        .Elements("configuration").Single(c => (string?)c.Attribute("name") == name);

    /// <summary>The value of the <c>param</c> named <paramref name="name"/> directly under <paramref name="parent"/>.</summary>
    public static string Param(this XElement parent, string name) =>
        (string)parent.Elements("param").Single(p => (string?)p.Attribute("name") == name).Attribute("value")!;

    /// <summary>A copy of <c>freeswitch-conf/</c> in a fresh temporary folder (for vars.local.xml tests).</summary>
    public static string CopyToTemp()
    {
        var target = Directory.CreateTempSubdirectory("fsconf-").FullName;
        foreach (var file in Directory.GetFiles(Folder, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CallControl.sln")) && Directory.Exists(Path.Combine(dir.FullName, "freeswitch-conf")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("CallControl.sln not found above " + AppContext.BaseDirectory);
    }
}
