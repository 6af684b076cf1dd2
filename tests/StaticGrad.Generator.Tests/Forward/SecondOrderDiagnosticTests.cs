using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Forward;

/// <summary>SG1012: a Hessian method's derivative-carrying calls need callees with a second derivative.</summary>
public sealed class SecondOrderDiagnosticTests
{
    private static GeneratorOutput Run(string body) =>
        GeneratorHarness.Run("using System;\nusing StaticGrad;\nnamespace Samples;\npublic static partial class C\n{\n" + body + "\n}\n");

    private static (string Id, string Text, string Message)[] Findings(GeneratorOutput output)
    {
        var tree = output.OutputCompilation.SyntaxTrees.First();
        return output.AnalyzerDiagnostics
            .Select(d => (d.Id, tree.GetText().ToString(d.Location.SourceSpan), d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();
    }

    [Fact]
    public void Callee_that_did_not_opt_in_is_reported_at_the_call_and_gets_no_hessian_file()
    {
        var output = Run("""
            [Differentiable] public static double Square(double v) => v * v;
            [Differentiable(Hessian = true)] public static double F(double x, double y) => Square(x * y) + Square(2.0);
            """);

        var d = Assert.Single(Findings(output));
        Assert.Equal("SG1012", d.Id);
        Assert.Equal("Square(x * y)", d.Text);
        Assert.Contains("C.Square(double)", d.Message);
        Assert.Contains("Hessian = true", d.Message);
        Assert.DoesNotContain(output.Sources, s => s.HintName.EndsWith(".Hessian.g.cs", StringComparison.Ordinal));
        Assert.Contains(output.Sources, s => s.HintName == "Samples.C.F.g.cs");
        Assert.Contains(output.Sources, s => s.HintName == "Samples.C.F.Tangent.g.cs");
    }

    [Fact]
    public void Callee_that_opted_in_is_not_reported()
    {
        var output = Run("""
            [Differentiable(Hessian = true)] public static double Square(double v) => v * v;
            [Differentiable(Hessian = true)] public static double F(double x, double y) => Square(x * y) + Square(2.0);
            """);

        Assert.Empty(Findings(output));
        GeneratorHarness.AssertClean(output);
        Assert.Contains(output.Sources, s => s.HintName == "Samples.C.F.Hessian.g.cs");
    }

    [Fact]
    public void Callee_with_only_a_rule_is_reported_and_detaching_the_argument_silences_it()
    {
        const string Rule = """
            public static double Softplus(double v) => Math.Log(1 + Math.Exp(v));
            [DerivativeOf(typeof(C), nameof(Softplus))]
            public static double SoftplusPullback(double v, ref double dv, double seed) { dv += seed / (1 + Math.Exp(-v)); return Softplus(v); }
            """;
        var reported = Run(Rule + "\n[Differentiable(Hessian = true)] public static double F(double x) => Softplus(x) * x;");
        var d = Assert.Single(Findings(reported));
        Assert.Equal("SG1012", d.Id);
        Assert.Equal("Softplus(x)", d.Text);
        Assert.Contains("[DerivativeOf]", d.Message);

        var detached = Run(Rule + "\n[Differentiable(Hessian = true)] public static double F(double x) => Softplus(Autograd.Detach(x)) * x;");
        Assert.Empty(Findings(detached));
        Assert.Contains(detached.Sources, s => s.HintName == "Samples.C.F.Hessian.g.cs");
    }

    [Fact]
    public void Methods_without_the_opt_in_may_call_anything_with_a_first_derivative()
    {
        var output = Run("""
            [Differentiable] public static double Square(double v) => v * v;
            [Differentiable] public static double F(double x) => Square(x);
            """);

        Assert.Empty(Findings(output));
    }
}
