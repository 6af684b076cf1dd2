namespace StaticGrad.Generator.Tests.Infrastructure;

/// <summary>Locates files of the source tree from the test assembly's folder (tests read baselines in place).</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static string TestProject => Path.Combine(Root, "tests", "StaticGrad.Generator.Tests");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StaticGrad.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("StaticGrad.sln not found above " + AppContext.BaseDirectory);
    }
}
