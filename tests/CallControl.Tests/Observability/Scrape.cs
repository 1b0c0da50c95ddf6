using System.Globalization;

namespace CallControl.Tests.Observability;

/// <summary>One <c>/metrics</c> answer parsed: every sample line as "name{labels}" → value, plus the TYPE lines.</summary>
internal sealed class Scrape
{
    private Scrape(string text, Dictionary<string, double> samples, Dictionary<string, string> types)
    {
        Text = text;
        Samples = samples;
        Types = types;
    }

    public string Text { get; }

    public IReadOnlyDictionary<string, double> Samples { get; }

    public IReadOnlyDictionary<string, string> Types { get; }

    public static async Task<Scrape> GetAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        return Parse(await response.Content.ReadAsStringAsync());
    }

    public static Scrape Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            var value = line[(space + 1)..];
            samples.Add(line[..space], value == "+Inf" ? double.PositiveInfinity : double.Parse(value, CultureInfo.InvariantCulture));
        }

        return new Scrape(text, samples, types);
    }

    /// <summary>The sample's value, 0 when the series is absent (a counter not yet incremented).</summary>
    public double Value(string series) => Samples.TryGetValue(series, out var v) ? v : 0;

    public bool Has(string series) => Samples.ContainsKey(series);
}
