using System.Globalization;
using System.Text;

namespace CallControl.Observability;

/// <summary>
/// The Prometheus text exposition format (version 0.0.4): <c># HELP</c>, <c># TYPE</c>, then one line per series.
/// Instrument names become metric names with <c>_</c> for every other character (<c>esl.events.received</c> →
/// <c>esl_events_received_total</c>), a unit of ms or s becomes a suffix, tag names become label names the same way.
/// </summary>
public static class PrometheusText
{
    /// <summary>The content type Prometheus scrapes.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The metric name for an instrument.</summary>
    public static string Name(string instrument, string? unit)
    {
        var name = Sanitize(instrument);
        return unit switch
        {
            "ms" => name + "_milliseconds",
            "s" => name + "_seconds",
            "By" => name + "_bytes",
            _ => name,
        };
    }

    /// <summary>The label set (inside the braces) for these tags, in tag-name order.</summary>
    public static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return "";
        }

        var sorted = tags.ToArray();
        Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder();
        foreach (var (key, value) in sorted)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(Sanitize(key)).Append("=\"").Append(Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")).Append('"');
        }

        return text.ToString();
    }

    /// <summary>Writes every series, grouped by metric name.</summary>
    public static string Write(IReadOnlyList<Series> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var text = new StringBuilder(4096);
        string? current = null;
        foreach (var s in series)
        {
            if (s.Name != current)
            {
                current = s.Name;
                var type = s.Kind switch { SeriesKind.Counter => "counter", SeriesKind.Histogram => "histogram", _ => "gauge" };
                var exposed = s.Kind == SeriesKind.Counter ? s.Name + "_total" : s.Name;
                text.Append("# HELP ").Append(exposed).Append(' ').Append(s.Help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
                text.Append("# TYPE ").Append(exposed).Append(' ').Append(type).Append('\n');
            }

            switch (s.Kind)
            {
                case SeriesKind.Histogram:
                    WriteHistogram(text, s);
                    break;
                case SeriesKind.Counter:
                    Line(text, s.Name + "_total", s.Labels, s.Value);
                    break;
                default:
                    Line(text, s.Name, s.Labels, s.Value);
                    break;
            }
        }

        return text.ToString();
    }

    private static void WriteHistogram(StringBuilder text, Series s)
    {
        var (cumulative, sum, count) = s.Histogram();
        var prefix = s.Labels.Length == 0 ? "" : s.Labels + ",";
        for (var i = 0; i < cumulative.Length; i++)
        {
            Line(text, s.Name + "_bucket", prefix + "le=\"" + Number(MetricsCollector.Buckets[i]) + "\"", cumulative[i]);
        }

        Line(text, s.Name + "_bucket", prefix + "le=\"+Inf\"", count);
        Line(text, s.Name + "_sum", s.Labels, sum);
        Line(text, s.Name + "_count", s.Labels, count);
    }

    private static void Line(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(Number(value)).Append('\n');
    }

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == ':') || (i == 0 && char.IsAsciiDigit(c)))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
