using Microsoft.Playwright;

namespace CallControl.BrowserTests.Support;

/// <summary>Screenshots of the main pages, kept as test artifacts in <c>.local/artifacts/screenshots/</c> of the
/// repository (the folder holding CallControl.sln above the test binaries), or <c>CALLCONTROL_ARTIFACTS</c>.</summary>
public static class Screenshots
{
    public static string Folder { get; } = Find();

    public static async Task<string> SaveAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var path = System.IO.Path.Combine(Folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable("CALLCONTROL_ARTIFACTS") is { Length: > 0 } env)
        {
            return Directory.CreateDirectory(System.IO.Path.Combine(env, "screenshots")).FullName;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CallControl.sln")))
            {
                return Directory.CreateDirectory(System.IO.Path.Combine(dir.FullName, ".local", "artifacts", "screenshots")).FullName;
            }
        }

        return Directory.CreateDirectory(System.IO.Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots")).FullName;
    }
}
