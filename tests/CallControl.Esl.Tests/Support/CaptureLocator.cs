using System.Runtime.CompilerServices;

namespace CallControl.Esl.Tests.Support;

/// <summary>Finds /work/shared/esl-captures (ESL_CAPTURES_DIR, or <c>shared/esl-captures</c> above this source
/// file or the working directory). A missing folder fails the test.</summary>
internal static class CaptureLocator
{
    public static string File(string name, [CallerFilePath] string source = "")
    {
        var env = Environment.GetEnvironmentVariable("ESL_CAPTURES_DIR");
        if (env is not null && System.IO.File.Exists(Path.Combine(env, name)))
        {
            return Path.Combine(env, name);
        }

        foreach (var start in new[] { Path.GetDirectoryName(source)!, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "esl-captures", name);
                if (System.IO.File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException($"capture {name} not found; set ESL_CAPTURES_DIR");
    }
}
