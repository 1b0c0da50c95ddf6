namespace CallControl.BrowserTests.Support;

/// <summary>The machine's Chromium: <c>CALLCONTROL_CHROMIUM</c>, default <c>/usr/bin/chromium</c> (Debian's package,
/// which scripts/system-deps.sh installs). Missing, the tests fail saying so; they never download a browser.</summary>
public static class SystemChromium
{
    public const string DefaultPath = "/usr/bin/chromium";

    public static string Path()
    {
        var path = Environment.GetEnvironmentVariable("CALLCONTROL_CHROMIUM") is { Length: > 0 } env ? env : DefaultPath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Chromium not found at {path}. Install it with scripts/system-deps.sh (apt-get install chromium) "
                + "or point CALLCONTROL_CHROMIUM at a Chromium binary. The browser tests never download one.", path);
        }

        return path;
    }
}
