using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.Diagnostics;
using StaticGrad.Generator.Tests.Compiler;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// A crash while differentiating one method (injected through <see cref="FaultInjection"/>, keyed by a method name no
/// other test uses) becomes one SG1000 at that method; that method loses the failed stage's file and every other
/// method keeps all of its files; neither the generator (CS8785) nor the analyzer (AD0001) throws.
/// </summary>
public sealed class CrashIsolationTests
{
    private const string Faulty = "CrashIsolationTarget";

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Isolation;

        public static partial class F
        {
            [Differentiable(Hessian = true)]
            public static double Before(double x, double y) => Math.Sin(x) * y;

            [Differentiable(Hessian = true)]
            public static double CrashIsolationTarget(double x, double y) => x * x * y;

            [Differentiable(Hessian = true)]
            public static double After(double x, double y) { var s = 0.0; for (int i = 0; i < 3; i++) s = s * x + y; return s; }
        }
        """;

    private const string TensorSource = """
        using StaticGrad;

        namespace Isolation;

        public static partial class T
        {
            [Differentiable]
            public static Tensor Before(Tensor a, Tensor b) => (a * b).Sum();

            [Differentiable]
            public static Tensor CrashIsolationTarget(Tensor a, Tensor b) => (a * a + b).Sum();
        }
        """;

    [Theory]
    [InlineData("backward", "Isolation.F.CrashIsolationTarget.g.cs")]
    [InlineData("tangent", "Isolation.F.CrashIsolationTarget.Tangent.g.cs")]
    [InlineData("Hessian", "Isolation.F.CrashIsolationTarget.Hessian.g.cs")]
    [InlineData("Tensor lifting", "Isolation.F.CrashIsolationTarget.Tensor.g.cs")]
    public void A_crash_in_a_generator_stage_is_one_SG1000_at_the_method_and_costs_only_its_file(string stage, string lostFile)
    {
        var expected = GeneratorHarness.Run(Source).Sources.Select(s => s.HintName).ToList();
        Assert.Contains(lostFile, expected);

        var output = WithFault(stage, () => GeneratorHarness.Run(Source));

        Assert.Equal(expected.Where(h => h != lostFile), output.Sources.Select(s => s.HintName));
        var internalError = Assert.Single(output.GeneratorDiagnostics);
        AssertAtFaultyMethod(internalError, Source, stage);
        if (stage == "tangent")
        {
            // Nothing refers to the lost Tangent: the rest compiles and the other methods' gradients are right.
            GeneratorHarness.AssertClean(output with { GeneratorDiagnostics = System.Collections.Immutable.ImmutableArray<Diagnostic>.Empty });
            var assembly = GeneratorHarness.Load(output.OutputCompilation);
            GradientAssert.MatchesFiniteDifferences(assembly, "Isolation.F", "After", new object[] { 0.7, -1.3 });
            GradientAssert.MatchesFiniteDifferences(assembly, "Isolation.F", "Before", new object[] { 0.7, -1.3 });
        }
    }

    [Fact]
    public void A_crash_in_a_Tensor_bodied_method_costs_only_its_file()
    {
        var expected = GeneratorHarness.Run(TensorSource).Sources.Select(s => s.HintName).ToList();
        Assert.Contains("Isolation.T.CrashIsolationTarget.Tensor.g.cs", expected);

        var output = WithFault("Tensor method", () => GeneratorHarness.Run(TensorSource));

        Assert.Equal(expected.Where(h => h != "Isolation.T.CrashIsolationTarget.Tensor.g.cs"), output.Sources.Select(s => s.HintName));
        AssertAtFaultyMethod(Assert.Single(output.GeneratorDiagnostics), TensorSource, "Tensor method");
    }

    [Fact]
    public void A_crash_in_the_lowering_is_reported_once_by_the_analyzer_and_the_generator_skips_only_that_method()
    {
        var output = WithFault("lowering", () => GeneratorHarness.Run(Source));
        var analyzer = WithFault("lowering", () => GeneratorHarness.AnalyzerDiagnostics(GeneratorHarness.CreateCompilation(Source)));

        Assert.Empty(output.GeneratorDiagnostics);
        Assert.DoesNotContain(output.Sources, s => s.HintName.Contains(Faulty, StringComparison.Ordinal));
        Assert.Equal(8, output.Sources.Length);
        AssertAtFaultyMethod(Assert.Single(analyzer), Source, "lowering");
    }

    [Fact]
    public void The_analyzer_never_throws_a_crash_becomes_SG1000_not_AD0001()
    {
        var analyzer = WithFault("analyzer", () => GeneratorHarness.AnalyzerDiagnostics(GeneratorHarness.CreateCompilation(Source)));
        AssertAtFaultyMethod(Assert.Single(analyzer), Source, "analyzer");

        // A crash in the analyses it shares with the backward stage is the generator's to report: none here, no AD0001.
        Assert.Empty(WithFault("analysis", () => GeneratorHarness.AnalyzerDiagnostics(GeneratorHarness.CreateCompilation(Source))));
    }

    [Fact]
    public void Without_a_fault_there_is_no_SG1000()
    {
        var output = GeneratorHarness.Run(Source);
        Assert.Empty(output.GeneratorDiagnostics);
        Assert.Empty(GeneratorHarness.AnalyzerDiagnostics(output.OutputCompilation));
        Assert.Equal(12, output.Sources.Length);
    }

    private static T WithFault<T>(string stage, Func<T> run)
    {
        FaultInjection.Request(Faulty, stage);
        try
        {
            return run();
        }
        finally
        {
            FaultInjection.Clear(Faulty, stage);
        }
    }

    private static void AssertAtFaultyMethod(Diagnostic diagnostic, string source, string stage)
    {
        Assert.Equal("SG1000", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(DiagnosticDescriptors.HelpLink("SG1000"), diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal(source.IndexOf(Faulty + "(", StringComparison.Ordinal), diagnostic.Location.SourceSpan.Start);
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith("internal error in StaticGrad while differentiating '", message, StringComparison.Ordinal);
        Assert.Contains(Faulty + "': System.InvalidOperationException in the " + stage + ": fault injected into " + Faulty, message, StringComparison.Ordinal);
        Assert.EndsWith("; please report", message, StringComparison.Ordinal);
    }
}
