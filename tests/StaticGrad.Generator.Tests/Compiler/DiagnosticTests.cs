using StaticGrad.Compiler.Diagnostics;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Compiler;

/// <summary>The analyzer reports why a backward is not generated, at the offending expression; the generator then emits nothing.</summary>
public sealed class DiagnosticTests
{
    private static (string Id, string Text, string Message)[] Diagnose(string body, string prefix = "public static partial class C")
    {
        var source = "using System;\nusing StaticGrad;\n" + prefix + "\n{\n" + body + "\n}\n";
        var output = GeneratorHarness.Run(source);
        var tree = output.OutputCompilation.SyntaxTrees.First();
        return output.AnalyzerDiagnostics
            .Select(d => (d.Id, tree.GetText().ToString(d.Location.SourceSpan), d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();
    }

    [Fact]
    public void Call_without_derivative_names_the_callee_and_the_fixes()
    {
        var found = Diagnose("""
            static double Plain(double v) => v * 2;
            [Differentiable] public static double F(double x) => Plain(x) + Plain(3.0);
            """);

        var d = Assert.Single(found);
        Assert.Equal("SG1001", d.Id);
        Assert.Equal("Plain(x)", d.Text);
        Assert.Contains("C.Plain(double)", d.Message);
        Assert.Contains("[DerivativeOf]", d.Message);
        Assert.Contains("Autograd.Detach", d.Message);
    }

    [Fact]
    public void Goto_is_an_unsupported_construct_and_nothing_is_generated()
    {
        var source = "using StaticGrad;\npublic static partial class C\n{\n[Differentiable] public static double F(double x) { a: x = x * 2; if (x < 10) goto a; return x; }\n}\n";
        var output = GeneratorHarness.Run(source);

        Assert.Contains(output.AnalyzerDiagnostics, d => d.Id == "SG1002" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("'goto' statements"));
        Assert.Empty(output.Sources);
    }

    [Fact]
    public void Non_partial_type_is_reported()
    {
        var found = Diagnose("[Differentiable] public static double F(double x) => x;", "public static class C");
        Assert.Equal("SG1003", Assert.Single(found).Id);
    }

    [Theory]
    [InlineData("[Differentiable] public static double F(ref double x) => x;", "SG1004")]
    [InlineData("[Differentiable] public static double F(decimal x) => 1.0;", "SG1004")]
    [InlineData("[Differentiable] public static decimal F(double x) => 1m;", "SG1008")]
    [InlineData("[Differentiable] public static double F(double x, int n) => n * 2.0;", "SG1005")]
    [InlineData("[Differentiable] public static double F(double x) => (int)x * 2.0 + x;", "SG1006")]
    [InlineData("[Differentiable] public static double F(double x) => Math.Floor(x) + x;", "SG1006")]
    [InlineData("[Differentiable] public static double F(double[,] a) { a[0, 0] = 1; return a[0, 0]; }", "SG1009")]
    [InlineData("[Differentiable] public static double F(double x) { var s = 0.0; for (int i = 0; i < 3; i++) { var t = new double[2]; t[0] = x; s += t[0]; } return s; }", "SG1010")]
    public void Each_diagnostic_is_reported(string body, string id)
    {
        Assert.Contains(Diagnose(body), d => d.Id == id);
    }

    [Fact]
    public void Rule_with_a_wrong_signature_says_the_expected_one()
    {
        var found = Diagnose("""
            public static double Softplus(double v) => Math.Log(1 + Math.Exp(v));
            [DerivativeOf(typeof(C), nameof(Softplus))] public static double SoftplusRule(double v, double dv, double seed) => 0;
            """);

        var d = Assert.Single(found);
        Assert.Equal("SG1007", d.Id);
        Assert.Contains("static double SoftplusRule(double v, ref double dv, double seed)", d.Message);
    }

    [Fact]
    public void Supported_code_has_no_diagnostics()
    {
        Assert.Empty(Diagnose("[Differentiable] public static double F(double x, double y) { var s = 0.0; for (int i = 0; i < 3; i++) s += Math.Sin(x * i) * y; return s; }"));
    }

    [Fact]
    public void Help_links_point_to_the_docs_pages()
    {
        Assert.True(StaticGrad.Analyzers.Differentiability.DifferentiabilityAnalyzer.HelpLinksAgree);
        Assert.All(DiagnosticDescriptors.All, d => Assert.EndsWith("/docs/diagnostics/" + d.Id + ".md", d.HelpLinkUri));
    }
}
