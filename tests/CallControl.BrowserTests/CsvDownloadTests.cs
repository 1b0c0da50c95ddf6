using CallControl.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CallControl.BrowserTests;

[Collection(ConsoleGroup.Name)]
public sealed class CsvDownloadTests(ConsoleFixture console)
{
    [Fact]
    public async Task The_csv_download_holds_the_header_and_exactly_the_filtered_calls()
    {
        await using var watched = await console.NewPageAsync();
        var page = watched.Page;
        await ConsoleSteps.SignInAsync(page, console.AdminToken);
        await ConsoleSteps.OpenAsync(page, "/calls?status=busy,refused");
        var shown = await ConsoleSteps.RowIdsAsync(await ConsoleSteps.CallRowsAsync(page));
        Assert.Equal(SeedData.DayCalls.Count(c => c.Status is "busy" or "refused"), shown.Count);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download CSV" }).ClickAsync());
        Assert.Matches(@"^calls-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.csv$", download.SuggestedFilename);
        var path = Path.Combine(Path.GetTempPath(), "callcontrol-browser-" + Guid.NewGuid().ToString("N") + ".csv");
        await download.SaveAsAsync(path);
        try
        {
            var lines = (await File.ReadAllTextAsync(path)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            var header = lines[0].Split(',');
            Assert.Equal(["id", "room_id", "caller", "callee", "callee_number", "media", "status"], header[..7]);
            var status = Array.IndexOf(header, "status");
            var rows = lines[1..].Select(l => l.Split(',')).ToList();
            Assert.All(rows, r => Assert.Contains(r[status], new[] { "busy", "refused" }));
            Assert.Equal(shown.Order(), rows.Select(r => r[0]).Order());
        }
        finally
        {
            File.Delete(path);
        }

        await Expect(page.Locator("#csv-status")).ToContainTextAsync("CSV saved");
        watched.AssertClean();
    }
}
