using System.Text.Json;
using System.Text.RegularExpressions;

namespace FreeSwitchSim.Tests.Fidelity;

/// <summary>
/// Turns a reply into what must be equal on both sides: channel UUIDs become their role (&lt;leg0&gt;), other
/// generated UUIDs &lt;uuid&gt;, the uptime line and counters of <c>status</c> lose their numbers; a channel dump
/// (uuid_dump) becomes its header names, a JSON reply its key structure (channel variables aside in both): values are per call and per host.
/// </summary>
internal static partial class ReplyMask
{
    public static string Mask(string reply, IReadOnlyDictionary<string, int> roles, IReadOnlySet<string> clientUuids)
    {
        var body = reply.StartsWith("api: ", StringComparison.Ordinal) ? reply[5..] : null;
        if (body is not null && body.StartsWith("Event-Name: ", StringComparison.Ordinal))
        {
            var names = body.Split('\n').Select(l => l.Split(": ", 2)[0]).Where(n => n.Length > 0 && !n.StartsWith("variable_", StringComparison.Ordinal));
            return "api: <dump " + string.Join(",", names) + ">";
        }
        if (body is not null && body.TrimStart().StartsWith('{') || body is not null && body.TrimStart().StartsWith('['))
        {
            using var doc = JsonDocument.Parse(body);
            return "api: <json " + Shape(doc.RootElement) + ">";
        }
        var text = Uuid().Replace(reply, m =>
            roles.TryGetValue(m.Value, out var role) ? $"<leg{role}>" : clientUuids.Contains(m.Value) ? m.Value : "<uuid>");
        // status ("UP 0 years, 0 days, ...", session counters, idle CPU): every number depends on the node's life.
        return Uptime().IsMatch(text) ? Number().Replace(text, "<n>") : text;
    }

    private static string Shape(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", e.EnumerateObject().Where(p => !p.Name.StartsWith("variable_", StringComparison.Ordinal)).Select(p => p.Name + ":" + Shape(p.Value))) + "}",
        JsonValueKind.Array => "[" + (e.GetArrayLength() > 0 ? Shape(e[0]) : "") + "]",
        _ => e.ValueKind.ToString(),
    };

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();

    [GeneratedRegex("^api: UP [0-9]+ years?, ")]
    private static partial Regex Uptime();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Number();
}
