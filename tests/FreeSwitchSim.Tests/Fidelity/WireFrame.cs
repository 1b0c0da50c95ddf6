using CallControl.Esl.Events;
using CallControl.Esl.Protocol;

namespace FreeSwitchSim.Tests.Fidelity;

/// <summary>One decoded event: name, subclass, Unique-ID and every header line in order (values decoded), plus
/// for a text/event-plain event (<paramref name="Plain"/>) the headers whose raw value was percent-encoded, so the
/// encoding's shape can be compared too.</summary>
internal sealed record WireEvent(string Name, string? Subclass, string? UniqueId, IReadOnlyList<KeyValuePair<string, string>> Headers, IReadOnlySet<string> PercentEncoded, bool Plain = false)
{
    public string? Get(string name) => Headers.FirstOrDefault(h => h.Key == name).Value;

    /// <summary>The event type as a subscriber names it: CUSTOM events by their subclass.</summary>
    public string Type => Name == "CUSTOM" && Subclass is not null ? $"CUSTOM {Subclass}" : Name;

    /// <summary>Header names without channel variables, in order.</summary>
    public IEnumerable<string> ShapeNames => Headers.Select(h => h.Key).Where(k => !k.StartsWith("variable_", StringComparison.Ordinal));
}

/// <summary>One frame as it arrived, copied out of the decoder's pooled buffers: its kind, the reply text of a
/// command/reply, the body of an api/response or notice, or the event a text/event-* frame carries.</summary>
internal sealed record WireFrame(EslFrameKind Kind, string? ReplyText, string Body, WireEvent? Event, long Offset)
{
    public bool IsReply => Kind is EslFrameKind.CommandReply or EslFrameKind.ApiResponse;

    /// <summary>A reply as one comparable string: <c>Reply-Text</c> of a command/reply, <c>api: body</c> of an api/response.</summary>
    public string ReplyString => Kind == EslFrameKind.ApiResponse ? "api: " + Body : ReplyText ?? "";

    /// <summary>Copies what the tests need out of <paramref name="frame"/> and disposes it.</summary>
    public static WireFrame From(EslFrame frame)
    {
        var kind = frame.Kind;
        var offset = frame.StreamOffset;
        if (kind is EslFrameKind.EventPlain or EslFrameKind.EventJson)
        {
            using var e = EslEvent.FromFrame(frame);
            var encoded = new HashSet<string>(StringComparer.Ordinal);
            if (kind == EslFrameKind.EventPlain)
            {
                foreach (var h in e.Headers)
                {
                    if (e.GetRawHeader(h.Key).IndexOf((byte)'%') >= 0)
                    {
                        encoded.Add(h.Key);
                    }
                }
            }
            var ev = new WireEvent(e.EventName ?? "", e.Subclass, e.UniqueId, e.Headers.ToList(), encoded, kind == EslFrameKind.EventPlain);
            return new WireFrame(kind, null, e.Body ?? "", ev, offset);
        }
        using (frame)
        {
            return new WireFrame(kind, frame.ReplyText, frame.BodyText, null, offset);
        }
    }
}
