namespace StaticGrad.Benchmarks.Infrastructure;

/// <summary>
/// Where the ADBench files are: --data (passed to benchmark processes in an environment variable), else
/// ../shared/adbench beside the repository root, found by walking up from the current and the program's folder.
/// </summary>
public static class AdbenchData
{
    /// <summary>Carries --data into the processes BenchmarkDotNet starts.</summary>
    public const string EnvironmentVariable = "STATICGRAD_ADBENCH_DIR";

    /// <summary>The data folder, or null when it is absent (a clone without ../shared): workloads then generate instances.</summary>
    public static string? Directory
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(configured))
            {
                return System.IO.Directory.Exists(configured)
                    ? Path.GetFullPath(configured)
                    : throw new DirectoryNotFoundException($"The ADBench data folder '{configured}' (--data) does not exist.");
            }

            return FindBesideRepository(Environment.CurrentDirectory) ?? FindBesideRepository(AppContext.BaseDirectory);
        }
    }

    private static string? FindBesideRepository(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "StaticGrad.sln")))
            {
                var data = Path.Combine(folder.FullName, "..", "shared", "adbench");
                return System.IO.Directory.Exists(data) ? Path.GetFullPath(data) : null;
            }
        }

        return null;
    }
}
