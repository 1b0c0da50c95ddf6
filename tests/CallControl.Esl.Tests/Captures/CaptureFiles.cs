using System.Runtime.CompilerServices;

namespace CallControl.Esl.Tests.Captures;

/// <summary>
/// Finds the real FreeSWITCH captures: ESL_CAPTURES_DIR if set, else <c>../shared/esl-captures</c> beside the repository
/// root (the folder holding CallControl.sln), looked for above the test binaries, the working directory and this source
/// file (builds with --artifacts-path put the binaries outside the repository). A missing folder fails the tests.
/// </summary>
internal static class CaptureFiles
{
    private static readonly Lazy<string> Folder = new(() => Locate());

    public static string Directory => Folder.Value;

    /// <summary>Every <c>*.server.raw</c>: what FreeSWITCH sent on one connection, in order.</summary>
    public static IReadOnlyList<string> ServerStreams() =>
        [.. System.IO.Directory.GetFiles(Directory, "*.server.raw").Order(StringComparer.Ordinal)];

    public static string ServerStreamPath(string scenario) => Path.Combine(Directory, scenario + ".server.raw");

    public static byte[] ServerStream(string scenario) => File.ReadAllBytes(ServerStreamPath(scenario));

    public static string ScenarioName(string serverStreamPath) =>
        Path.GetFileName(serverStreamPath)[..^".server.raw".Length];

    private static string Locate([CallerFilePath] string sourceFile = "")
    {
        var fromEnv = Environment.GetEnvironmentVariable("ESL_CAPTURES_DIR");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return System.IO.Directory.Exists(fromEnv)
                ? fromEnv
                : throw new DirectoryNotFoundException($"ESL_CAPTURES_DIR={fromEnv} does not exist");
        }

        string[] starts = [AppContext.BaseDirectory, Environment.CurrentDirectory, Path.GetDirectoryName(sourceFile) ?? "."];
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "CallControl.sln")))
                {
                    continue;
                }

                var captures = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "esl-captures"));
                if (System.IO.Directory.Exists(captures))
                {
                    return captures;
                }
            }
        }

        throw new DirectoryNotFoundException(
            "the ESL captures were not found: set ESL_CAPTURES_DIR or keep shared/esl-captures beside the repository");
    }
}
