namespace FreeSwitchSim.Switch;

/// <summary>A parsed originate/bridge dial string: <c>{var=val,...}endpoint</c>; several legs after <c>|</c> or <c>,</c> are not supported.</summary>
internal sealed record DialString(IReadOnlyList<KeyValuePair<string, string>> Vars, string Endpoint)
{
    public static DialString Parse(string text)
    {
        var vars = new List<KeyValuePair<string, string>>();
        text = text.Trim();
        while (text.Length > 0 && (text[0] == '{' || text[0] == '['))
        {
            var close = text[0] == '{' ? '}' : ']';
            var end = text.IndexOf(close, StringComparison.Ordinal);
            if (end < 0)
            {
                break;
            }
            foreach (var pair in SplitVars(text[1..end]))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    vars.Add(new(pair[..eq].Trim(), pair[(eq + 1)..]));
                }
            }
            text = text[(end + 1)..];
        }
        return new DialString(vars, text.Trim());
    }

    /// <summary>Splits on commas outside single quotes (FreeSWITCH's <c>^^</c> custom separators are not handled).</summary>
    private static IEnumerable<string> SplitVars(string s)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\'')
            {
                quoted = !quoted;
            }
            else if (s[i] == ',' && !quoted)
            {
                yield return s[start..i];
                start = i + 1;
            }
        }
        if (start < s.Length)
        {
            yield return s[start..];
        }
    }

    public string? Get(string name)
    {
        foreach (var kv in Vars)
        {
            if (string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return kv.Value;
            }
        }
        return null;
    }
}
