using System.Text;
using System.Text.Json;
using CallControl.Esl.Protocol;

namespace CallControl.Esl.Events;

/// <summary>How an event arrived.</summary>
public enum EslEventFormat
{
    /// <summary><c>text/event-plain</c>: percent-encoded header block, optional inner body.</summary>
    Plain,

    /// <summary><c>text/event-json</c>: a JSON object, the body in <c>_body</c>.</summary>
    Json,

    /// <summary>The outbound <c>connect</c> reply: CHANNEL_DATA serialised in the envelope itself.</summary>
    ConnectReply,
}

/// <summary>
/// A FreeSWITCH event. Every header line is kept, in order, repeats included; values are decoded only when read
/// (plain events are percent-encoded by FreeSWITCH; decoding never throws: malformed <c>%</c> sequences are kept
/// as they are and invalid UTF-8 becomes U+FFFD, both counted in <see cref="DecodeProblems"/>).
/// An event parsed from a frame owns that frame; disposing the event returns its buffers to the pool.
/// </summary>
public sealed partial class EslEvent : IDisposable
{
    private readonly EslFrame? _frame;
    private readonly HeaderTable? _table;
    private readonly List<KeyValuePair<string, string>>? _json;
    private readonly int _bodyOffset;
    private readonly int _bodyLength;
    private readonly string? _jsonBody;
    private readonly int _jsonProblems;
    private string? _eventName;

    private EslEvent(EslFrame frame, HeaderTable table, int bodyOffset, int bodyLength, EslEventFormat format)
    {
        _frame = frame;
        _table = table;
        _bodyOffset = bodyOffset;
        _bodyLength = bodyLength;
        Format = format;
    }

    private EslEvent(List<KeyValuePair<string, string>> headers, string? body, int decodeProblems)
    {
        _jsonProblems = decodeProblems;
        _json = headers;
        _jsonBody = body;
        Format = EslEventFormat.Json;
    }

    /// <summary>How the event arrived.</summary>
    public EslEventFormat Format { get; }

    /// <summary>
    /// When the connection read the event, as a <see cref="System.Diagnostics.Stopwatch"/> timestamp (0 for an event not
    /// read off a connection). Latencies measured from an event's arrival start here, not at the handler that runs it.
    /// </summary>
    public long ReceivedTimestamp { get; internal set; }

    /// <summary>Number of header lines.</summary>
    public int HeaderCount => _table?.Count ?? _json!.Count;

    /// <summary>Malformed percent sequences and invalid UTF-8 values met while decoding this event's values so far.</summary>
    public int DecodeProblems => _table?.DecodeProblems ?? _jsonProblems;

    /// <summary>The first header with this name (ASCII case-insensitive), decoded; null when absent.</summary>
    public string? this[string name] => GetHeader(name);

    /// <summary>The first header with this name (ASCII case-insensitive), decoded; null when absent.</summary>
    public string? GetHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_table is not null)
        {
            return _table.Get(name);
        }

        foreach (var h in _json!)
        {
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return h.Value;
            }
        }

        return null;
    }

    /// <summary>Every value of a header that occurs more than once, in order.</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var values = new List<string>();
        if (_table is not null)
        {
            for (var i = _table.Find(name); i >= 0; i = _table.Find(name, i + 1))
            {
                values.Add(_table.Value(i));
            }

            return values;
        }

        foreach (var h in _json!)
        {
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                values.Add(h.Value);
            }
        }

        return values;
    }

    /// <summary>
    /// A multi-value header: FreeSWITCH serialises arrays as <c>ARRAY::v1|:v2</c> in plain events and as JSON arrays
    /// in JSON events. A single plain value comes back as a one-element list; a missing header as an empty one.
    /// </summary>
    public IReadOnlyList<string> GetArray(string name)
    {
        var all = GetAll(name);
        if (all.Count == 1 && all[0].StartsWith("ARRAY::", StringComparison.Ordinal))
        {
            return all[0]["ARRAY::".Length..].Split("|:");
        }

        return all;
    }

    /// <summary>The undecoded bytes of the first header with this name (empty when absent or a JSON event).</summary>
    public ReadOnlySpan<byte> GetRawHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_table is null)
        {
            return default;
        }

        var i = _table.Find(name);
        return i < 0 ? default : _table.RawValue(i);
    }

    /// <summary>Whether a header with this name is present.</summary>
    public bool HasHeader(string name) => _table is not null ? _table.Find(name) >= 0 : GetHeader(name) is not null;

    /// <summary>All header lines, in order, decoded.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers
    {
        get
        {
            if (_json is not null)
            {
                return _json;
            }

            var list = new List<KeyValuePair<string, string>>(_table!.Count);
            for (var i = 0; i < _table.Count; i++)
            {
                list.Add(new(_table.Name(i), _table.Value(i)));
            }

            return list;
        }
    }

    /// <summary>The event's body (BACKGROUND_JOB output, MESSAGE text, log text), or null when it has none.</summary>
    public string? Body => _json is not null
        ? _jsonBody
        : _bodyLength == 0 ? null : Encoding.UTF8.GetString(_frame!.Buffer, _bodyOffset, _bodyLength);

    /// <summary>The body's bytes (empty when none). For JSON events, the UTF-8 of <c>_body</c>.</summary>
    public ReadOnlyMemory<byte> BodyBytes => _json is not null
        ? (_jsonBody is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(_jsonBody))
        : _frame!.Buffer.AsMemory(_bodyOffset, _bodyLength);

    /// <summary>Returns the frame's buffers to the pool. The event must not be used afterwards.</summary>
    public void Dispose()
    {
        // The event's own index (the plain body's or the connect reply's decoding one) is separate from the frame's
        // envelope index: both go back to the pool, or every event would rent a fresh index array.
        _table?.Release();
        _frame?.Dispose();
    }

    /// <summary>
    /// Parses the event a frame carries: <c>text/event-plain</c>, <c>text/event-json</c>, or the outbound connect
    /// reply (a header block with no Content-Type that starts with <c>Event-Name</c>). Takes ownership of the
    /// frame. Throws <see cref="EslProtocolException"/> when the frame carries no event or a malformed one.
    /// </summary>
    public static EslEvent FromFrame(EslFrame frame, EslFrameLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        limits ??= EslFrameLimits.Default;
        switch (frame.Kind)
        {
            case EslFrameKind.EventPlain:
                return ParsePlain(frame, limits);
            case EslFrameKind.EventJson:
                var json = ParseJson(frame.BodySpan, frame.StreamOffset + frame.BodyOffset);
                frame.Dispose();
                return json;
            case EslFrameKind.None or EslFrameKind.CommandReply when frame.HeaderTable.Find("Event-Name") >= 0:
                var envelope = HeaderTable.Index(frame.Buffer, 0, frame.BodyOffset, percentEncoded: true, limits, out _);
                return new EslEvent(frame, envelope, 0, 0, EslEventFormat.ConnectReply);
            default:
                throw new EslProtocolException($"frame of kind {frame.Kind} carries no event", frame.StreamOffset);
        }
    }

    private static EslEvent ParsePlain(EslFrame frame, EslFrameLimits limits)
    {
        var start = frame.BodyOffset;
        var end = start + frame.BodyLength;
        HeaderTable table;
        int blockEnd;
        try
        {
            table = HeaderTable.Index(frame.Buffer, start, end, percentEncoded: true, limits, out blockEnd);
        }
        catch (EslProtocolException e)
        {
            throw new EslProtocolException("event body: " + e.Reason, frame.StreamOffset + e.Offset);
        }

        // An event with a body (BACKGROUND_JOB output, MESSAGE) carries its own Content-Length in its header block.
        var bodyLength = 0;
        if (table.TryGetInt64("Content-Length", out var inner))
        {
            if (inner < 0 || inner > end - blockEnd)
            {
                table.Release();
                throw new EslProtocolException($"event body Content-Length {inner} exceeds the {end - blockEnd} bytes left in the frame", frame.StreamOffset + blockEnd);
            }

            bodyLength = (int)inner;
        }

        return new EslEvent(frame, table, blockEnd, bodyLength, EslEventFormat.Plain);
    }
}
