using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StaticGrad.Generator.Tests.Infrastructure;

/// <summary>What one generator run produced: the generated files by hint name and the compilation that includes them.</summary>
public sealed record GeneratorOutput(
    ImmutableArray<(string HintName, string Source)> Sources,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    Compilation OutputCompilation,
    GeneratorDriver Driver)
{
    /// <summary>Errors and warnings of the compilation that includes the generated code.</summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics =>
        OutputCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    public string Source(string hintName) => Sources.Single(s => s.HintName == hintName).Source;

    /// <summary>
    /// The SG1xxx diagnostics of the compilation, as a build reports them: the differentiability analyzer runs the
    /// compiler core's lowering (the generator itself reports nothing; it skips a method with errors).
    /// </summary>
    public ImmutableArray<Diagnostic> AnalyzerDiagnostics => GeneratorHarness.AnalyzerDiagnostics(OutputCompilation);

    /// <summary>Each analyzer diagnostic with the source text it is located at (in the first tree) and its message.</summary>
    public (string Id, string Severity, string Text, string Message)[] LocatedDiagnostics()
    {
        var tree = OutputCompilation.SyntaxTrees.First();
        return AnalyzerDiagnostics
            .Select(d => (d.Id, d.Severity.ToString(), tree.GetText().ToString(d.Location.SourceSpan), d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();
    }
}

/// <summary>Runs <see cref="DifferentiableGenerator"/> in-process the way the compiler does, and loads the result.</summary>
public static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "GeneratorTests" + Guid.NewGuid().ToString("N"),
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: "Source" + i + ".cs")),
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

    /// <param name="properties">The project's MSBuild properties; <see cref="BuildProperties.AllOutputs"/> when null.</param>
    public static GeneratorDriver CreateDriver(bool trackSteps = true, BuildProperties? properties = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            optionsProvider: properties ?? BuildProperties.AllOutputs,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    public static GeneratorOutput Run(params string[] sources) => Run(CreateCompilation(sources));

    /// <summary>Runs <see cref="StaticGrad.Analyzers.Differentiability.DifferentiabilityAnalyzer"/> on a compilation; returns its diagnostics sorted by position.</summary>
    public static ImmutableArray<Diagnostic> AnalyzerDiagnostics(Compilation compilation) =>
        compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new StaticGrad.Analyzers.Differentiability.DifferentiabilityAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();

    public static GeneratorOutput Run(Compilation compilation, BuildProperties? properties = null)
    {
        var driver = CreateDriver(properties: properties).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var sources = driver.GetRunResult().Results
            .SelectMany(r => r.GeneratedSources)
            .Select(s => (s.HintName, s.SourceText.ToString()))
            .OrderBy(s => s.HintName, StringComparer.Ordinal)
            .ToImmutableArray();
        return new GeneratorOutput(sources, diagnostics, output, driver);
    }

    /// <summary>Runs the generator, asserts that it and the generated code are diagnostic-free, and loads the assembly.</summary>
    public static Assembly CompileAndLoad(params string[] sources)
    {
        var output = Run(sources);
        AssertClean(output);
        return Load(output.OutputCompilation);
    }

    public static void AssertClean(GeneratorOutput output)
    {
        var problems = output.GeneratorDiagnostics.Concat(output.CompilationDiagnostics).ToArray();
        if (problems.Length > 0)
        {
            var generated = string.Join("\n", output.Sources.Select(s => "// " + s.HintName + "\n" + s.Source));
            throw new Xunit.Sdk.XunitException(
                "Expected no diagnostics, got:\n" + string.Join("\n", problems.Select(d => d.ToString())) + "\n\nGenerated:\n" + generated);
        }
    }

    /// <summary>Emits to memory and loads into a collectible context, so that thousands of test programs do not pile up.</summary>
    public static Assembly Load(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            throw new Xunit.Sdk.XunitException("Emit failed:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        stream.Position = 0;
        var context = new AssemblyLoadContext(compilation.AssemblyName, isCollectible: true);
        context.Resolving += (_, name) => name.Name == typeof(DifferentiableAttribute).Assembly.GetName().Name ? typeof(DifferentiableAttribute).Assembly : null;
        return context.LoadFromStream(stream);
    }
}
