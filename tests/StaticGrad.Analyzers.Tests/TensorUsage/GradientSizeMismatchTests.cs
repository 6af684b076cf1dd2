using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

public class GradientSizeMismatchTests
{
    private const string X = "var x = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nvar y = 2.0 * x;\n";

    [Theory]
    [InlineData(X + "{|SG0014:y.Backward(Tensor.FromArray(new[] { 1.0, 1.0, 1.0 }))|};")]
    [InlineData(X + "{|SG0014:y.Backward(Tensor.Scalar(1.0))|};")]
    [InlineData(X + "var g = Tensor.Ones(new[] { 3 });\nfor (var i = 0; i < n; i++) { {|SG0014:y.Backward(g, retainGraph: true)|}; }")]
    [InlineData(X + "{|SG0014:x.Grad = Tensor.Zeros(new[] { 3 })|};")]
    [InlineData(X + "var g = Tensor.Zeros(new[] { 2, 2 });\nif (flag) { g = Tensor.Ones(new[] { 4 }); }\n{|SG0014:x.Grad = g|};")]
    public Task Reported_when_the_element_counts_differ(string body) => Verify.VerifyAsync(Snippet.Method(body));

    [Theory]
    [InlineData(X + "y.Backward(Tensor.FromArray(new[] { 1.0, 1.0 }));")]
    [InlineData(X + "y.Backward(Tensor.OnesLike(y));\nx.Grad = Tensor.ZerosLike(x);\nx.Grad = null;")]
    [InlineData(X + "y.Backward(Tensor.FromArray(new[] { 1.0, 1.0 }, new[] { 1, 2 }));")]
    [InlineData(X + "var g = flag ? Tensor.Ones(new[] { 3 }) : Tensor.Ones(new[] { 2 });\ny.Backward(g);")]
    [InlineData("var c = Tensor.FromArray(new[] { 1.0, 2.0 });\nc.Grad = Tensor.Zeros(new[] { 2 });")]
    [InlineData("var t = Tensor.Randn(new[] { n });\nt.RequiresGrad = true;\nt.Backward(Tensor.Ones(new[] { 3 }));")]
    public Task Not_reported_when_the_counts_match_or_are_unknown(string body) => Verify.VerifyAsync(Snippet.Method(body));
}
