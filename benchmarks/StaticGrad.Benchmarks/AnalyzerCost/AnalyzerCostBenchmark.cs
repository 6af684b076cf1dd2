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
/// Usage: <c>--analyzer-cost [--rounds N] [--folder DIR] [--lines N] [--baseline DIR] [--modes concurrent,serial]</c>.
/// Each round runs every project's compiler command line in pairs with and without the analyzers, once as MSBuild runs
/// it (<c>concurrent</c>) and once with the compiler's concurrent build off (<c>serial</c>, <c>/parallel-</c>: the
/// analyzer driver runs one callback at a time, so ReportAnalyzer's sums hold no overlapping callbacks); both by default. <c>--baseline</c> names a
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
        bool[] modes = [false, true];
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
                case "--modes" when i + 1 < args.Count && ParseModes(args[++i]) is { } parsed:
                    modes = parsed;
                    break;
                default:
                    Console.Error.WriteLine($"usage: {Switch} [--rounds N] [--folder DIR] [--lines N] [--baseline DIR] [--modes concurrent,serial]");
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
        var results = new Dictionary<(string Project, bool Serial), List<Round>>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var project in projects)
            {
                // Both the two runs of a pair and the two modes alternate which goes first, so that a trend in the load
                // favours neither.
                var order = round % 2 == 1 ? modes : Enumerable.Reverse(modes).ToArray();
                foreach (var serial in order)
                {
                    var result = Pair(runs[project.Name], withFirst: round % 2 == 1, serial);
                    var key = (project.Name, serial);
                    if (!results.TryGetValue(key, out var list))
                    {
                        results[key] = list = [];
                    }

                    list.Add(result);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round} {project.Name} {Mode(serial)}: csc {result.Wall:F2} s wall, StaticGrad analyzers {result.Report.StaticGradSeconds:F3} s ({Share(result.Report.StaticGradSeconds, result.Wall)}); CPU {result.CpuWith:F2} s with, {result.CpuWithout:F2} s without ({Share(result.CpuWith - result.CpuWithout, result.CpuWithout)}); load {LoadAverage()}"));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{rounds} pairs per project and mode after a warm-up build; load average before {loadBefore}, after {LoadAverage()}. Medians (min-max of the per-round shares).");
        Console.WriteLine("concurrent = csc as MSBuild runs it; serial = the same command line with /parallel- (concurrent build off: the analyzer driver runs one callback at a time).");
        Console.WriteLine("ReportAnalyzer share = the StaticGrad analyzers' ReportAnalyzer time / the compiler's wall time with them; CPU share = (compiler CPU with them - without) / without.");
        Console.WriteLine();
        Console.WriteLine("| project | lines | mode | compiler wall with | CPU without | CPU with | CPU share | StaticGrad analyzers (ReportAnalyzer) | ReportAnalyzer share | TensorUsage / TrainingLoop / Differentiability |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var project in projects)
        {
            foreach (var serial in modes)
            {
                var list = results[(project.Name, serial)];
                var shares = list.Select(r => r.Report.StaticGradSeconds / r.Wall).ToList();
                var cpuShares = list.Select(r => (r.CpuWith - r.CpuWithout) / r.CpuWithout).ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {project.Name} | {project.Lines} | {Mode(serial)} | {Median(list.Select(r => r.Wall)):F2} s | {Median(list.Select(r => r.CpuWithout)):F2} s | {Median(list.Select(r => r.CpuWith)):F2} s | {Median(cpuShares) * 100:F1} % ({cpuShares.Min() * 100:F1}-{cpuShares.Max() * 100:F1}) | {Median(list.Select(r => r.Report.StaticGradSeconds)):F3} s | {Median(shares) * 100:F1} % ({shares.Min() * 100:F1}-{shares.Max() * 100:F1}) | {Median(list.Select(r => r.Report.Seconds("TensorUsageAnalyzer"))):F3} / {Median(list.Select(r => r.Report.Seconds("TrainingLoopAnalyzer"))):F3} / {Median(list.Select(r => r.Report.Seconds("DifferentiabilityAnalyzer"))):F3} s |"));
            }
        }

        return 0;
    }

    /// <summary>One pair of compiler runs of a project, with and without the StaticGrad analyzers, in one mode.</summary>
    private static Round Pair(CompilerRuns runs, bool withFirst, bool serial)
    {
        var first = runs.Run(analyzers: withFirst, serial);
        var second = runs.Run(analyzers: !withFirst, serial);
        var (with, without) = withFirst ? (first, second) : (second, first);
        return new Round(with.Wall, BuildReport.Parse(with.Output), with.Cpu, without.Cpu);
    }

    /// <summary>"concurrent", "serial" or both (comma-separated, in the order given); null when a name is unknown.</summary>
    private static bool[]? ParseModes(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.Length > 0 && names.All(n => n is "concurrent" or "serial") ? names.Distinct().Select(n => n == "serial").ToArray() : null;
    }

    private static string Mode(bool serial) => serial ? "serial" : "concurrent";

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
