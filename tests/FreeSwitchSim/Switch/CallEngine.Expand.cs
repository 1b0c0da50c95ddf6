using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FreeSwitchSim.Switch;

internal sealed partial class CallEngine
{
    private static readonly Regex VarRef = new(@"\$\{([A-Za-z0-9_]+)(?:\(([^)]*)\))?\}", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>
    /// switch_channel_expand_variables / switch_event_expand_headers for what this product uses: channel variables,
    /// the globals hostname and domain, and the API functions strftime and verto_contact (which fire an API event).
    /// </summary>
    public string Expand(Channel? c, string text)
    {
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return text;
        }
        return VarRef.Replace(text, m =>
        {
            var name = m.Groups[1].Value;
            if (m.Groups[2].Success)
            {
                var arg = m.Groups[2].Value;
                Bus.Fire("API", null, CallSites.Api, e => e.Add("API-Command", name).Add("API-Command-Argument", arg));
                return name switch
                {
                    "strftime" => Strftime(arg),
                    "verto_contact" => VertoContact(arg),
                    _ => "",
                };
            }
            return name switch
            {
                "hostname" => Options.Hostname,
                "domain" or "domain_name" when c?.Vars.Get(name) is null => Options.VertoDomain,
                "local_ip_v4" when c?.Vars.Get(name) is null => Options.IPv4,
                _ => c?.Vars.Get(name) ?? "",
            };
        });
    }

    /// <summary>mod_verto's verto_contact: "verto.rtc/u:&lt;jsock uuid&gt;", or error/user_not_registered.</summary>
    private string VertoContact(string userAtDomain)
    {
        var client = Verto?.FindClient(userAtDomain.Split('@')[0]);
        return client is null ? "error/user_not_registered" : "verto.rtc/u:" + client.JsockUuid;
    }

    /// <summary>The C strftime conversions the stock dialplan uses (%a, %d %b %Y %T %z ...).</summary>
    public string Strftime(string format)
    {
        var now = TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), Clock.LocalTimeZone);
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var f = format[++i];
            sb.Append(f switch
            {
                'a' => now.ToString("ddd", CultureInfo.InvariantCulture),
                'b' => now.ToString("MMM", CultureInfo.InvariantCulture),
                'd' => now.ToString("dd", CultureInfo.InvariantCulture),
                'e' => now.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2),
                'm' => now.ToString("MM", CultureInfo.InvariantCulture),
                'Y' => now.ToString("yyyy", CultureInfo.InvariantCulture),
                'y' => now.ToString("yy", CultureInfo.InvariantCulture),
                'H' => now.ToString("HH", CultureInfo.InvariantCulture),
                'M' => now.ToString("mm", CultureInfo.InvariantCulture),
                'S' => now.ToString("ss", CultureInfo.InvariantCulture),
                'T' => now.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                'F' => now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                'z' => (now.Offset < TimeSpan.Zero ? "-" : "+") + now.Offset.ToString("hhmm", CultureInfo.InvariantCulture),
                's' => now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                '%' => "%",
                _ => "%" + f,
            });
        }
        return sb.ToString();
    }
}
