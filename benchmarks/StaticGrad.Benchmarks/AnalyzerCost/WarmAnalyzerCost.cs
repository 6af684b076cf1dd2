using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StaticGrad.Benchmarks.AnalyzerCost;

/// <summary>
/// The analyzers' cost in a warm compiler: what a developer's second build pays in the compiler server (VBCSCompiler,
/// the default of <c>dotnet build</c>) and what the IDE pays, where the analyzer assembly is loaded and compiled by the
/// JIT once. Reads the compiler command lines <see cref="AnalyzerCostBenchmark"/> wrote (<c>with.rsp</c> in each
/// project folder), then, in this one process, compiles each project again and again on fresh compilations (the
/// syntax trees and references are shared, as the server shares them): a compile alone (<c>GetDiagnostics</c> +
/// <c>Emit</c>) and a compile with the StaticGrad analyzers (<c>CompilationWithAnalyzers</c>, concurrent, with the
/// driver's per-analyzer stopwatches, the same that ReportAnalyzer prints), alternating which goes first. With
/// <c>--baseline DIR</c> a second set of analyzer assemblies (another build's, each set in its own load context) is
/// measured in the same rounds.
/// </summary>
/// <remarks>Usage: <c>--analyzer-warm [--folder DIR] [--rounds N] [--warmup N] [--baseline DIR] [--projects a,b]</c>.</remarks>
public static class WarmAnalyzerCost
{
    public const string Switch = "--analyzer-warm";

    public static int Run(IReadOnlyList<string> args)
    {
        var folder = Path.Combine(Path.GetTempPath(), "staticgrad-analyzer-cost");
        var rounds = 10;
        var warmup = 2;
        string? baseline = null;
        var names = new[] { "staticgrad", "torchsharp", "plain" };
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--folder" when i + 1 < args.Count:
                    folder = Path.GetFullPath(args[++i]);
                    break;
                case "--rounds" when i + 1 < args.Count:
                    rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--warmup" when i + 1 < args.Count:
                    warmup = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--baseline" when i + 1 < args.Count:
                    baseline = Path.GetFullPath(args[++i]);
                    break;
                case "--projects" when i + 1 < args.Count:
                    names = args[++i].Split(',');
                    break;
                default:
                    Console.Error.WriteLine($"usage: {Switch} [--folder DIR] [--rounds N] [--warmup N] [--baseline DIR] [--projects a,b]");
                    return 2;
            }
        }

        var projects = new List<Project>();
        foreach (var name in names)
        {
            var rsp = Path.Combine(folder, name, "with.rsp");
            if (!File.Exists(rsp))
            {
                Console.Error.WriteLine($"{rsp} is missing: run {AnalyzerCostBenchmark.Switch} --rounds 0 first (it writes the command lines)");
                return 1;
            }

            projects.Add(Project.Read(name, rsp));
        }

        var current = new AnalyzerSet("current", null);
        var sets = new List<AnalyzerSet> { new("driver", null, driverOnly: true), current };
        if (baseline is not null)
        {
            sets.Add(new AnalyzerSet("baseline", baseline));
        }

        var results = new Dictionary<(string Project, string Set), List<Sample>>();
        var loadBefore = Load();
        for (var round = -warmup + 1; round <= rounds; round++)
        {
            foreach (var project in projects)
            {
                var order = new List<string?> { null };
                order.AddRange(sets.Select(s => s.Name));
                if (round % 2 == 0)
                {
                    order.Reverse();
                }

                var samples = new Dictionary<string, Sample>();
                foreach (var setName in order)
                {
                    var set = sets.FirstOrDefault(s => s.Name == setName);
                    samples[setName ?? "none"] = Measure(project, set);
                }

                if (round < 1)
                {
                    continue;
                }

                var line = $"round {round} {project.Name}: compile alone {samples["none"].Wall:F2} s wall, {samples["none"].Cpu:F2} s CPU";
                foreach (var set in sets)
                {
                    var s = samples[set.Name];
                    s = s with { CpuWithout = samples["none"].Cpu, WallWithout = samples["none"].Wall };
                    if (!results.TryGetValue((project.Name, set.Name), out var list))
                    {
                        results[(project.Name, set.Name)] = list = [];
                    }

                    list.Add(s);
                    line += string.Create(CultureInfo.InvariantCulture, $"; {set.Name}: {s.Wall:F2} s wall, StaticGrad analyzers {s.StaticGrad:F3} s ({s.StaticGrad / s.Wall * 100:F1} %) [{string.Join(", ", s.PerAnalyzer.Select(a => $"{a.Key} {a.Value:F3}"))}], CPU {s.Cpu:F2} s");
                }

                Console.WriteLine(line + $"; load {Load()}");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Warm, in one process: {rounds} rounds after {warmup} warm-up rounds, each a fresh compilation; load average before {loadBefore}, after {Load()}. Medians (min-max of the per-round shares).");
        Console.WriteLine("share = the StaticGrad analyzers' driver stopwatch (ReportAnalyzer's) / the wall time of the compile with them; CPU share = (process CPU with them - compile alone) / compile alone.");
        Console.WriteLine();
        Console.WriteLine("driver = a no-op analyzer that asks for every operation block (the binding any operation analyzer makes the driver do), run with every set; own CPU share = (CPU with the set - CPU of the driver alone, same round) / CPU of the compile alone.");
        Console.WriteLine();
        Console.WriteLine("| project | analyzers | compile alone (wall / CPU) | compile with analyzers (wall) | StaticGrad analyzers (stopwatch) | stopwatch share | TensorUsage / TrainingLoop / Differentiability | CPU share (with - alone) | own CPU share (with - driver) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var ((projectName, setName), list) in results)
        {
            var driver = results[(projectName, "driver")];
            var shares = list.Select(s => s.StaticGrad / s.Wall).ToList();
            var cpu = list.Select(s => (s.Cpu - s.CpuWithout) / s.CpuWithout).ToList();
            var own = list.Select((s, i) => (s.Cpu - driver[i].Cpu) / s.CpuWithout).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {projectName} | {setName} | {Median(list.Select(s => s.WallWithout)):F2} / {Median(list.Select(s => s.CpuWithout)):F2} s | {Median(list.Select(s => s.Wall)):F2} s | {Median(list.Select(s => s.StaticGrad)):F3} s | {Median(shares) * 100:F1} % ({shares.Min() * 100:F1}-{shares.Max() * 100:F1}) | {Median(list.Select(s => s.Of("TensorUsageAnalyzer"))):F3} / {Median(list.Select(s => s.Of("TrainingLoopAnalyzer"))):F3} / {Median(list.Select(s => s.Of("DifferentiabilityAnalyzer"))):F3} s | {Median(cpu) * 100:F1} % ({cpu.Min() * 100:F1}-{cpu.Max() * 100:F1}) | {Median(own) * 100:F1} % ({own.Min() * 100:F1}-{own.Max() * 100:F1}) |"));
        }

        return 0;
    }

    private static Sample Measure(Project project, AnalyzerSet? set)
    {
        var process = Process.GetCurrentProcess();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var compilation = project.Fresh();
        var perAnalyzer = new Dictionary<string, double>(StringComparer.Ordinal);
        if (set is null)
        {
            using var pe = new MemoryStream();
            _ = compilation.Emit(pe);
        }
        else
        {
            var analyzers = set.Analyzers(project).Add(Driver);
            var options = new CompilationWithAnalyzersOptions(project.AnalyzerOptions, onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false);
            var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
            var emit = Task.Run(() =>
            {
                using var pe = new MemoryStream();
                return withAnalyzers.Compilation.Emit(pe);
            });
            var result = withAnalyzers.GetAnalysisResultAsync(CancellationToken.None).GetAwaiter().GetResult();
            _ = emit.GetAwaiter().GetResult();
            foreach (var analyzer in analyzers.Remove(Driver))
            {
                var telemetry = result.AnalyzerTelemetryInfo[analyzer];
                var name = analyzer.GetType().Name;
                perAnalyzer[name] = perAnalyzer.GetValueOrDefault(name) + telemetry.ExecutionTime.TotalSeconds;
            }
        }

        var wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        return new Sample(wall, cpu, perAnalyzer.Values.Sum(), perAnalyzer, double.NaN, double.NaN);
    }

    /// <summary>Asks for every operation block and does nothing: the driver's binding of the method bodies, which any operation analyzer pays.</summary>
    private static readonly DiagnosticAnalyzer Driver = new OperationBlockDriver();

#pragma warning disable RS1001, RS1036, RS1041, RS2008 // Hosted by this benchmark only, never loaded by a compiler.
    private sealed class OperationBlockDriver : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Unused = new("SGBENCH", "unused", "unused", "benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Unused];

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationBlockAction(_ => { });
        }
    }
#pragma warning restore RS1001, RS1036, RS1041, RS2008

    private sealed record Sample(double Wall, double Cpu, double StaticGrad, Dictionary<string, double> PerAnalyzer, double CpuWithout, double WallWithout)
    {
        public double Of(string name) => PerAnalyzer.GetValueOrDefault(name);
    }

    /// <summary>One project's compiler inputs, parsed once from its command line.</summary>
    private sealed class Project
    {
        private readonly CSharpCommandLineArguments _arguments;
        private readonly ImmutableArray<SyntaxTree> _trees;
        private readonly ImmutableArray<MetadataReference> _references;

        private Project(string name, CSharpCommandLineArguments arguments, ImmutableArray<SyntaxTree> trees, ImmutableArray<MetadataReference> references)
        {
            Name = name;
            _arguments = arguments;
            _trees = trees;
            _references = references;
            AnalyzerPaths = arguments.AnalyzerReferences.Select(r => r.FilePath).Where(p => Path.GetFileName(p).StartsWith("StaticGrad.", StringComparison.Ordinal)).ToList();
        }

        public string Name { get; }

        public List<string> AnalyzerPaths { get; }

        public AnalyzerOptions AnalyzerOptions { get; } = new(ImmutableArray<AdditionalText>.Empty);

        public static Project Read(string name, string rsp)
        {
            var directory = Path.GetDirectoryName(rsp)!;
            var text = File.ReadAllText(rsp);
            var args = CommandLineParser.SplitCommandLineIntoArguments(text, removeHashComments: false).ToList();
            var sdk = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var arguments = CSharpCommandLineParser.Default.Parse(args, directory, sdk);
            var trees = arguments.SourceFiles.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f.Path), arguments.ParseOptions, f.Path)).ToImmutableArray();
            var references = arguments.MetadataReferences.Select(r => (MetadataReference)MetadataReference.CreateFromFile(Path.GetFullPath(r.Reference, directory))).ToImmutableArray();
            return new Project(name, arguments, trees, references);
        }

        public CSharpCompilation Fresh() => CSharpCompilation.Create(_arguments.CompilationName ?? Name, _trees, _references, _arguments.CompilationOptions);
    }

    /// <summary>The StaticGrad analyzers of one build, loaded in their own context (a baseline folder, or the paths the command line names).</summary>
    private sealed class AnalyzerSet(string name, string? folder, bool driverOnly = false)
    {
        private readonly Dictionary<string, ImmutableArray<DiagnosticAnalyzer>> _loaded = new(StringComparer.Ordinal);

        public string Name { get; } = name;

        public ImmutableArray<DiagnosticAnalyzer> Analyzers(Project project)
        {
            if (driverOnly)
            {
                return [];
            }

            var paths = project.AnalyzerPaths.Select(p => folder is null ? p : Path.Combine(folder, Path.GetFileName(p))).ToList();
            var key = string.Join(';', paths);
            if (!_loaded.TryGetValue(key, out var analyzers))
            {
                var context = new FolderLoadContext(Path.GetDirectoryName(paths[0])!);
                var list = new List<DiagnosticAnalyzer>();
                foreach (var path in paths)
                {
                    var assembly = context.LoadFromAssemblyPath(path);
                    foreach (var type in assembly.GetTypes())
                    {
                        if (!type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null && type.GetConstructor(Type.EmptyTypes) is not null)
                        {
                            list.Add((DiagnosticAnalyzer)Activator.CreateInstance(type)!);
                        }
                    }
                }

                _loaded[key] = analyzers = [.. list];
            }

            return analyzers;
        }
    }

    /// <summary>Loads the StaticGrad assemblies of one folder; Roslyn and the framework come from the host.</summary>
    private sealed class FolderLoadContext(string folder) : AssemblyLoadContext(isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(folder, assemblyName.Name + ".dll");
            return assemblyName.Name!.StartsWith("StaticGrad.", StringComparison.Ordinal) && File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
