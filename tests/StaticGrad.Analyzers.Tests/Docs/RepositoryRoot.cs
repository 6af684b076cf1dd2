namespace StaticGrad.Analyzers.Tests.Docs;

/// <summary>The repository root: the first folder above the test assembly that holds StaticGrad.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "StaticGrad.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("StaticGrad.sln not found above " + AppContext.BaseDirectory);
    }
}
