using System.Buffers;
using System.Globalization;
using System.Text;

namespace FreeSwitchSim.Switch;

/// <summary>The body mod_json_cdr posts (json_cdr/*.post.txt): compact JSON, string values of "variables"
/// percent-encoded (encode-values=true).</summary>
internal static class CdrJson
{
    /// <summary>The leg's CDR as the UTF-8 bytes of the POST body.</summary>
    public static byte[] Build(Channel c, string coreUuid, string switchname)
    {
        // A leg's CDR is about 18 KB, built at every leg's end: written as UTF-8 into one buffer per thread and copied
        // out once, rather than through a StringBuilder, a string and its bytes (most of the simulator's allocation).
        var sb = new Utf8Json(Scratch());
        sb.Append('{');
        Field(sb, "core-uuid", coreUuid, comma: false);
        Field(sb, "switchname", switchname);
        sb.Append(",\"channel_data\":{");
        Field(sb, "state", "CS_REPORTING", comma: false);
        Field(sb, "direction", c.Direction);
        Field(sb, "state_number", "11");
        Field(sb, "flags", c.Answered ? "0=1;1=1;2=1;22=1;39=1;40=1;42=1;100=1;113=1;114=1" : "0=1;2=1;30=1;40=1;42=1;100=1;113=1;114=1");
        Field(sb, "caps", "1=1;2=1;3=1;4=1;5=1;6=1;8=1;9=1;10=1");
        sb.Append("},\"callStats\":{");
        if (c.HasCodec)
        {
            sb.Append("\"audio\":{\"inbound\":{\"raw_bytes\":0,\"media_bytes\":0,\"packet_count\":0,\"media_packet_count\":0,")
                .Append("\"skip_packet_count\":0,\"jitter_packet_count\":0,\"dtmf_packet_count\":0,\"cng_packet_count\":0,")
                .Append("\"flush_packet_count\":0,\"largest_jb_size\":0,\"jitter_min_variance\":0,\"jitter_max_variance\":0,")
                .Append("\"jitter_loss_rate\":0,\"jitter_burst_rate\":0,\"mean_interval\":0,\"flaw_total\":0,")
                .Append("\"quality_percentage\":100,\"mos\":4.5},\"outbound\":{\"raw_bytes\":0,\"media_bytes\":0,")
                .Append("\"packet_count\":0,\"media_packet_count\":0,\"skip_packet_count\":0,\"dtmf_packet_count\":0,")
                .Append("\"cng_packet_count\":0,\"rtcp_packet_count\":0,\"rtcp_octet_count\":0}}");
        }
        sb.Append("},\"variables\":{");
        var first = true;
        foreach (var kv in c.Vars.Items)
        {
            // Percent-encoded straight into the body: the encoding leaves nothing cJSON would escape (quotes,
            // backslashes and control characters are all written %XX).
            if (!first)
            {
                sb.Append(',');
            }
            sb.String(kv.Key);
            sb.Append(":\"");
            sb.UrlEncoded(kv.Value);
            sb.Append('"');
            first = false;
        }
        sb.Append('}');
        if (c.AppLog.Count > 0)
        {
            sb.Append(",\"app_log\":{\"applications\":[");
            for (var i = 0; i < c.AppLog.Count; i++)
            {
                var (name, data, stamp) = c.AppLog[i];
                sb.Append(i == 0 ? "{" : ",{");
                Field(sb, "app_name", name, comma: false);
                Field(sb, "app_data", data);
                Field(sb, "app_stamp", stamp.ToString(CultureInfo.InvariantCulture));
                sb.Append('}');
            }
            sb.Append("]}");
        }
        sb.Append(",\"callflow\":[{");
        Field(sb, "profile_index", "1", comma: false);
        if (c.ExtensionApps.Count > 0)
        {
            sb.Append(",\"extension\":{");
            Field(sb, "name", c.Profile.DestinationNumber, comma: false);
            Field(sb, "number", c.Profile.DestinationNumber);
            sb.Append(",\"applications\":[");
            for (var i = 0; i < c.ExtensionApps.Count; i++)
            {
                sb.Append(i == 0 ? "{" : ",{");
                Field(sb, "app_name", c.ExtensionApps[i].Name, comma: false);
                Field(sb, "app_data", c.ExtensionApps[i].Data ?? "");
                sb.Append('}');
            }
            sb.Append("]}");
        }
        var p = c.Profile;
        sb.Append(",\"caller_profile\":{");
        Field(sb, "username", p.Username, comma: false);
        Field(sb, "dialplan", p.Dialplan);
        Field(sb, "caller_id_name", p.CallerIdName);
        Field(sb, "ani", p.Ani);
        Field(sb, "aniii", "");
        Field(sb, "caller_id_number", p.CallerIdNumber);
        Field(sb, "network_addr", p.NetworkAddr);
        Field(sb, "rdnis", "");
        Field(sb, "destination_number", p.DestinationNumber);
        Field(sb, "uuid", c.Uuid);
        Field(sb, "source", p.Source);
        Field(sb, "context", p.Context);
        Field(sb, "chan_name", c.Name);
        sb.Append("},\"times\":{");
        string T(long v) => v.ToString(CultureInfo.InvariantCulture);
        Field(sb, "created_time", T(c.CreatedUs), comma: false);
        Field(sb, "profile_created_time", T(c.CreatedUs));
        Field(sb, "progress_time", T(c.ProgressUs));
        Field(sb, "progress_media_time", T(c.ProgressMediaUs));
        Field(sb, "answered_time", T(c.AnsweredUs));
        Field(sb, "bridged_time", T(c.BridgedUs));
        Field(sb, "last_hold_time", "0");
        Field(sb, "hold_accum_time", "0");
        Field(sb, "hangup_time", T(c.HangupUs));
        Field(sb, "resurrect_time", "0");
        Field(sb, "transfer_time", "0");
        sb.Append("}}]}");
        return sb.ToArray();
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    private static ArrayBufferWriter<byte> Scratch()
    {
        var scratch = t_scratch ??= new ArrayBufferWriter<byte>(32 * 1024);
        scratch.ResetWrittenCount();
        return scratch;
    }

    private static void Field(Utf8Json sb, string name, string value, bool comma = true)
    {
        if (comma)
        {
            sb.Append(',');
        }
        sb.String(name);
        sb.Append(':');
        sb.String(value);
    }

    /// <summary>Compact JSON written as UTF-8, strings escaped as cJSON escapes them (<see cref="EventText.String"/>).</summary>
    private readonly struct Utf8Json(ArrayBufferWriter<byte> to)
    {
        public void Append(char ascii)
        {
            to.GetSpan(1)[0] = (byte)ascii;
            to.Advance(1);
        }

        /// <summary>Text of the JSON's own structure (ASCII).</summary>
        public Utf8Json Append(string ascii)
        {
            var n = Encoding.ASCII.GetBytes(ascii, to.GetSpan(ascii.Length));
            to.Advance(n);
            return this;
        }

        public void String(string s)
        {
            Append('"');
            if (!EventText.NeedsJsonEscape(s))
            {
                var n = Encoding.UTF8.GetBytes(s, to.GetSpan(Encoding.UTF8.GetMaxByteCount(s.Length)));
                to.Advance(n);
            }
            else
            {
                var sb = new StringBuilder(s.Length + 16);
                EventText.String(sb, s);
                var escaped = sb.ToString(1, sb.Length - 2);
                var n = Encoding.UTF8.GetBytes(escaped, to.GetSpan(Encoding.UTF8.GetMaxByteCount(escaped.Length)));
                to.Advance(n);
            }
            Append('"');
        }

        public void UrlEncoded(string value) => Esl.FsUrlEncoder.EncodeTo(value, to);

        public byte[] ToArray() => to.WrittenSpan.ToArray();
    }
}
