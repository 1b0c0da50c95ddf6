using System.Globalization;
using System.Text;

namespace FreeSwitchSim.Switch;

/// <summary>
/// cJSON_Print's formatted layout, which FreeSWITCH uses for <c>conference json_list</c>: tabs for indentation,
/// a tab after each colon, array elements separated by ", ".
/// </summary>
internal static class CJson
{
    public static string Print(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, int depth)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case string s:
                sb.Append('"').Append(s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                break;
            case int or long:
                sb.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case IEnumerable<KeyValuePair<string, object?>> obj:
                sb.Append("{\n");
                var first = true;
                foreach (var kv in obj)
                {
                    if (!first)
                    {
                        sb.Append(",\n");
                    }
                    first = false;
                    sb.Append('\t', depth + 1).Append('"').Append(kv.Key).Append("\":\t");
                    Write(sb, kv.Value, depth + 1);
                }
                if (!first)
                {
                    sb.Append('\n');
                }
                sb.Append('\t', depth).Append('}');
                break;
            case System.Collections.IEnumerable list:
                sb.Append('[');
                var firstItem = true;
                foreach (var item in list)
                {
                    if (!firstItem)
                    {
                        sb.Append(", ");
                    }
                    firstItem = false;
                    Write(sb, item, depth + 1);
                }
                sb.Append(']');
                break;
            default:
                sb.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
