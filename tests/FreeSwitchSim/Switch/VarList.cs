namespace FreeSwitchSim.Switch;

/// <summary>
/// A channel's variables in FreeSWITCH's order: setting a variable removes the old line and appends the new one
/// at the end (switch_channel_set_variable → switch_event_del_header + add at the bottom).
/// </summary>
internal sealed class VarList
{
    private readonly List<KeyValuePair<string, string>> _items = new();

    // "variable_<name>" for each item, the header channel events carry it under: made once when the variable is
    // set rather than for every event that lists the variables.
    private readonly List<string> _headerNames = new();

    public IReadOnlyList<KeyValuePair<string, string>> Items => _items;

    /// <summary>The event header name of each item, index for index.</summary>
    public IReadOnlyList<string> HeaderNames => _headerNames;

    public string? Get(string name)
    {
        foreach (var kv in _items)
        {
            if (string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return kv.Value;
            }
        }
        return null;
    }

    /// <summary>Sets (or, with a null or empty value, unsets) a variable.</summary>
    public void Set(string name, string? value)
    {
        string? headerName = null;
        for (var i = _items.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_items[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                if (string.Equals(_items[i].Key, name, StringComparison.Ordinal))
                {
                    headerName = _headerNames[i];
                }
                _items.RemoveAt(i);
                _headerNames.RemoveAt(i);
            }
        }
        if (!string.IsNullOrEmpty(value))
        {
            _items.Add(new(name, value));
            _headerNames.Add(headerName ?? "variable_" + name);
        }
    }

    /// <summary>Applies a captured template, filling its {placeholders}.</summary>
    public void Apply(IEnumerable<(string Name, string Value)> template, IReadOnlyDictionary<string, string> fill)
    {
        foreach (var (name, value) in template)
        {
            Set(name, Fill(value, fill));
        }
    }

    public static string Fill(string value, IReadOnlyDictionary<string, string> fill)
    {
        if (!value.Contains('{', StringComparison.Ordinal))
        {
            return value;
        }
        foreach (var kv in fill)
        {
            value = value.Replace("{" + kv.Key + "}", kv.Value, StringComparison.Ordinal);
        }
        return value;
    }

    public Dictionary<string, string> ToDictionary()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in _items)
        {
            d[kv.Key] = kv.Value;
        }
        return d;
    }
}
