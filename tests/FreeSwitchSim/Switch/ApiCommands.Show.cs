using System.Globalization;
using System.Text;

namespace FreeSwitchSim.Switch;

internal sealed partial class ApiCommands
{
    private static readonly string[] ChannelColumns =
    [
        "uuid", "direction", "created", "created_epoch", "name", "state", "cid_name", "cid_num", "ip_addr", "dest",
        "application", "application_data", "dialplan", "context", "read_codec", "read_rate", "read_bit_rate",
        "write_codec", "write_rate", "write_bit_rate", "secure", "hostname", "presence_id", "presence_data",
        "accountcode", "callstate", "callee_name", "callee_num", "callee_direction", "call_uuid", "sent_callee_name",
        "sent_callee_num", "initial_cid_name", "initial_cid_num", "initial_ip_addr", "initial_dest",
        "initial_dialplan", "initial_context",
    ];

    private static readonly string[] CallLegColumns =
    [
        "uuid", "direction", "created", "created_epoch", "name", "state", "cid_name", "cid_num", "ip_addr", "dest",
        "presence_id", "presence_data", "accountcode", "callstate", "callee_name", "callee_num", "callee_direction",
        "call_uuid", "hostname", "sent_callee_name", "sent_callee_num",
    ];

    /// <summary>show channels|calls [as json]: the core db's rows (json: compact, "row_count" first).</summary>
    private string Show(string args)
    {
        var p = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var what = p.Length > 0 ? p[0] : "";
        var json = p.Length >= 3 && p[1] == "as" && p[2] == "json";
        var legs = _engine.Channels.Values.OrderBy(c => c.CreatedUs).ToArray();
        List<List<KeyValuePair<string, string>>> rows;
        switch (what)
        {
            case "channels":
                rows = legs.Select(ChannelRow).ToList();
                break;
            case "calls":
                // One row per call: the A leg with its bridged B leg (or none).
                rows = legs.Where(c => c.BridgedTo is null || c.Direction == "inbound" && c.BridgedTo.Direction != "inbound" || c.UuidBridgeHolder)
                    .Select(CallRow).ToList();
                break;
            default:
                return "-USAGE: codec|endpoint|application|api|dialplan|file|timer|calls [count]|channels [count|like <match string>]|calls|detailed_calls|bridged_calls|detailed_bridged_calls|aliases|complete|chat|management|modules|nat_map|say|interfaces|interface_types|tasks|limits|status\n";
        }
        return json ? Json(rows) : Csv(rows, what == "channels" ? ChannelColumns : CallLegColumns);
    }

    private static string Json(List<List<KeyValuePair<string, string>>> rows)
    {
        if (rows.Count == 0)
        {
            return "{\"row_count\": 0}\n";
        }
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{{\"row_count\":{rows.Count},\"rows\":[");
        for (var i = 0; i < rows.Count; i++)
        {
            sb.Append(i == 0 ? "{" : ",{");
            for (var j = 0; j < rows[i].Count; j++)
            {
                if (j > 0)
                {
                    sb.Append(',');
                }
                EventText.String(sb, rows[i][j].Key);
                sb.Append(':');
                EventText.String(sb, rows[i][j].Value);
            }
            sb.Append('}');
        }
        return sb.Append("]}").ToString();
    }

    private static string Csv(List<List<KeyValuePair<string, string>>> rows, string[] columns)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', rows.Count > 0 ? rows[0].Select(kv => kv.Key) : columns)).Append('\n');
        foreach (var r in rows)
        {
            sb.Append(string.Join(',', r.Select(kv => kv.Value))).Append('\n');
        }
        sb.Append(CultureInfo.InvariantCulture, $"\n{rows.Count} total.\n");
        return sb.ToString();
    }

    private List<KeyValuePair<string, string>> ChannelRow(Channel c)
    {
        var p = c.Profile;
        var app = c.Running.Count > 0 ? c.Running[^1].Call : null;
        var codec = c.HasCodec;
        string Rate(int v) => codec ? v.ToString(CultureInfo.InvariantCulture) : "";
        var values = new[]
        {
            c.Uuid, c.Direction, _engine.Stamp(c.CreatedUs), Num(c.CreatedUs / 1_000_000), c.Name, c.RunningState,
            p.CallerIdName, p.CallerIdNumber, p.NetworkAddr, p.DestinationNumber, app?.Name ?? "", app?.Data ?? "",
            p.Dialplan, p.Context, codec ? c.CodecName : "", Rate(c.CodecRate), Rate(c.CodecBitRate),
            codec ? c.CodecName : "", Rate(c.CodecRate), Rate(c.CodecBitRate), "", _engine.Options.Hostname,
            c.PresenceId ?? "", "", c.Vars.Get("accountcode") ?? "", c.CallState, p.CalleeIdName ?? "",
            p.CalleeIdNumber ?? "", c.Flipped ? "RECV" : c.BridgedTo is not null ? "SEND" : "", c.CallUuid,
            c.Vars.Get("last_sent_callee_id_name") ?? "", c.Vars.Get("last_sent_callee_id_number") ?? "",
            c.Flipped ? c.InitialCallerIdName : p.CallerIdName, c.Flipped ? c.InitialCallerIdNumber : p.CallerIdNumber,
            p.NetworkAddr, p.DestinationNumber, p.Dialplan, p.Context,
        };
        return ChannelColumns.Zip(values, (k, v) => new KeyValuePair<string, string>(k, v)).ToList();
    }

    private List<KeyValuePair<string, string>> CallRow(Channel a)
    {
        var row = LegColumns(a, "");
        var b = a.BridgedTo;
        row.AddRange(b is null
            ? CallLegColumns.Where(k => k != "call_uuid" && k != "hostname").Select(k => new KeyValuePair<string, string>("b_" + k, ""))
            : LegColumns(b, "b_").Where(kv => kv.Key is not ("b_call_uuid" or "b_hostname")));
        row.Add(new("call_created_epoch", b is null ? "" : Num(Math.Min(a.BridgedUs, b.BridgedUs) / 1_000_000)));
        return row;
    }

    private List<KeyValuePair<string, string>> LegColumns(Channel c, string prefix)
    {
        var full = ChannelRow(c).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return CallLegColumns.Select(k => new KeyValuePair<string, string>(prefix + k, full[k])).ToList();
    }
}
