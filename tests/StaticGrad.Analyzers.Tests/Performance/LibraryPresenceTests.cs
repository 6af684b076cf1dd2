using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;
using StaticGrad.Analyzers.Differentiability;
using StaticGrad.Analyzers.Tests.Verifiers;
using StaticGrad.Analyzers.TensorUsage;

namespace StaticGrad.Analyzers.Tests.Performance;

/// <summary>
/// Session 21: the analyzers decide at compilation start from the references' names (nothing bound, no symbol looked up)
/// whether a library can be there, and look its types up at their first callback. A project that references neither
/// library registers nothing; every way a project can hold the library still gets the same diagnostics.
/// </summary>
public class LibraryPresenceTests
{
    internal static readonly DiagnosticAnalyzer[] Analyzers = [new DifferentiabilityAnalyzer(), new TensorUsageAnalyzer(), new TrainingLoopAnalyzer()];

    /// <summary>The running framework's own assemblies, each read from its file (as the SDK passes references to csc).</summary>
    internal static readonly ImmutableArray<MetadataReference> Framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
        .Split(Path.PathSeparator)
        .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
        .ToImmutableArray();

    internal static string StaticGradPath => typeof(Tensor).Assembly.Location;

    internal const string StaticGradSource = """
        using System;
        using StaticGrad;

        public static class Losses
        {
            [Differentiable]
            public static double Square(double x) => Math.Floor(x) + x * x;

            public static double Twice()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var loss = (w * w).Sum();
                loss.Backward();
                loss.Backward();
                var frozen = Tensor.FromArray(new[] { 1.0 });
                frozen.Sum().Backward();
                return w.Grad!.Sum().Item();
            }
        }
        """;

    /// <summary>The attributes declared in the project's own source, and a method that uses them (SG1003@13,25, SG1006@13,45).</summary>
    internal const string DeclaredAttributeSource = """
        using System;

        namespace StaticGrad
        {
            [AttributeUsage(AttributeTargets.Method)]
            public sealed class DifferentiableAttribute : Attribute
            {
            }
        }

        public static class Losses
        {
            [StaticGrad.Differentiable]
            public static double Square(double x) => Math.Floor(x) + x * x;
        }
        """;

    [Fact]
    public async Task A_project_that_references_neither_library_registers_nothing()
    {
        const string Plain = """
            using System;

            public sealed class Counter
            {
                private Func<int, int> _step;

                public Counter() => _step = x => x + 1;

                [Obsolete("attribute lists are what the differentiability analyzer looks at first")]
                public static double Sum(double[] values)
                {
                    var total = 0.0;
                    foreach (var v in values)
                    {
                        total += v;
                    }

                    return total;
                }

                public int Step(int x)
                {
                    _step = x > 0 ? _step : y => y;
                    return _step(x);
                }
            }
            """;
        var compilation = Compile(Plain, Framework);
        Assert.False(LibraryPresence.MayHold(compilation, "StaticGrad", "DifferentiableAttribute"));
        Assert.False(LibraryPresence.MayHold(compilation, "TorchSharp", "torch"));

        var (diagnostics, telemetry) = await AnalyzeAsync(compilation);
        Assert.Empty(diagnostics);
        foreach (var analyzer in Analyzers)
        {
            var info = telemetry[analyzer];
            Assert.Equal(1, info.CompilationStartActionsCount);
            Assert.Equal(0, info.SyntaxNodeActionsCount + info.OperationBlockActionsCount + info.OperationActionsCount);
        }
    }

    [Fact]
    public async Task A_project_that_references_StaticGrad_registers_every_analyzer_and_reports()
    {
        var compilation = Compile(StaticGradSource, Framework.Add(MetadataReference.CreateFromFile(StaticGradPath)));
        var (diagnostics, telemetry) = await AnalyzeAsync(compilation);

        Assert.Equal(1, telemetry[Analyzers[0]].SyntaxNodeActionsCount);
        Assert.Equal(1, telemetry[Analyzers[1]].OperationBlockActionsCount);
        Assert.Equal(2, telemetry[Analyzers[2]].OperationActionsCount);
        Assert.Contains(diagnostics, d => d.Id == "SG1003");
        Assert.Contains(diagnostics, d => d.Id == "SG0005");
        Assert.Contains(diagnostics, d => d.Id == "SG0002");
    }

    /// <summary>
    /// The ways a compilation can hold the library other than a reference to StaticGrad.dll: an image without a file
    /// (its name is not read, so it counts as a match), a copy whose file name differs only in case, the attributes
    /// declared in the project's own source, and the runtime itself. Each gets the diagnostics the file reference gets.
    /// </summary>
    [Fact]
    public async Task Every_way_of_holding_the_library_gets_the_same_diagnostics()
    {
        var expected = Ids((await AnalyzeAsync(Compile(StaticGradSource, Framework.Add(MetadataReference.CreateFromFile(StaticGradPath))))).Diagnostics);
        Assert.NotEmpty(expected);

        var image = MetadataReference.CreateFromImage(File.ReadAllBytes(StaticGradPath));
        Assert.Equal(expected, Ids((await AnalyzeAsync(Compile(StaticGradSource, Framework.Add(image)))).Diagnostics));

        var folder = Directory.CreateTempSubdirectory("staticgrad-presence");
        try
        {
            var upper = Path.Combine(folder.FullName, "STATICGRAD.DLL");
            File.Copy(StaticGradPath, upper);
            Assert.Equal(expected, Ids((await AnalyzeAsync(Compile(StaticGradSource, Framework.Add(MetadataReference.CreateFromFile(upper))))).Diagnostics));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Also when the declaration spells the name with a Unicode escape, which the text pre-check cannot see through.</summary>
    [Theory]
    [InlineData("DifferentiableAttribute")]
    [InlineData("Differentiable\\u0041ttribute")]
    public async Task Attributes_declared_in_the_project_itself_are_analyzed_without_the_runtime(string declaredName)
    {
        var source = DeclaredAttributeSource.Replace("class DifferentiableAttribute", "class " + declaredName, StringComparison.Ordinal);
        var compilation = Compile(source, Framework);
        Assert.True(LibraryPresence.MayHold(compilation, "StaticGrad", "DifferentiableAttribute"));
        Assert.Equal(["SG1003@13,25", "SG1006@13,45"], Ids((await AnalyzeAsync(compilation)).Diagnostics));
    }

    [Fact]
    public void The_runtime_compiling_itself_and_a_project_reference_count_as_the_library()
    {
        var runtime = CSharpCompilation.Create("StaticGrad", [CSharpSyntaxTree.ParseText("namespace StaticGrad; public class Tensor { }")], Framework, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.True(LibraryPresence.MayHold(runtime, "StaticGrad", "Tensor"));
        Assert.False(LibraryPresence.MayHold(runtime, "TorchSharp", "torch"));

        var user = CSharpCompilation.Create("User", [CSharpSyntaxTree.ParseText("public static class C { public static StaticGrad.Tensor M() => new(); }")], Framework.Add(runtime.ToMetadataReference()), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.True(LibraryPresence.MayHold(user, "StaticGrad", "Tensor"));
        Assert.Single(StaticGrad.Analyzers.TensorUsage.Analysis.TensorApi.Candidates(user));
    }

    /// <summary>TorchSharp through <c>using static</c> and an alias: the same references, the same diagnostics, found by name.</summary>
    [Fact]
    public async Task TorchSharp_through_static_using_and_an_alias_is_analyzed()
    {
        const string Source = """
            using static TorchSharp.torch;
            using T = TorchSharp.torch.Tensor;

            public static class Steps
            {
                public static double Twice()
                {
                    T w = ones(2, requires_grad: true);
                    var loss = (w * w).sum();
                    loss.backward();
                    loss.backward();
                    return w.grad.sum().item<double>();
                }
            }
            """;
        var torchSharp = TestReferences.TorchSharp.Last();
        var compilation = Compile(Source, Framework.Add(torchSharp));
        Assert.True(LibraryPresence.MayHold(compilation, "TorchSharp", "torch"));
        Assert.False(LibraryPresence.MayHold(compilation, "StaticGrad", "DifferentiableAttribute"));
        Assert.Equal(["SG0005@10,8"], Ids((await AnalyzeAsync(compilation)).Diagnostics));
    }

    internal static string[] Ids(ImmutableArray<Diagnostic> diagnostics) =>
        diagnostics.Select(d => $"{d.Id}@{d.Location.GetLineSpan().StartLinePosition}").OrderBy(s => s, StringComparer.Ordinal).ToArray();

    internal static CSharpCompilation Compile(string source, ImmutableArray<MetadataReference> references)
    {
        var compilation = CSharpCompilation.Create(
            "Presence",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "Presence.cs")],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        return compilation;
    }

    internal static async Task<(ImmutableArray<Diagnostic> Diagnostics, IReadOnlyDictionary<DiagnosticAnalyzer, AnalyzerTelemetryInfo> Telemetry)> AnalyzeAsync(Compilation compilation)
    {
        var withAnalyzers = compilation.WithAnalyzers(
            [.. Analyzers],
            new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        var telemetry = new Dictionary<DiagnosticAnalyzer, AnalyzerTelemetryInfo>();
        foreach (var analyzer in Analyzers)
        {
            telemetry[analyzer] = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
        }

        return (diagnostics, telemetry);
    }
}
