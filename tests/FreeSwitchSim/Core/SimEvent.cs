namespace FreeSwitchSim.Core;

/// <summary>
/// One FreeSWITCH event as the core fires it: ordered header lines (raw, unencoded values, repeats allowed)
/// and an optional body. The ESL layer serialises it (plain: percent-encoded values and an inner
/// Content-Length for the body; json: a JSON object with <c>_body</c>) separately for each listener.
/// </summary>
public sealed class SimEvent
{
    public SimEvent(string name, string? subclass = null)
        : this(name, subclass, 0)
    {
    }

    /// <summary>An event whose header list is made room for <paramref name="capacity"/> headers up front.</summary>
    public SimEvent(string name, string? subclass, int capacity)
    {
        Name = name;
        Subclass = subclass;
        Headers = new(capacity);
    }

    /// <summary>Event-Name, e.g. CHANNEL_CREATE, CUSTOM, BACKGROUND_JOB.</summary>
    public string Name { get; }

    /// <summary>Event-Subclass for CUSTOM events (e.g. <c>verto::login</c>), otherwise null.</summary>
    public string? Subclass { get; }

    /// <summary>Header lines in the order FreeSWITCH writes them, first one being Event-Name.</summary>
    public List<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The event body (BACKGROUND_JOB output, MESSAGE text), or null.</summary>
    public string? Body { get; set; }

    /// <summary>The channel this event belongs to (Unique-ID), or null; used by myevents and filters.</summary>
    public string? UniqueId => Get("Unique-ID");

    // The ESL layer's serialised frames, one slot per event format: built by the first listener that writes the
    // event, shared by the others. Stamped with the header count and body they were built from, so an event
    // given more headers or another body afterwards is serialised again rather than sent stale.
    private byte[]?[]? _frames;
    private int _framesHeaderCount;
    private string? _framesBody;

    public SimEvent Add(string name, string value)
    {
        Headers.Add(new(name, value));
        return this;
    }

    /// <summary>The frame serialised earlier for this format slot, if the event has not changed since.</summary>
    internal byte[]? CachedFrame(int slot)
    {
        lock (Headers)
        {
            return _frames is not null && _framesHeaderCount == Headers.Count && ReferenceEquals(_framesBody, Body)
                ? _frames[slot]
                : null;
        }
    }

    internal void CacheFrame(int slot, int slots, byte[] frame)
    {
        lock (Headers)
        {
            if (_frames is null || _framesHeaderCount != Headers.Count || !ReferenceEquals(_framesBody, Body))
            {
                _frames = new byte[]?[slots];
                _framesHeaderCount = Headers.Count;
                _framesBody = Body;
            }
            _frames[slot] = frame;
        }
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
