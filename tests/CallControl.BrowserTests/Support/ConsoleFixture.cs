using Microsoft.Playwright;

namespace CallControl.BrowserTests.Support;

/// <summary>
/// One service host with the seeded data set and one headless Chromium for the whole run; each test gets its own
/// browser context (its own sessionStorage) through <see cref="NewPageAsync"/>.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public ConsoleHost Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>An admin token for the seeded service.</summary>
    public string AdminToken => Host.Token("admin-ada", "admin");

    public async Task InitializeAsync()
    {
        // Never fetch a browser build: the tests drive the machine's Chromium.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var chromium = SystemChromium.Path();
        Host = await ConsoleHost.StartAsync();
        await SeedData.WriteAsync(Host.Database);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh context (UTC, a desktop viewport, downloads on) and page, watched for errors.</summary>
    public async Task<WatchedPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.BaseAddress.ToString(),
            TimezoneId = "UTC",
            Locale = "en-GB",
            ViewportSize = new ViewportSize { Width = 1360, Height = 900 },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        return new WatchedPage(context, page);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}

/// <summary>Browser tests share one host and one browser, and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleGroup : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
