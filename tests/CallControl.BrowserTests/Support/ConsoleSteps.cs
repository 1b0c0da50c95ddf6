using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CallControl.BrowserTests.Support;

/// <summary>What an admin does in the console, step by step, through the page as a person would.</summary>
public static class ConsoleSteps
{
    /// <summary>Opens the console and signs in with <paramref name="token"/>; returns once the calls table shows.</summary>
    public static async Task SignInAsync(IPage page, string token)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/admin/");
        await SubmitTokenAsync(page, token);
        await Expect(page.Locator("#calls-panel")).ToBeVisibleAsync();
    }

    public static async Task SubmitTokenAsync(IPage page, string token)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GetByLabel("Admin token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Goes to a console route (the part after <c>#</c>) in the signed-in page.</summary>
    public static Task OpenAsync(IPage page, string route)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.EvaluateAsync("r => { location.hash = r; }", route);
    }

    /// <summary>Waits until the calls table (or its empty message) for the current filters has rendered.</summary>
    public static async Task<ILocator> CallRowsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Expect(page.Locator("section[aria-label='Calls']")).Not.ToHaveAttributeAsync("aria-busy", "true");
        return page.Locator("#calls tbody tr");
    }

    /// <summary>The call ids of the rows shown.</summary>
    public static async Task<List<string>> RowIdsAsync(ILocator rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ids = new List<string>();
        foreach (var row in await rows.AllAsync())
        {
            ids.Add((await row.GetAttributeAsync("data-id"))!);
        }

        return ids;
    }

    /// <summary>The session token the console keeps (null when signed out).</summary>
    public static Task<string?> StoredTokenAsync(IPage page) =>
        page.EvaluateAsync<string?>("() => sessionStorage.getItem('callcontrol.admin.token')");
}
