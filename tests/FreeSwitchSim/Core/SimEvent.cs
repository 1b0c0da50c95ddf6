namespace FreeSwitchSim.Core;

/// <summary>
/// One FreeSWITCH event as the core fires it: ordered header lines (raw, unencoded values, repeats allowed)
/// and an optional body. The ESL layer serialises it (plain: percent-encoded values and an inner
/// Content-Length for the body; json: a JSON object with <c>_body</c>) separately for each listener.
/// </summary>
public sealed class SimEvent
{
    public SimEvent(string name, string? subclass = null)
    {
        Name = name;
        Subclass = subclass;
    }

    /// <summary>Event-Name, e.g. CHANNEL_CREATE, CUSTOM, BACKGROUND_JOB.</summary>
    public string Name { get; }

    /// <summary>Event-Subclass for CUSTOM events (e.g. <c>verto::login</c>), otherwise null.</summary>
    public string? Subclass { get; }

    /// <summary>Header lines in the order FreeSWITCH writes them, first one being Event-Name.</summary>
    public List<KeyValuePair<string, string>> Headers { get; } = new();

    /// <summary>The event body (BACKGROUND_JOB output, MESSAGE text), or null.</summary>
    public string? Body { get; set; }

    /// <summary>The channel this event belongs to (Unique-ID), or null; used by myevents and filters.</summary>
    public string? UniqueId => Get("Unique-ID");

    public SimEvent Add(string name, string value)
    {
        Headers.Add(new(name, value));
        return this;
    }

    public string? Get(string name)
    {
        foreach (var h in Headers)
        {
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return h.Value;
            }
        }
        return null;
    }
}
