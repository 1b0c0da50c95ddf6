using CallControl.Esl.Events;
using CallControl.Esl.Protocol;

namespace CallControl.Esl.Tests.Captures;

/// <summary>A frame reduced to what the capture tests compare, copied out so the pooled buffers can go back.</summary>
internal sealed record DecodedFrame(
    long Offset,
    int Length,
    EslFrameKind Kind,
    string? ContentType,
    string? ReplyText,
    string Body,
    DecodedEvent? Event);

/// <summary>An event's decoded headers, in order, and its body.</summary>
internal sealed record DecodedEvent(EslEventFormat Format, IReadOnlyList<KeyValuePair<string, string>> Headers, string? Body, int DecodeProblems)
{
    public string? this[string name] =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public string? Name => this["Event-Name"];

    /// <summary>The name as the captures README writes it: CUSTOM events with their subclass.</summary>
    public string DisplayName => Name == "CUSTOM" && this["Event-Subclass"] is { } sub ? $"CUSTOM {sub}" : Name ?? "";
}

internal static class CaptureDecoding
{
    public static IReadOnlyList<DecodedFrame> DecodeAll(byte[] stream) =>
        [.. EslStreamDecoder.DecodeAll(stream).Select(Decode)];

    public static async Task<IReadOnlyList<DecodedFrame>> DecodeAllAsync(EslStreamDecoder decoder, CancellationToken ct)
    {
        var frames = new List<DecodedFrame>();
        await foreach (var frame in decoder.ReadAllAsync(ct))
        {
            frames.Add(Decode(frame));
        }

        return frames;
    }

    /// <summary>Copies what matters out of the frame and disposes it.</summary>
    public static DecodedFrame Decode(EslFrame frame)
    {
        var offset = frame.StreamOffset;
        var length = frame.Length;
        var kind = frame.Kind;
        var contentType = frame.ContentType;
        var replyText = frame.ReplyText;
        var body = frame.BodyText;
        if (!frame.CarriesEvent)
        {
            frame.Dispose();
            return new DecodedFrame(offset, length, kind, contentType, replyText, body, null);
        }

        using var ev = EslEvent.FromFrame(frame);
        var headers = ev.Headers.ToList();
        return new DecodedFrame(offset, length, kind, contentType, replyText, body, new DecodedEvent(ev.Format, headers, ev.Body, ev.DecodeProblems));
    }

    /// <summary>
    /// A canonical text of a frame: offset, length, kind, envelope lines, body bytes, and the decoded event. Two decodes of
    /// the same bytes, however they were chunked, must render identically.
    /// </summary>
    public static string Render(EslFrame frame)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append('@').Append(frame.StreamOffset).Append('+').Append(frame.Length).Append(' ').Append(frame.Kind).Append('\n');
        foreach (var (name, value) in frame.Headers)
        {
            sb.Append(name).Append(": ").Append(value).Append('\n');
        }

        sb.Append("body ").Append(Convert.ToHexString(frame.BodySpan)).Append('\n');
        if (frame.CarriesEvent)
        {
            using var ev = EslEvent.FromFrame(frame);
            foreach (var (name, value) in ev.Headers)
            {
                sb.Append("  ").Append(name).Append(" = ").Append(value).Append('\n');
            }

            sb.Append("  body ").Append(ev.Body).Append("\n  problems ").Append(ev.DecodeProblems).Append('\n');
        }
        else
        {
            frame.Dispose();
        }

        return sb.ToString();
    }
}
