using System.Globalization;
using System.Text;
using FreeSwitchSim.Core;

namespace FreeSwitchSim.Switch;

/// <summary>Event serialisations the switch itself prints (uuid_dump): plain (percent-encoded values) and cJSON.</summary>
internal static class EventText
{
    // What cJSON escapes: the quote, the backslash and every control character.
    private static readonly System.Buffers.SearchValues<char> JsonEscaped = System.Buffers.SearchValues.Create(
        "\"\\" + new string([.. Enumerable.Range(0, 0x20).Select(c => (char)c)]));

    /// <summary>switch_event_serialize: "Name: url-encoded value\n" per header, a blank line at the end.</summary>
    public static string Plain(SimEvent e)
    {
        var sb = new StringBuilder();
        foreach (var h in e.Headers)
        {
            sb.Append(h.Key).Append(": ").Append(h.Value.Length == 0 ? "_undef_" : UrlEncoding.Encode(h.Value)).Append('\n');
        }
        return sb.Append('\n').ToString();
    }

    /// <summary>switch_event_serialize_json: compact cJSON, ARRAY:: values as arrays, non-ASCII left as UTF-8.</summary>
    public static string Json(SimEvent e)
    {
        var sb = new StringBuilder("{");
        var first = true;
        foreach (var h in e.Headers)
        {
            if (!first)
            {
                sb.Append(',');
            }
            first = false;
            String(sb, h.Key);
            sb.Append(':');
            if (h.Value.StartsWith("ARRAY::", StringComparison.Ordinal))
            {
                var items = h.Value[7..].Split("|:");
                sb.Append('[');
                for (var i = 0; i < items.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }
                    String(sb, items[i]);
                }
                sb.Append(']');
            }
            else
            {
                String(sb, h.Value);
            }
        }
        return sb.Append('}').ToString();
    }

    /// <summary>Whether cJSON would escape any character of <paramref name="s"/>.</summary>
    public static bool NeedsJsonEscape(string s) => s.AsSpan().ContainsAny(JsonEscaped);

    /// <summary>cJSON's string escaping: quotes, backslash and control characters only.</summary>
    public static void String(StringBuilder sb, string s)
    {
        sb.Append('"');
        if (!NeedsJsonEscape(s))
        {
            // Most values have nothing to escape: appended whole rather than char by char.
            sb.Append(s).Append('"');
            return;
        }
        foreach (var ch in s)
        {
            switch (ch)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (ch < ' ')
                    {
                        sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(ch);
                    }
                    break;
            }
        }
        sb.Append('"');
    }
}
