using System.Text;

namespace StaticGrad.Generator.Tests.Infrastructure;

/// <summary>
/// Checked-in snapshots of generated code: <c>Baselines/{Test}/{HintName}.txt</c>, one file per generated hint
/// name (<c>.txt</c> so that they do not compile). Set <c>STATICGRAD_ACCEPT_BASELINES=1</c> to rewrite them from the
/// current output (stale files of that test are deleted); otherwise a mismatch fails with the first difference.
/// </summary>
public static class Baselines
{
    public const string AcceptVariable = "STATICGRAD_ACCEPT_BASELINES";

    private static bool Accept => Environment.GetEnvironmentVariable(AcceptVariable) is "1" or "true";

    public static void Verify(string testName, GeneratorOutput output)
    {
        var folder = Path.Combine(RepositoryPaths.TestProject, "Baselines", testName);
        if (Accept)
        {
            Directory.CreateDirectory(folder);
            foreach (var stale in Directory.GetFiles(folder, "*.txt"))
            {
                File.Delete(stale);
            }

            foreach (var (hint, source) in output.Sources)
            {
                File.WriteAllText(Path.Combine(folder, hint + ".txt"), Normalize(source));
            }

            return;
        }

        var expectedFiles = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.txt").Select(Path.GetFileName).Select(f => f![..^".txt".Length]).OrderBy(f => f, StringComparer.Ordinal).ToArray()
            : Array.Empty<string>();
        var actualFiles = output.Sources.Select(s => s.HintName).ToArray();
        if (!expectedFiles.SequenceEqual(actualFiles))
        {
            throw new Xunit.Sdk.XunitException(
                $"Generated files of '{testName}' differ from the baselines in {folder}.\n" +
                $"Expected: {string.Join(", ", expectedFiles)}\nActual:   {string.Join(", ", actualFiles)}\n" +
                $"Run the tests with {AcceptVariable}=1 to accept the new output.");
        }

        foreach (var (hint, source) in output.Sources)
        {
            var expected = File.ReadAllText(Path.Combine(folder, hint + ".txt"));
            var difference = FirstDifference(Normalize(expected), Normalize(source));
            if (difference is not null)
            {
                throw new Xunit.Sdk.XunitException(
                    $"Generated {hint} differs from Baselines/{testName}/{hint}.txt\n{difference}\n" +
                    $"Run the tests with {AcceptVariable}=1 to accept the new output.");
            }
        }
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n");

    /// <summary>A readable report of the first differing line, with two lines of context.</summary>
    internal static string? FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var n = Math.Max(e.Length, a.Length);
        for (var i = 0; i < n; i++)
        {
            var el = i < e.Length ? e[i] : null;
            var al = i < a.Length ? a[i] : null;
            if (el == al)
            {
                continue;
            }

            var report = new StringBuilder();
            report.AppendLine($"First difference at line {i + 1}:");
            for (var j = Math.Max(0, i - 2); j < i; j++)
            {
                report.AppendLine("  " + e[j]);
            }

            report.AppendLine("- " + (el ?? "<end of file>"));
            report.AppendLine("+ " + (al ?? "<end of file>"));
            return report.ToString();
        }

        return null;
    }
}
