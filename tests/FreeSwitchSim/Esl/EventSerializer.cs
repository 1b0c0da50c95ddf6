using System.Buffers;
using System.Globalization;
using System.Text;
using FreeSwitchSim.Core;

namespace FreeSwitchSim.Esl;

/// <summary>The three formats a listener can ask for with <c>event plain|json|xml</c>.</summary>
internal enum EventFormat
{
    Plain,
    Json,
    Xml,
}

/// <summary>
/// Serialises one event for one listener, as mod_event_socket does at write time (switch_event.c):
/// plain = <c>switch_event_serialize</c> (percent-encoded values, <c>_undef_</c> for an empty value, inner
/// Content-Length + body); json = <c>switch_event_serialize_json</c> (cJSON, unformatted, arrays for
/// <c>ARRAY::</c> values, Content-Length then <c>_body</c>); xml = <c>switch_event_xmlize</c>.
/// </summary>
internal static class EventSerializer
{
    private const string ArrayPrefix = "ARRAY::";

    public static string FormatName(EventFormat format) => format switch
    {
        EventFormat.Json => "json",
        EventFormat.Xml => "xml",
        _ => "plain",
    };

    /// <summary>The whole wire frame: envelope (Content-Length of the payload in bytes) then the payload.</summary>
    /// <remarks>The bytes depend on the event and the format only, so the frame is built once per format and shared
    /// by every listener the event goes to (callers must not change the array).</remarks>
    public static byte[] Frame(SimEvent e, EventFormat format)
    {
        var slot = (int)format;
        if (e.CachedFrame(slot) is { } cached)
        {
            return cached;
        }
        var frame = BuildFrame(e, format);
        e.CacheFrame(slot, FormatCount, frame);
        return frame;
    }

    private const int FormatCount = 3;

    private static byte[] BuildFrame(SimEvent e, EventFormat format)
    {
        if (format == EventFormat.Plain)
        {
            return PlainFrame(e);
        }

        var payload = format switch
        {
            EventFormat.Json => Json(e),
            _ => Xml(e),
        };
        var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"Content-Length: {payload.Length}\nContent-Type: text/event-{FormatName(format)}\n\n"));
        var frame = new byte[head.Length + payload.Length];
        head.CopyTo(frame, 0);
        payload.CopyTo(frame, head.Length);
        return frame;
    }

    /// <summary><c>switch_event_serialize(event, &amp;str, SWITCH_TRUE)</c>.</summary>
    public static byte[] Plain(SimEvent e)
    {
        var payload = Scratch();
        WritePlain(e, payload);
        return payload.WrittenSpan.ToArray();
    }

    // One growing buffer per thread for building payloads: an event is tens of headers and several KB, and a fresh
    // buffer per event (grown and zeroed each time) was a large share of the simulator's allocations.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    private static ArrayBufferWriter<byte> Scratch()
    {
        var scratch = t_scratch ??= new ArrayBufferWriter<byte>(16 * 1024);
        scratch.ResetWrittenCount();
        return scratch;
    }

    private static ReadOnlySpan<byte> PlainHead => "Content-Length: "u8;

    private static ReadOnlySpan<byte> PlainType => "\nContent-Type: text/event-plain\n\n"u8;

    /// <summary><see cref="Frame"/> for plain events, the payload written once into a scratch buffer then copied
    /// behind its envelope (most listeners ask for plain, so this is the simulator's busiest path).</summary>
    private static byte[] PlainFrame(SimEvent e)
    {
        var payload = Scratch();
        WritePlain(e, payload);
        Span<byte> digits = stackalloc byte[16];
        payload.WrittenCount.TryFormat(digits, out var digitCount, default, CultureInfo.InvariantCulture);
        var headLength = PlainHead.Length + digitCount + PlainType.Length;
        var frame = GC.AllocateUninitializedArray<byte>(headLength + payload.WrittenCount);
        var at = frame.AsSpan();
        PlainHead.CopyTo(at);
        digits[..digitCount].CopyTo(at[PlainHead.Length..]);
        PlainType.CopyTo(at[(PlainHead.Length + digitCount)..]);
        payload.WrittenSpan.CopyTo(at[headLength..]);
        return frame;
    }

    private static void WritePlain(SimEvent e, ArrayBufferWriter<byte> to)
    {
        foreach (var h in e.Headers)
        {
            Utf8(to, h.Key);
            Bytes(to, ": "u8);
            if (FsUrlEncoder.EncodeTo(h.Value, to) == 0)
            {
                Bytes(to, "_undef_"u8);
            }
            Bytes(to, "\n"u8);
        }
        var body = e.Body ?? "";
        if (body.Length == 0)
        {
            Bytes(to, "\n"u8);
            return;
        }
        Utf8(to, string.Create(CultureInfo.InvariantCulture, $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\n\n"));
        Utf8(to, body);
    }

    private static void Bytes(ArrayBufferWriter<byte> to, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(to.GetSpan(bytes.Length));
        to.Advance(bytes.Length);
    }

    private static void Utf8(ArrayBufferWriter<byte> to, string text)
    {
        var written = Encoding.UTF8.GetBytes(text, to.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        to.Advance(written);
    }

    /// <summary><c>switch_event_serialize_json</c>: cJSON_PrintUnformatted of the header object.</summary>
    public static byte[] Json(SimEvent e)
    {
        var buf = new List<byte>(4096) { (byte)'{' };
        var first = true;
        foreach (var h in e.Headers)
        {
            Comma(buf, ref first);
            JsonString(buf, h.Key);
            buf.Add((byte)':');
            if (h.Value.StartsWith(ArrayPrefix, StringComparison.Ordinal))
            {
                // An ARRAY:: value is held as an array header inside FreeSWITCH (switch_event_add_array).
                buf.Add((byte)'[');
                var items = h.Value[ArrayPrefix.Length..].Split("|:");
                for (var i = 0; i < items.Length; i++)
                {
                    if (i > 0)
                    {
                        buf.Add((byte)',');
                    }
                    JsonString(buf, items[i]);
                }
                buf.Add((byte)']');
            }
            else
            {
                JsonString(buf, h.Value);
            }
        }
        if (e.Body is not null)
        {
            Comma(buf, ref first);
            JsonString(buf, "Content-Length");
            buf.Add((byte)':');
            JsonString(buf, Encoding.UTF8.GetByteCount(e.Body).ToString(CultureInfo.InvariantCulture));
            buf.Add((byte)',');
            JsonString(buf, "_body");
            buf.Add((byte)':');
            JsonString(buf, e.Body);
        }
        buf.Add((byte)'}');
        return [.. buf];
    }

    /// <summary><c>switch_event_xmlize</c> + <c>switch_xml_toxml</c> (switch_xml.c): two-space indent, values
    /// percent-encoded, the body amp-encoded with the closing tag indented after a trailing newline.</summary>
    public static byte[] Xml(SimEvent e)
    {
        var sb = new StringBuilder(4096);
        sb.Append("<event>\n  <headers>\n");
        foreach (var h in e.Headers)
        {
            var values = h.Value.StartsWith(ArrayPrefix, StringComparison.Ordinal)
                ? h.Value[ArrayPrefix.Length..].Split("|:")
                : [h.Value];
            foreach (var v in values)
            {
                var encoded = XmlEscape(FsUrlEncoder.Encode(v));
                sb.Append("    <").Append(h.Key).Append('>').Append(encoded).Append("</").Append(h.Key).Append(">\n");
            }
        }
        sb.Append("  </headers>\n");
        if (!string.IsNullOrEmpty(e.Body))
        {
            var blen = Encoding.UTF8.GetByteCount(e.Body).ToString(CultureInfo.InvariantCulture);
            sb.Append("  <Content-Length>").Append(blen).Append("</Content-Length>\n");
            var body = XmlEscape(e.Body);
            sb.Append("  <body>").Append(body).Append(body.EndsWith('\n') ? "  " : "").Append("</body>\n");
        }
        sb.Append("</event>\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static void Comma(List<byte> buf, ref bool first)
    {
        if (!first)
        {
            buf.Add((byte)',');
        }
        first = false;
    }

    // cJSON print_string_ptr: escapes " \ \b \f \n \r \t, other bytes below 32 as \u00xx, everything else raw
    // (UTF-8 passes through unescaped, '/' is not escaped).
    private static void JsonString(List<byte> buf, string s)
    {
        buf.Add((byte)'"');
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            switch (b)
            {
                case (byte)'"': buf.Add((byte)'\\'); buf.Add((byte)'"'); break;
                case (byte)'\\': buf.Add((byte)'\\'); buf.Add((byte)'\\'); break;
                case (byte)'\b': buf.Add((byte)'\\'); buf.Add((byte)'b'); break;
                case (byte)'\f': buf.Add((byte)'\\'); buf.Add((byte)'f'); break;
                case (byte)'\n': buf.Add((byte)'\\'); buf.Add((byte)'n'); break;
                case (byte)'\r': buf.Add((byte)'\\'); buf.Add((byte)'r'); break;
                case (byte)'\t': buf.Add((byte)'\\'); buf.Add((byte)'t'); break;
                case < 32:
                    buf.AddRange(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"\\u{b:x4}")));
                    break;
                default: buf.Add(b); break;
            }
        }
        buf.Add((byte)'"');
    }

    // switch_xml_ampencode for text: & < > escaped, CR as &#xD;, quotes and LF as they are.
    private static string XmlEscape(string s) =>
        s.Replace("&", "&amp;", StringComparison.Ordinal)
         .Replace("<", "&lt;", StringComparison.Ordinal)
         .Replace(">", "&gt;", StringComparison.Ordinal)
         .Replace("\r", "&#xD;", StringComparison.Ordinal);
}
