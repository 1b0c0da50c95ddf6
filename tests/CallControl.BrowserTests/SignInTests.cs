using CallControl.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CallControl.BrowserTests;

[Collection(ConsoleGroup.Name)]
public sealed class SignInTests(ConsoleFixture console)
{
    [Fact]
    public async Task A_wrong_or_non_admin_token_is_refused_with_a_message_and_an_admin_token_signs_in_and_out()
    {
        await using var watched = await console.NewPageAsync();
        var page = watched.Page;
        watched.Expect(401, "/api/admin/calls");
        watched.Expect(403, "/api/admin/calls");

        // Any route without a token shows the sign-in form.
        await page.GotoAsync("/admin/#/analytics");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "sign-in");

        await ConsoleSteps.SubmitTokenAsync(page, "not-a-token");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("refused (401 Unauthorized)");

        await ConsoleSteps.SubmitTokenAsync(page, console.Host.Token("u-plain", role: null));
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not carry the admin role (403 Forbidden)");
        Assert.Null(await ConsoleSteps.StoredTokenAsync(page));
        Assert.Contains(watched.ErrorResponses, r => r.Status == 401);
        Assert.Contains(watched.ErrorResponses, r => r.Status == 403);

        var admin = console.AdminToken;
        await ConsoleSteps.SubmitTokenAsync(page, "Bearer " + admin);
        await Expect(page.Locator("#calls-panel")).ToBeVisibleAsync();
        await Expect(page.Locator("#who-name")).ToHaveTextAsync("Signed in as admin-ada (admin)");
        Assert.Equal(admin, await ConsoleSteps.StoredTokenAsync(page));

        // A reload keeps the session (sessionStorage); signing out forgets it.
        await page.ReloadAsync();
        await Expect(page.Locator("#calls-panel")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByText("Signed out.")).ToBeVisibleAsync();
        Assert.Null(await ConsoleSteps.StoredTokenAsync(page));
        await ConsoleSteps.OpenAsync(page, "/calls");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        watched.AssertClean();
    }
}
