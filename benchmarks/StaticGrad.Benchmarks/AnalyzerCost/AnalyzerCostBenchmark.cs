using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace StaticGrad.Benchmarks.AnalyzerCost;

/// <summary>
/// The analyzers' cost the way issue #16 states it: writes three 5 000-line class libraries of the same training code
/// (<see cref="TrainingUnits"/>) — one on StaticGrad, one on TorchSharp (the managed package only), one on neither —
/// each with the StaticGrad analyzers of this build, builds each with <c>dotnet build --no-incremental
/// -p:ReportAnalyzer=true</c> (compiler server, one warm-up round, then the rounds alternating the projects) and
/// reports the StaticGrad analyzers' time from the compiler's own ReportAnalyzer table against the Csc task's time
/// from MSBuild's performance summary. The generator is not referenced, so the Csc time is the compile and the
/// analyzers alone (a package user's build also runs the generator, which makes the share smaller).
/// </summary>
/// <remarks>
/// Usage: <c>--analyzer-cost [--rounds N] [--folder DIR] [--lines N] [--baseline DIR]</c>. <c>--baseline</c> names a
/// folder holding another build's StaticGrad.Analyzers.dll and StaticGrad.Compiler.dll: the tensor projects are then
/// also built with those, alternating, so that two versions are compared under the same load.
/// </remarks>
public static class AnalyzerCostBenchmark
{
    public const string Switch = "--analyzer-cost";

    private const string TorchSharpVersion = "0.107.0";

    public static int Run(IReadOnlyList<string> args)
    {
        var rounds = 5;
        var folder = Path.Combine(Path.GetTempPath(), "staticgrad-analyzer-cost");
        var lines = 5000;
        string? baseline = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--rounds" when i + 1 < args.Count:
                    rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--folder" when i + 1 < args.Count:
                    folder = Path.GetFullPath(args[++i]);
                    break;
                case "--lines" when i + 1 < args.Count:
                    lines = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--baseline" when i + 1 < args.Count:
                    baseline = Path.GetFullPath(args[++i]);
                    break;
                default:
                    Console.Error.WriteLine($"usage: {Switch} [--rounds N] [--folder DIR] [--lines N] [--baseline DIR]");
                    return 2;
            }
        }

        var bin = AppContext.BaseDirectory;
        var projects = new List<CostProject>
        {
            new("staticgrad", Sources(lines, u => TrainingUnits.Tensor(u, TrainingSpelling.StaticGrad)), bin, $"<Reference Include=\"{Path.Combine(bin, "StaticGrad.dll")}\" />"),
            new("torchsharp", Sources(lines, u => TrainingUnits.Tensor(u, TrainingSpelling.TorchSharp)), bin, $"<PackageReference Include=\"TorchSharp\" Version=\"{TorchSharpVersion}\" />"),
            new("plain", Sources(lines, TrainingUnits.Plain), bin, string.Empty),
        };
        if (baseline is not null)
        {
            projects.AddRange(projects.Where(p => p.Name != "plain").Select(p => p with { Name = p.Name + "-baseline", Analyzers = baseline }).ToList());
        }

        Directory.CreateDirectory(folder);
        WriteGuards(folder);
        foreach (var project in projects)
        {
            project.Write(folder);
            Console.WriteLine($"{project.Name}: {project.Lines} lines in {project.Sources.Count} files, {project.Directory(folder)}");
            if (Dotnet($"restore \"{project.File(folder)}\" -nologo -v:q", out var restore) != 0)
            {
                Console.Error.WriteLine(restore);
                return 1;
            }
        }

        var loadBefore = LoadAverage();
        var reports = projects.ToDictionary(p => p.Name, _ => new List<BuildReport>());
        for (var round = 0; round <= rounds; round++)
        {
            foreach (var project in projects)
            {
                // -nr:false leaves no MSBuild node behind; the compiler server is the one every build on the machine uses.
                if (Dotnet($"build \"{project.File(folder)}\" --no-restore --no-incremental -nologo -nr:false -v:d -clp:PerformanceSummary -p:ReportAnalyzer=true", out var output) != 0)
                {
                    Console.Error.WriteLine(output);
                    return 1;
                }

                var report = BuildReport.Parse(output);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}{(round == 0 ? " (warm-up)" : string.Empty)} {project.Name}: Csc {report.CscSeconds:F2} s, StaticGrad analyzers {report.StaticGradSeconds:F3} s ({Share(report.StaticGradSeconds, report.CscSeconds)}), all analyzers {report.AllAnalyzersSeconds:F3} s, {report.Warnings} warnings, load {LoadAverage()}"));
                if (round > 0)
                {
                    reports[project.Name].Add(report);
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{rounds} rounds after a warm-up; load average before {loadBefore}, after {LoadAverage()}; medians (min-max of the per-round share):");
        Console.WriteLine("| project | lines | Csc task | StaticGrad analyzers | share of Csc (min-max) | TensorUsageAnalyzer | TrainingLoopAnalyzer | DifferentiabilityAnalyzer | all analyzers |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var project in projects)
        {
            var list = reports[project.Name];
            var shares = list.Select(r => r.StaticGradSeconds / r.CscSeconds).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {project.Name} | {project.Lines} | {Median(list.Select(r => r.CscSeconds)):F2} s | {Median(list.Select(r => r.StaticGradSeconds)):F3} s | {Median(shares) * 100:F1} % ({shares.Min() * 100:F1}-{shares.Max() * 100:F1} %) | {Median(list.Select(r => r.Seconds("TensorUsageAnalyzer"))):F3} s | {Median(list.Select(r => r.Seconds("TrainingLoopAnalyzer"))):F3} s | {Median(list.Select(r => r.Seconds("DifferentiabilityAnalyzer"))):F3} s | {Median(list.Select(r => r.AllAnalyzersSeconds)):F3} s |"));
        }

        return 0;
    }

    private static List<(string Name, string Text)> Sources(int lines, Func<int, string> unit)
    {
        var sources = new List<(string, string)>();
        for (var u = 0; sources.Sum(s => s.Item2.Count(c => c == '\n')) < lines; u++)
        {
            sources.Add(($"Experiment{u}.cs", unit(u)));
        }

        return sources;
    }

    /// <summary>Stops the repository's (or any parent folder's) build files from reaching the generated projects.</summary>
    private static void WriteGuards(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>\n  </PropertyGroup>\n</Project>\n");
    }

    private static int Dotnet(string arguments, out string output)
    {
        var start = new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        output = process.StandardOutput.ReadToEnd() + error.Result;
        process.WaitForExit();
        return process.ExitCode;
    }

    private static string Share(double part, double whole) => string.Create(CultureInfo.InvariantCulture, $"{part / whole * 100:F1} %");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>One generated class library: its sources, the folder its StaticGrad analyzers are read from, its references.</summary>
    private sealed record CostProject(string Name, List<(string Name, string Text)> Sources, string Analyzers, string References)
    {
        public int Lines => Sources.Sum(s => s.Text.Count(c => c == '\n'));

        public string Directory(string root) => Path.Combine(root, Name);

        public string File(string root) => Path.Combine(Directory(root), "AnalyzerCost.csproj");

        public void Write(string root)
        {
            var directory = Directory(root);
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }

            System.IO.Directory.CreateDirectory(directory);
            foreach (var (name, text) in Sources)
            {
                System.IO.File.WriteAllText(Path.Combine(directory, name), text);
            }

            var project = new StringBuilder();
            project.Append(CultureInfo.InvariantCulture, $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>disable</ImplicitUsings>
                    <Nullable>disable</Nullable>
                    <LangVersion>latest</LangVersion>
                  </PropertyGroup>
                  <ItemGroup>
                    {References}
                    <Analyzer Include="{Path.Combine(Analyzers, "StaticGrad.Analyzers.dll")}" />
                    <Analyzer Include="{Path.Combine(Analyzers, "StaticGrad.Compiler.dll")}" />
                  </ItemGroup>
                </Project>

                """);
            System.IO.File.WriteAllText(File(root), project.ToString());
        }
    }
}
