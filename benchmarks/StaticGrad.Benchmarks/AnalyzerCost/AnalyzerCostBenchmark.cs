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

        // Warm-up: one MSBuild build of each project (restores nothing, fills the disk caches) whose detailed log gives
        // the Csc task's time and the compiler's command line, which the rounds then run by themselves.
        var runs = new Dictionary<string, CompilerRuns>();
        foreach (var project in projects)
        {
            if (Dotnet($"build \"{project.File(folder)}\" --no-restore --no-incremental -nologo -nr:false -v:d -clp:PerformanceSummary -p:ReportAnalyzer=true", out var output) != 0)
            {
                Console.Error.WriteLine(output);
                return 1;
            }

            var report = BuildReport.Parse(output);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up build {project.Name}: Csc task {report.CscSeconds:F2} s, StaticGrad analyzers {report.StaticGradSeconds:F3} s ({Share(report.StaticGradSeconds, report.CscSeconds)}), {report.Warnings} warnings, {report.Errors} errors"));
            runs[project.Name] = CompilerRuns.FromBuildLog(output, project.Directory(folder)) ?? throw new InvalidOperationException($"no compiler command line in the build log of {project.Name}");
        }

        if (rounds == 0)
        {
            return 0;
        }

        var loadBefore = LoadAverage();
        var results = projects.ToDictionary(p => p.Name, _ => new List<Round>());
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var project in projects)
            {
                // The two runs of a pair alternate which goes first, so that a trend in the load favours neither.
                var withFirst = round % 2 == 1;
                var first = runs[project.Name].Run(analyzers: withFirst);
                var second = runs[project.Name].Run(analyzers: !withFirst);
                var (with, without) = withFirst ? (first, second) : (second, first);
                var report = BuildReport.Parse(with.Output);
                var result = new Round(with.Wall, report, with.Cpu, without.Cpu);
                results[project.Name].Add(result);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round} {project.Name}: csc {with.Wall:F2} s wall, StaticGrad analyzers {report.StaticGradSeconds:F3} s ({Share(report.StaticGradSeconds, with.Wall)}); CPU {with.Cpu:F2} s with, {without.Cpu:F2} s without ({Share(with.Cpu - without.Cpu, without.Cpu)}); load {LoadAverage()}"));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{rounds} pairs per project after a warm-up build; load average before {loadBefore}, after {LoadAverage()}. Medians (min-max of the per-round shares).");
        Console.WriteLine("ReportAnalyzer share = the StaticGrad analyzers' ReportAnalyzer time / the compiler's wall time; CPU share = (compiler CPU with them - without) / without.");
        Console.WriteLine();
        Console.WriteLine("| project | lines | compiler wall | StaticGrad analyzers (ReportAnalyzer) | ReportAnalyzer share | TensorUsage / TrainingLoop / Differentiability | CPU without | CPU with | CPU share |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var project in projects)
        {
            var list = results[project.Name];
            var shares = list.Select(r => r.Report.StaticGradSeconds / r.Wall).ToList();
            var cpuShares = list.Select(r => (r.CpuWith - r.CpuWithout) / r.CpuWithout).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {project.Name} | {project.Lines} | {Median(list.Select(r => r.Wall)):F2} s | {Median(list.Select(r => r.Report.StaticGradSeconds)):F3} s | {Median(shares) * 100:F1} % ({shares.Min() * 100:F1}-{shares.Max() * 100:F1}) | {Median(list.Select(r => r.Report.Seconds("TensorUsageAnalyzer"))):F3} / {Median(list.Select(r => r.Report.Seconds("TrainingLoopAnalyzer"))):F3} / {Median(list.Select(r => r.Report.Seconds("DifferentiabilityAnalyzer"))):F3} s | {Median(list.Select(r => r.CpuWithout)):F2} s | {Median(list.Select(r => r.CpuWith)):F2} s | {Median(cpuShares) * 100:F1} % ({cpuShares.Min() * 100:F1}-{cpuShares.Max() * 100:F1}) |"));
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

    /// <summary>One pair of compiler runs: the run with the analyzers (its wall time and report) and both runs' processor time.</summary>
    private sealed record Round(double Wall, BuildReport Report, double CpuWith, double CpuWithout);

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
