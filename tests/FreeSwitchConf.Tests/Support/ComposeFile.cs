using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace FreeSwitchConf.Tests.Support;

/// <summary>freeswitch-conf/compose.yaml, read with YamlDotNet, and compose's <c>${VAR}</c> interpolation syntax.</summary>
public sealed partial class ComposeFile
{
    private readonly YamlMappingNode _root;

    public ComposeFile(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        _root = (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    /// <summary>The services by name.</summary>
    public IReadOnlyDictionary<string, YamlMappingNode> Services => Map(_root, "services").Children
        .ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => (YamlMappingNode)kv.Value, StringComparer.Ordinal);

    /// <summary>A service's environment (mapping form), values as written (before interpolation).</summary>
    public IReadOnlyDictionary<string, string> Environment(string service) => Map(Services[service], "environment").Children
        .ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value ?? "", StringComparer.Ordinal);

    /// <summary>A scalar list of a service (<c>command</c>, <c>volumes</c>, <c>ports</c>).</summary>
    public IReadOnlyList<string> List(string service, string key) => Services[service].Children.TryGetValue(new YamlScalarNode(key), out var node)
        ? ((YamlSequenceNode)node).Children.Select(n => ((YamlScalarNode)n).Value!).ToArray()
        : [];

    /// <summary>A nested scalar, e.g. <c>Scalar("freeswitch", "networks", "callcontrol", "ipv4_address")</c>.</summary>
    public string Scalar(string service, params string[] path)
    {
        YamlNode node = Services[service];
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }

        return ((YamlScalarNode)node).Value!;
    }

    /// <summary>The interpolated variables in <paramref name="value"/>: name, and the operator (":?", ":-", or "").</summary>
    public static IReadOnlyList<(string Name, string Operator)> Variables(string value) => Interpolation().Matches(value)
        .Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToArray();

    /// <summary><paramref name="value"/> with every <c>${VAR...}</c> replaced by <paramref name="values"/>[VAR].</summary>
    public static string Interpolate(string value, IReadOnlyDictionary<string, string> values) =>
        Interpolation().Replace(value, m => values[m.Groups[1].Value]);

    /// <summary>Every variable the file interpolates.</summary>
    public static IReadOnlyList<(string Name, string Operator)> AllVariables(string text) => Variables(text);

    [GeneratedRegex(@"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(:\?|:-|\?|-)?[^}]*\}")]
    private static partial Regex Interpolation();

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];
}
