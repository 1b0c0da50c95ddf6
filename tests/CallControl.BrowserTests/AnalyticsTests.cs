using CallControl.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CallControl.BrowserTests;

[Collection(ConsoleGroup.Name)]
public sealed class AnalyticsTests(ConsoleFixture console)
{
    private static readonly string Day = $"from={ConsoleHost.Iso(SeedData.Day)}&to={ConsoleHost.Iso(SeedData.Day.AddDays(1))}";

    [Fact]
    public async Task The_day_shows_a_bar_per_outcome_and_the_figures_of_the_seeded_calls()
    {
        await using var watched = await console.NewPageAsync();
        var page = watched.Page;
        await ConsoleSteps.SignInAsync(page, console.AdminToken);
        await page.GetByRole(AriaRole.Link, new() { Name = "Analytics" }).ClickAsync();
        await ConsoleSteps.OpenAsync(page, $"/analytics?{Day}&bucket=day");
        await Expect(page.Locator("#outcome-chart")).ToBeVisibleAsync();

        // The seeded day, worked out by hand: 14 calls, 5 answered (setup 5, 7, 9, 11, 13 s; billsec 60, 120, 30,
        // 45, 90), 13 rang after 2 s, 2 fallback attempts of which 1 answered on the phone. Setup percentiles come
        // from the stats histogram as the upper edge of the nearest-rank value's bin: p50 = 9 s in [9.0, 9.1),
        // p95 = 13 s in [13.0, 13.5).
        await Expect(Figure(page, "calls")).ToHaveTextAsync("14");
        await Expect(Figure(page, "answered")).ToHaveTextAsync("5");
        await Expect(Figure(page, "asr")).ToHaveTextAsync("35.7 %");
        await Expect(Figure(page, "acd")).ToHaveTextAsync("69.0 s");
        await Expect(Figure(page, "pdd")).ToHaveTextAsync("2.0 s");
        await Expect(Figure(page, "setup-p50")).ToHaveTextAsync("9.1 s");
        await Expect(Figure(page, "setup-p95")).ToHaveTextAsync("13.5 s");
        await Expect(Figure(page, "busy")).ToHaveTextAsync("21.4 %");
        await Expect(Figure(page, "fallback")).ToContainTextAsync("1 / 2");

        var expected = SeedData.DayCalls.GroupBy(c => c.Status).ToDictionary(g => g.Key, g => g.Count());
        var bars = page.Locator("#outcome-chart rect");
        await Expect(bars).ToHaveCountAsync(expected.Count);
        foreach (var bar in await bars.AllAsync())
        {
            var status = (await bar.GetAttributeAsync("data-status"))!;
            Assert.Equal(expected[status].ToString(System.Globalization.CultureInfo.InvariantCulture), await bar.GetAttributeAsync("data-count"));
        }

        await Expect(page.Locator("#buckets tbody tr")).ToHaveCountAsync(1);
        watched.AssertClean();
    }

    [Fact]
    public async Task Switching_to_hours_draws_a_bar_for_each_hour_that_had_calls()
    {
        await using var watched = await console.NewPageAsync();
        var page = watched.Page;
        await ConsoleSteps.SignInAsync(page, console.AdminToken);
        await ConsoleSteps.OpenAsync(page, $"/analytics?{Day}&bucket=day");
        await Expect(page.Locator("#buckets tbody tr")).ToHaveCountAsync(1);
        await page.GetByLabel("Bucket", new() { Exact = true }).SelectOptionAsync("hour");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();

        var hours = Enumerable.Range(0, SeedData.DayCalls.Length)
            .GroupBy(i => SeedData.DayCallStart(i).Hour).ToDictionary(g => g.Key, g => g.Count());
        var rows = page.Locator("#buckets tbody tr");
        await Expect(rows).ToHaveCountAsync(hours.Count);
        foreach (var (hour, count) in hours)
        {
            var start = SeedData.Day.AddHours(hour).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            var counts = await page.Locator($"#outcome-chart rect[data-bucket='{start}']").EvaluateAllAsync<int[]>(
                "rects => rects.map(r => Number(r.dataset.count))");
            Assert.Equal(count, counts.Sum());
        }

        // The day in 24 hourly slots (x axis labels every other hour), empty hours included.
        await Expect(page.Locator("#figures [data-figure=pdd]")).ToContainTextAsync("per bucket below");
        await Screenshots.SaveAsync(page, "analytics");
        watched.AssertClean();
    }

    private static ILocator Figure(IPage page, string name) => page.Locator($"#figures [data-figure='{name}'] dd");
}
