using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verifier = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.Differentiability.DifferentiabilityAnalyzer>;

namespace StaticGrad.Analyzers.Tests.Differentiability;

/// <summary>SG1012 (a call without a second derivative in a [Differentiable(Hessian = true)] method), with and without the problem.</summary>
public sealed class SecondOrderAnalyzerTests
{
    private const string Usings = "using System;\nusing StaticGrad;\n\n";

    private static Task Verify(string source, params DiagnosticResult[] expected) => Verifier.VerifyAsync(Usings + source, expected);

    [Fact]
    public Task SG1012_callee_without_the_opt_in_is_reported_on_the_call() => Verify(
        """
        public static partial class Energy
        {
            [Differentiable]
            public static double Square(double x) => x * x;

            [Differentiable(Hessian = true)]
            public static double F(double x, double y) => {|#0:Square(x * y)|} + Square(3.0) + Square(Autograd.Detach(x));
        }
        """,
        new DiagnosticResult("SG1012", DiagnosticSeverity.Error).WithLocation(0)
            .WithMessage("'Energy.Square(double)' has no second derivative, which [Differentiable(Hessian = true)] needs: mark it [Differentiable(Hessian = true)] too, or wrap the argument in Autograd.Detach"));

    [Fact]
    public Task SG1012_not_reported_when_the_callee_opted_in_or_the_caller_did_not() => Verify(
        """
        public static partial class Energy
        {
            [Differentiable(Hessian = true)]
            public static double Square(double x) => x * x;

            [Differentiable]
            public static double Cube(double x) => x * x * x;

            [Differentiable(Hessian = true)]
            public static double F(double x, double y) => Square(x * y);

            [Differentiable]
            public static double G(double x) => Cube(x) + Square(x);
        }
        """);
}
