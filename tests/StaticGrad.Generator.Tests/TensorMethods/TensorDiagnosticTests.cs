using System.Globalization;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.TensorMethods;

/// <summary>
/// SG1015–SG1017: why a Tensor-bodied method gets no backward, located at the offending expression, statement or
/// parameter; the method then gets no generated file while its neighbours do. Tests with and without each problem.
/// </summary>
public sealed class TensorDiagnosticTests
{
    private static (string Id, string Text, string Message)[] Diagnose(string body, out GeneratorOutput output, string prefix = "public static partial class C")
    {
        var source = "using System;\nusing StaticGrad;\n" + prefix + "\n{\n" + body + "\n}\n";
        output = GeneratorHarness.Run(source);
        var tree = output.OutputCompilation.SyntaxTrees.First();
        return output.AnalyzerDiagnostics
            .Select(d => (d.Id, tree.GetText().ToString(d.Location.SourceSpan), d.GetMessage(CultureInfo.InvariantCulture)))
            .ToArray();
    }

    private static (string Id, string Text, string Message)[] Diagnose(string body) => Diagnose(body, out _);

    [Theory]
    [InlineData("[Differentiable] public static Tensor F(Tensor x) => x.Sin();", "x.Sin()", "'Tensor.Sin()'")]
    [InlineData("[Differentiable] public static Tensor F(Tensor x) => x.Clamp(0, 1);", "x.Clamp(0, 1)", "'Tensor.Clamp(double?, double?)'")]
    [InlineData("[Differentiable] public static Tensor F(Tensor x, Tensor e) => x.Pow(e);", "x.Pow(e)", "'Tensor.Pow(Tensor)'")]
    [InlineData("[Differentiable] public static Tensor F(Tensor x) => x.Reshape(-1).Sum();", "x.Reshape(-1)", "'Tensor.Reshape(params int[])'")]
    [InlineData("[Differentiable] public static Tensor F(Tensor x) => x * Tensor.OnesLike(x);", "Tensor.OnesLike(x)", "OnesLike")]
    [InlineData("[Differentiable] public static Tensor F(Tensor x) => x * Math.Sin(2.0);", "Math.Sin(2.0)", "scalar arguments may only use")]
    [InlineData("[Differentiable] public static Tensor F(Tensor x) => x * x.Sum().Item();", "x.Sum().Item()", "scalar arguments may only use")]
    [InlineData("static Tensor G(Tensor t) => t; [Differentiable] public static Tensor F(Tensor x) => G(x) + x;", "G(x)", "'C.G(Tensor)'")]
    [InlineData("[Differentiable] static Tensor G(Tensor t) => t; [Differentiable] public static Tensor F(Tensor x) => G(x) + x;", "G(x)", "calls to other [Differentiable] methods")]
    [InlineData("[Differentiable] public static Tensor F(Tensor x) => x.Grad!;", "x.Grad", "'Tensor.Grad'")]
    public void SG1015_names_the_unsupported_operation_at_the_expression(string body, string text, string messagePart)
    {
        var found = Diagnose(body, out var output);

        var d = Assert.Single(found, f => f.Id == "SG1015");
        Assert.Equal(text, d.Text);
        Assert.Contains(messagePart, d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(output.Sources, s => s.Source.Contains(" FBackward(", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[Differentiable] public static Tensor F(Tensor x) { var y = x; for (int i = 0; i < 3; i++) { y = y.Tanh(); } return y; }", "for (int i = 0; i < 3; i++) { y = y.Tanh(); }", "loops")]
    [InlineData("[Differentiable] public static Tensor F(Tensor x, bool b) { if (b) { return x; } return x * 2.0; }", "if (b) { return x; }", "branches")]
    [InlineData("[Differentiable] public static Tensor F(Tensor x, bool b) => b ? x : x * 2.0;", "b ? x : x * 2.0", "conditional expressions")]
    [InlineData("[Differentiable] public static Tensor F(Tensor x) { double k = 2.0; return x * k; }", "k = 2.0", "locals that are not Tensors")]
    [InlineData("[Differentiable] public static Tensor F(Tensor x) { x = x * 2.0; return x; }", "x = x * 2.0;", "assignments to parameters")]
    public void SG1016_names_the_unsupported_construct(string body, string text, string messagePart)
    {
        var d = Assert.Single(Diagnose(body), f => f.Id == "SG1016");
        Assert.Equal(text, d.Text);
        Assert.Contains(messagePart, d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Differentiable] public static double F(Tensor x) => 1.0;", "F", "returns 'double'")]
    [InlineData("[Differentiable] public static Tensor F(Tensor x, string s) => x;", "s", "parameter 's' has type 'string'")]
    [InlineData("[Differentiable] public static Tensor F(ref Tensor x) => x;", "x", "parameter 'x' is 'ref'")]
    [InlineData("[Differentiable] public static Tensor F(Tensor[] xs) => xs[0];", "xs", "parameter 'xs' has type 'StaticGrad.Tensor[]'")]
    [InlineData("[Differentiable] public static Tensor F<T>(Tensor x) => x;", "F", "generic methods")]
    public void SG1017_reports_the_signature_problem(string body, string text, string messagePart)
    {
        var d = Assert.Single(Diagnose(body), f => f.Id == "SG1017");
        Assert.Equal(text, d.Text);
        Assert.Contains(messagePart, d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Tensor_method_in_a_type_that_is_not_partial_gets_SG1003()
    {
        var found = Diagnose("[Differentiable] public static Tensor F(Tensor x) => x.Tanh();", out var output, "public static class C");
        Assert.Equal("SG1003", Assert.Single(found).Id);
        Assert.Empty(output.Sources);
    }

    [Fact]
    public void A_refused_Tensor_method_gets_no_file_and_its_neighbours_still_do()
    {
        var found = Diagnose("""
            [Differentiable] public static Tensor Good(Tensor x) => x.Tanh();
            [Differentiable] public static Tensor Bad(Tensor x) => x.Sin();
            [Differentiable] public static double Scalar(double x) => x * x;
            """, out var output);

        Assert.Equal("SG1015", Assert.Single(found).Id);
        Assert.Equal(new[] { "C.Good.Tensor.g.cs", "C.Scalar.Tangent.g.cs", "C.Scalar.Tensor.g.cs", "C.Scalar.g.cs" }, output.Sources.Select(s => s.HintName).ToArray());
        GeneratorHarness.AssertClean(output);
    }

    [Fact]
    public void Every_supported_form_has_no_diagnostics()
    {
        var found = Diagnose("""
            [Differentiable]
            public static Tensor F(Tensor x, Tensor w, Tensor b, [NoGrad] Tensor y, double k, int n, float f, long l)
            {
                Tensor h;
                h = (x.MatMul(w) + b).Tanh();
                h = h.Sigmoid() * k + h.Relu() / n - f * h.Exp() + h.Square().Log() / l;
                h += -h.Sqrt().Pow(2.0) * (double)n;
                h -= h.Mm(w.T.Transpose(0, 1).T).Softmax(1).Sum(0, true).Mean(-1, keepDim: false) * h.Detach();
                var z = Tensor.Add(h, 1.0) - 1.0 / h.LogSoftmax(1).Exp();
                { z = 2.0 - z / x.Size(0) * x.NumElements; }
                return (z - y).Sum() + z.Sum(1).Mean() + z.Mean(0).Sum();
            }
            """, out var output);

        Assert.Empty(found);
        Assert.Contains(output.Sources, s => s.HintName == "C.F.Tensor.g.cs");
        GeneratorHarness.AssertClean(output);
    }
}
