using System.Runtime.CompilerServices;

namespace FreeSwitchConf.Tests.Support;

/// <summary>
/// The real FreeSWITCH captures: <c>ESL_CAPTURES_DIR</c>, or the first <c>shared/esl-captures</c> above this source
/// file, the test binaries or the working directory. A missing folder fails the test (as in CallControl.Tests).
/// </summary>
public static class CaptureFiles
{
    public static string Root { get; } = Find();

    private static string Find([CallerFilePath] string source = "")
    {
        var env = Environment.GetEnvironmentVariable("ESL_CAPTURES_DIR");
        if (env is not null && Directory.Exists(env))
        {
            return env;
        }

        foreach (var start in new[] { Path.GetDirectoryName(source)!, AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "esl-captures");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("esl-captures not found; set ESL_CAPTURES_DIR");
    }
}
