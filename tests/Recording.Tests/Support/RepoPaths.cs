namespace CallControl.Recording.Tests.Support;

/// <summary>Folders of the repository the tests run from (found by walking up to CallControl.sln).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Migrations => Path.Combine(Root, "db", "migrations");

    public static string TestProject => Path.Combine(Root, "tests", "Recording.Tests");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CallControl.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("CallControl.sln not found above " + AppContext.BaseDirectory);
    }
}
