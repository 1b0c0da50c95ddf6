using CallControl.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CallControl.BrowserTests;

[Collection(ConsoleGroup.Name)]
public sealed class CallDetailTests(ConsoleFixture console)
{
    [Fact]
    public async Task A_calls_detail_shows_its_timeline_in_order_its_legs_and_its_dtmf()
    {
        await using var watched = await console.NewPageAsync();
        var page = watched.Page;
        await ConsoleSteps.SignInAsync(page, console.AdminToken);
        await ConsoleSteps.OpenAsync(page, "/calls?caller=dave&answeredVia=pstn");
        var rows = await ConsoleSteps.CallRowsAsync(page);
        await Expect(rows).ToHaveCountAsync(1);
        await rows.First.Locator("td").Nth(2).ClickAsync();
        await page.WaitForURLAsync($"**/admin/#/calls/{SeedData.FallbackCallId}");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(SeedData.FallbackCallId.ToString());
        var entries = page.Locator("#timeline li");
        await Expect(entries).ToHaveCountAsync(SeedData.FallbackHistory.Length);
        for (var i = 0; i < SeedData.FallbackHistory.Length; i++)
        {
            var (_, to, reason, at) = SeedData.FallbackHistory[i];
            var entry = entries.Nth(i);
            Assert.Equal(to, await entry.GetAttributeAsync("data-to"));
            await Expect(entry).ToContainTextAsync(reason!);
            await Expect(entry.Locator(".offset")).ToHaveTextAsync(FormattableString.Invariant($"+{at:0.0} s"));
            await Expect(entry.Locator("time")).ToHaveTextAsync(
                SeedData.DayCallStart(SeedData.FallbackIndex).AddSeconds(at).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        }

        var legs = page.Locator("#legs tbody tr");
        await Expect(legs).ToHaveCountAsync(2);
        Assert.Equal("caller", await legs.Nth(0).GetAttributeAsync("data-role"));
        Assert.Equal("pstn", await legs.Nth(1).GetAttributeAsync("data-role"));
        await Expect(legs.Nth(0)).ToContainTextAsync(SeedData.CallerLeg.ToString());
        await Expect(legs.Nth(1)).ToContainTextAsync(SeedData.PstnLeg.ToString());
        await Expect(legs.Nth(1)).ToContainTextAsync("sofia/gateway/carrier/+15551230001");

        await Expect(page.Locator("#dtmf tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#dtmf tbody tr")).ToContainTextAsync("120 ms");
        await Expect(page.Locator("#call-fields")).ToContainTextAsync("yes: offline");
        await Expect(page.Locator("#recording")).ToContainTextAsync("This call was not recorded.");
        await Screenshots.SaveAsync(page, "call-detail");

        // Back returns to the filtered list it came from.
        await page.GetByRole(AriaRole.Link, new() { Name = "← Back to calls" }).ClickAsync();
        await Expect(await ConsoleSteps.CallRowsAsync(page)).ToHaveCountAsync(1);
        await Expect(page.GetByLabel("Caller")).ToHaveValueAsync("dave");
        watched.AssertClean();
    }

    [Fact]
    public async Task A_recording_that_is_not_archived_is_said_so_instead_of_a_player()
    {
        await using var watched = await console.NewPageAsync();
        var page = watched.Page;
        // GET /api/recordings/{id} answers 404 (unknown or not archived yet) or 409 (still being archived).
        watched.Expect(404, "/api/recordings/");
        watched.Expect(409, "/api/recordings/");
        await ConsoleSteps.SignInAsync(page, console.AdminToken);
        await ConsoleSteps.OpenAsync(page, $"/calls/{SeedData.RecordedCallId}");
        await Expect(page.Locator("#recording")).ToContainTextAsync($"Recording {SeedData.RecordingId} is not archived");
        await Expect(page.Locator("#recording audio")).ToHaveCountAsync(0);
        Assert.Contains(watched.ErrorResponses, r => r.Url.EndsWith("/api/recordings/" + SeedData.RecordingId, StringComparison.Ordinal));
        watched.AssertClean();
    }

    [Fact]
    public async Task An_unknown_call_says_so()
    {
        await using var watched = await console.NewPageAsync();
        var page = watched.Page;
        watched.Expect(404, "/api/admin/calls/");
        await ConsoleSteps.SignInAsync(page, console.AdminToken);
        var unknown = Guid.NewGuid();
        await ConsoleSteps.OpenAsync(page, $"/calls/{unknown}");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync($"No call {unknown}.");
        watched.AssertClean();
    }
}
