using System.Text.RegularExpressions;

namespace FreeSwitchSim.Switch;

/// <summary>
/// The test bed's dialplan (freeswitch-conf 00_rooms.xml): <c>room-&lt;id&gt;</c> parks, <c>sock-&lt;id&gt;</c> and
/// <c>socksingle-&lt;id&gt;</c> hand the call to an outbound socket, <c>conf-&lt;id&gt;</c> joins a conference.
/// Rules are checked in order; the first whose pattern matches the destination wins.
/// </summary>
internal sealed class Dialplan
{
    private readonly List<DialplanRule> _rules = new()
    {
        new DialplanRule(@"^room-(.+)$", m => [Set("room_id=" + m), App("park", null)]),
        new DialplanRule(@"^sock-(.+)$", m => [Set("room_id=" + m), App("socket", "{target} async full")]),
        new DialplanRule(@"^socksingle-(.+)$", m => [Set("room_id=" + m), App("socket", "{target}")]),
        new DialplanRule(@"^conf-(.+)$", m => [App("answer", null), App("conference", m + "@default")]),
    };

    /// <summary>Adds a rule ahead of the built-in ones.</summary>
    public void AddRule(DialplanRule rule) => _rules.Insert(0, rule);

    public DialplanMatch? Match(string destination, string socketTarget)
    {
        foreach (var rule in _rules)
        {
            var m = Regex.Match(destination, rule.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            if (!m.Success)
            {
                continue;
            }
            var group = m.Groups.Count > 1 ? m.Groups[1].Value : destination;
            var apps = rule.Apps(group)
                .Select(a => a.Data is null ? a : a with { Data = a.Data.Replace("{target}", socketTarget, StringComparison.Ordinal) })
                .ToArray();
            // The XML dialplan stores the regex captures as DP_MATCH: the whole match, then each group.
            var captures = string.Join("|:", m.Groups.Cast<Group>().Select(g => g.Value));
            return new DialplanMatch("ARRAY::" + captures, apps);
        }
        return null;
    }

    private static AppCall Set(string data) => new("set", data, null, true);

    private static AppCall App(string name, string? data) => new(name, data, null, true);
}

/// <summary>A dialplan extension: a destination pattern and the applications for its first capture group.</summary>
internal sealed record DialplanRule(string Pattern, Func<string, AppCall[]> Apps);

/// <summary>The matched extension: DP_MATCH (the captures, as an ARRAY:: value) and the applications to run.</summary>
internal sealed record DialplanMatch(string DpMatch, IReadOnlyList<AppCall> Apps);
