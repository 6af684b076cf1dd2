using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using StaticGrad.Analyzers.Differentiability;
using StaticGrad.CodeFixes.Differentiability;
using Verifier = StaticGrad.CodeFixes.Tests.Verifiers.CodeFixVerifier<StaticGrad.Analyzers.Differentiability.DifferentiabilityAnalyzer, StaticGrad.CodeFixes.Differentiability.MakeTypePartialCodeFix>;

namespace StaticGrad.CodeFixes.Tests.Differentiability;

/// <summary>SG1003: the fix adds <c>partial</c> to the type and to every enclosing type that lacks it.</summary>
public sealed class MakeTypePartialCodeFixTests
{
    [Fact]
    public Task Adds_partial_after_the_other_modifiers() => Verifier.VerifyAsync(
        """
        using StaticGrad;

        public static class Losses
        {
            [Differentiable]
            public static double {|SG1003:Square|}(double x) => x * x;
        }
        """,
        """
        using StaticGrad;

        public static partial class Losses
        {
            [Differentiable]
            public static double Square(double x) => x * x;
        }
        """);

    [Fact]
    public async Task Adds_partial_to_every_enclosing_type_and_to_a_type_without_modifiers()
    {
        // Each non-partial enclosing type is its own SG1003 at the method's name; one fix makes them all partial.
        var test = new Verifier.Test
        {
            TestCode = """
                using StaticGrad;

                namespace Physics;

                public class Outer
                {
                    struct Inner
                    {
                        [Differentiable]
                        public static double {|#0:Energy|}(double v) => 0.5 * v * v;
                    }
                }
                """,
            FixedCode = """
                using StaticGrad;

                namespace Physics;

                public partial class Outer
                {
                    partial struct Inner
                    {
                        [Differentiable]
                        public static double Energy(double v) => 0.5 * v * v;
                    }
                }
                """,
            NumberOfIncrementalIterations = 1,
            NumberOfFixAllIterations = 1,
        };
        test.ExpectedDiagnostics.Add(new DiagnosticResult("SG1003", DiagnosticSeverity.Error).WithLocation(0).WithArguments("Inner", "Energy"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("SG1003", DiagnosticSeverity.Error).WithLocation(0).WithArguments("Outer", "Energy"));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Fix_all_makes_every_type_partial_once()
    {
        var test = new Verifier.Test
        {
            TestCode = """
                using StaticGrad;

                public static class A
                {
                    [Differentiable]
                    public static double {|SG1003:F|}(double x) => x * x;

                    [Differentiable]
                    public static double {|SG1003:G|}(double x) => x * 3;
                }

                public sealed class B
                {
                    [Differentiable]
                    public double {|SG1003:H|}(double x) => x;
                }
                """,
            FixedCode = """
                using StaticGrad;

                public static partial class A
                {
                    [Differentiable]
                    public static double F(double x) => x * x;

                    [Differentiable]
                    public static double G(double x) => x * 3;
                }

                public sealed partial class B
                {
                    [Differentiable]
                    public double H(double x) => x;
                }
                """,
        };
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public void Uses_the_batch_fixer_and_an_equivalence_key()
    {
        var fix = new MakeTypePartialCodeFix();
        Assert.Same(Microsoft.CodeAnalysis.CodeFixes.WellKnownFixAllProviders.BatchFixer, fix.GetFixAllProvider());
        Assert.Equal(new[] { "SG1003" }, fix.FixableDiagnosticIds);
    }
}
