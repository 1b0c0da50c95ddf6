using CallControl.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CallControl.BrowserTests;

[Collection(ConsoleGroup.Name)]
public sealed class CallsPageTests(ConsoleFixture console)
{
    private static readonly string DayRange =
        $"from={ConsoleHost.Iso(SeedData.Day)}&to={ConsoleHost.Iso(SeedData.Day.AddDays(1))}";

    [Fact]
    public async Task Filtering_by_status_shows_only_those_calls_and_the_filter_survives_a_reload()
    {
        await using var watched = await console.NewPageAsync();
        var page = watched.Page;
        await ConsoleSteps.SignInAsync(page, console.AdminToken);
        var all = await ConsoleSteps.CallRowsAsync(page);
        await Expect(all).ToHaveCountAsync(SeedData.DayCalls.Length + SeedData.PagingCalls + 1);
        await Screenshots.SaveAsync(page, "calls");

        await page.GetByRole(AriaRole.Checkbox, new() { Name = "busy", Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/#/calls?status=busy");
        var busy = SeedData.DayCalls.Count(c => c.Status == "busy");
        var rows = await ConsoleSteps.CallRowsAsync(page);
        await Expect(rows).ToHaveCountAsync(busy);
        foreach (var row in await rows.AllAsync())
        {
            Assert.Equal("busy", await row.GetAttributeAsync("data-status"));
            await Expect(row.Locator(".chip")).ToHaveTextAsync("busy");
        }

        await page.ReloadAsync();
        rows = await ConsoleSteps.CallRowsAsync(page);
        await Expect(rows).ToHaveCountAsync(busy);
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "busy", Exact = true })).ToBeCheckedAsync();
        watched.AssertClean();
    }

    [Fact]
    public async Task Paging_moves_to_the_next_page_and_back_without_skipping_or_repeating_a_call()
    {
        await using var watched = await console.NewPageAsync();
        var page = watched.Page;
        await ConsoleSteps.SignInAsync(page, console.AdminToken);
        await page.GetByLabel("Caller").FillAsync(SeedData.PagingCaller);
        await page.GetByLabel("Rows per page").SelectOptionAsync("25");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await page.WaitForURLAsync($"**/admin/#/calls?caller={SeedData.PagingCaller}&limit=25");

        var rows = await ConsoleSteps.CallRowsAsync(page);
        await Expect(rows).ToHaveCountAsync(25);
        await Expect(page.Locator("#page-number")).ToHaveTextAsync("Page 1");
        await Expect(page.Locator("#prev")).ToBeDisabledAsync();
        var first = await ConsoleSteps.RowIdsAsync(rows);
        // Newest first: the last call of the paging set (08:29) heads page 1.
        await Expect(rows.First.Locator("td").First).ToHaveTextAsync("2026-03-11 08:29:00");

        await page.Locator("#next").ClickAsync();
        await Expect(page.Locator("#page-number")).ToHaveTextAsync("Page 2");
        rows = await ConsoleSteps.CallRowsAsync(page);
        await Expect(rows).ToHaveCountAsync(SeedData.PagingCalls - 25);
        await Expect(page.Locator("#next")).ToBeDisabledAsync();
        var second = await ConsoleSteps.RowIdsAsync(rows);
        Assert.Empty(first.Intersect(second));
        Assert.Equal(SeedData.PagingCalls, first.Concat(second).Distinct().Count());
        await Expect(rows.Last.Locator("td").First).ToHaveTextAsync("2026-03-11 08:00:00");

        // Page 2's URL carries its cursor and the way back: a reload stays on page 2.
        await page.ReloadAsync();
        await Expect(page.Locator("#page-number")).ToHaveTextAsync("Page 2");
        await page.Locator("#prev").ClickAsync();
        await Expect(page.Locator("#page-number")).ToHaveTextAsync("Page 1");
        rows = await ConsoleSteps.CallRowsAsync(page);
        Assert.Equal(first, await ConsoleSteps.RowIdsAsync(rows));
        watched.AssertClean();
    }

    /// <summary>Each filter of the API, set through the URL, shows in the form and narrows the table to the seeded calls it matches.</summary>
    [Theory]
    [InlineData("caller=alice&node=fs2", "f-caller", "alice", 1)]
    [InlineData("callee=bob", "f-callee", "bob", 4)]
    [InlineData("calleeNumber=%2B155512300", "f-calleeNumber", "+155512300", 2)]
    [InlineData("answeredVia=pstn", "f-answeredVia", "pstn", 1)]
    [InlineData("fallback=true", "f-fallback", "true", 2)]
    [InlineData("room=room-carol", "f-room", "room-carol", 3)]
    [InlineData("hangupCause=CALL_REJECTED", "f-hangupCause", "CALL_REJECTED", 2)]
    [InlineData("minDuration=100", "f-minDuration", "100", 2)]
    [InlineData("status=refused,no_answer", "f-room", "", 4)]
    public async Task Each_filter_in_the_url_fills_the_form_and_narrows_the_day(string filter, string field, string shown, int expected)
    {
        await using var watched = await console.NewPageAsync();
        var page = watched.Page;
        await ConsoleSteps.SignInAsync(page, console.AdminToken);
        await ConsoleSteps.OpenAsync(page, $"/calls?{DayRange}&{filter}");
        var rows = await ConsoleSteps.CallRowsAsync(page);
        await Expect(rows).ToHaveCountAsync(expected);
        await Expect(page.Locator("#" + field)).ToHaveValueAsync(shown);
        await Expect(page.Locator("#f-from")).ToHaveValueAsync("2026-03-10T00:00");
        watched.AssertClean();
    }

    [Fact]
    public async Task A_bad_filter_shows_the_parameter_the_service_named()
    {
        await using var watched = await console.NewPageAsync();
        var page = watched.Page;
        watched.Expect(400, "/api/admin/calls");
        await ConsoleSteps.SignInAsync(page, console.AdminToken);
        await page.GetByLabel("Callee number prefix").FillAsync("12ab");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        var alert = page.Locator("#calls-panel [role=alert]");
        await Expect(alert).ToContainTextAsync("calleeNumber");
        await Expect(alert).ToContainTextAsync("E.164");
        watched.AssertClean();
    }
}
