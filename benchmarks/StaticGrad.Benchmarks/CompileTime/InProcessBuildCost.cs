extern alias generator;

using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using generator::StaticGrad.Generator;

namespace StaticGrad.Benchmarks.CompileTime;

/// <summary>
/// The compiler's own work on the build-cost project, measured inside one warm process: what a build pays when the
/// compiler server is already running (a developer machine's default), without MSBuild and process start-up, which a
/// whole-process timing adds to both sides. Each round compiles the same realistic project (<see cref="RealisticProject"/>)
/// four ways, in turn: without the package; with the generated files given as plain sources (what the generated code
/// costs the compiler); with the generator; with the generator and the analyzers. Single-threaded compilations
/// (<c>concurrentBuild: false</c>), so that the process's CPU time is the compilation's.
/// </summary>
/// <remarks>Usage: <c>--build-cost-in-process [methods, default 300] [counted rounds, default 12]</c>.</remarks>
public static class InProcessBuildCost
{
    public const string Switch = "--build-cost-in-process";

    private static readonly CSharpCompilationOptions Options = new(
        OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release,
        nullableContextOptions: NullableContextOptions.Enable,
        concurrentBuild: false);

    public static int Run(IReadOnlyList<string> args)
    {
        var methods = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        var rounds = args.Count > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 12;
        var user = BuildCostProjects.Sources(methods, RealisticProject.Method).Select(s => s.Text).ToArray();
        var withoutSources = user.Append(BuildCostProjects.AttributesSource).ToArray();
        var generated = GeneratedSources(user);
        var analyzers = Analyzers();
        Console.WriteLine(Invariant($"{methods} methods, {user.Sum(Lines)} user lines; {generated.Length} generated files, {generated.Sum(Lines)} lines; analyzers: {string.Join(", ", analyzers.Select(a => a.GetType().Name))}"));

        var variants = new (string Name, Action Compile)[]
        {
            ("without the package", () => Emit(Compilation(withoutSources, runtime: false))),
            ("generated files as plain sources", () => Emit(Compilation(user.Concat(generated), runtime: true))),
            ("with the generator", () => Emit(Generate(Compilation(user, runtime: true)))),
            ("with the generator and analyzers", () =>
            {
                var compilation = Generate(Compilation(user, runtime: true));
                _ = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false))
                    .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
                Emit(compilation);
            }),
        };

        // Warm-up rounds first (JIT tiering of the compiler and of our components), as in a long-lived server.
        var cpu = variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (var round = -Math.Max(4, rounds / 2); round < rounds; round++)
        {
            foreach (var (name, compile) in variants)
            {
                var seconds = CpuSeconds(compile);
                if (round >= 0)
                {
                    cpu[name].Add(seconds);
                }
            }
        }

        var baseline = cpu[variants[0].Name];
        Console.WriteLine(Invariant($"{rounds} counted rounds after warm-up; CPU ms median (min-max); ratio = median of the paired ratios to 'without'"));
        foreach (var (name, _) in variants)
        {
            var ratios = cpu[name].Zip(baseline, (a, b) => a / b).ToList();
            Console.WriteLine(Invariant($"  {name,-36} {1000 * Median(cpu[name]),7:F0} ({1000 * cpu[name].Min():F0}-{1000 * cpu[name].Max():F0})   x{Median(ratios):F2}"));
        }

        ReportAnalyzerTimes(Generate(Compilation(user, runtime: true)), analyzers);
        return 0;
    }

    internal static string[] GeneratedSources(IEnumerable<string> user)
    {
        var driver = CSharpGeneratorDriver.Create([new DifferentiableGenerator().AsSourceGenerator()], parseOptions: SyntheticProject.ParseOptions)
            .RunGenerators(Compilation(user, runtime: true));
        return driver.GetRunResult().GeneratedTrees.Select(t => t.GetText().ToString()).ToArray();
    }

    private static Compilation Generate(CSharpCompilation compilation)
    {
        CSharpGeneratorDriver.Create([new DifferentiableGenerator().AsSourceGenerator()], parseOptions: SyntheticProject.ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var updated, out _);
        return updated;
    }

    /// <summary>Every analyzer the package ships (the analyzer assembly is referenced by this project for this).</summary>
    internal static ImmutableArray<DiagnosticAnalyzer> Analyzers() =>
        Assembly.Load(new AssemblyName("StaticGrad.Analyzers")).GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    private static void ReportAnalyzerTimes(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var withAnalyzers = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        _ = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        foreach (var analyzer in analyzers)
        {
            var time = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime;
            Console.WriteLine(Invariant($"  {analyzer.GetType().Name,-36} {time.TotalMilliseconds,7:F0} ms in its callbacks (wall, one run)"));
        }
    }

    internal static CSharpCompilation Compilation(IEnumerable<string> sources, bool runtime, CSharpParseOptions? parse = null) => CSharpCompilation.Create(
        "BuildCost",
        sources.Select((text, i) => CSharpSyntaxTree.ParseText(text, parse ?? SyntheticProject.ParseOptions, path: Invariant($"File{i}.cs"))),
        runtime ? [.. Basic.Reference.Assemblies.Net80.References.All, MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location)] : Basic.Reference.Assemblies.Net80.References.All,
        Options);

    private static void Emit(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            throw new InvalidOperationException("The build-cost project does not compile: " + string.Join("; ", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(3)));
        }
    }

    internal static double CpuSeconds(Action action)
    {
        var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        action();
        process.Refresh();
        return (process.TotalProcessorTime - before).TotalSeconds;
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    internal static int Lines(string text) => text.Count(c => c == '\n');

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
