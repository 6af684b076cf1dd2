using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

public class InPlaceOnLeafTests
{
    private const string Leaf = "var x = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\n";

    [Theory]
    [InlineData("{|SG0006:x.AddInPlace(1.0)|};")]
    [InlineData("{|SG0006:x.ZeroInPlace()|};")]
    [InlineData("{|SG0006:x.CopyFrom(Tensor.Ones(new[] { 2 }))|};")]
    [InlineData("{|SG0006:x.SubInPlace(x.Detach())|};")]
    [InlineData("var alias = x;\n{|SG0006:alias.MulInPlace(2.0)|};")]
    [InlineData("using (Autograd.NoGrad()) { x.AddInPlace(1.0); }\n{|SG0006:x.FillInPlace(0.5)|};")]
    [InlineData("using (Autograd.NoGrad()) { using (Autograd.EnableGrad()) { {|SG0006:x.AddInPlace(1.0)|}; } }")]
    [InlineData("var c = Tensor.Zeros(new[] { 2 });\nc.RequiresGrad = true;\nfor (var i = 0; i < n; i++) { {|SG0006:c.AddInPlace(1.0)|}; }")]
    public Task Reported_outside_no_grad(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));

    [Theory]
    [InlineData("using (Autograd.NoGrad()) { x.AddInPlace(1.0); }")]
    [InlineData("using (Autograd.NoGrad())\n{\n    for (var i = 0; i < n; i++) { x.SubInPlace(x * 0.1); }\n}")]
    [InlineData("using var scope = Autograd.NoGrad();\nx.ZeroInPlace();")]
    [InlineData("using (Autograd.InferenceMode()) { x.AddInPlace(1.0); }")]
    [InlineData("var y = x * 2.0;\ny.AddInPlace(1.0);")]
    [InlineData("var c = Tensor.Zeros(new[] { 2 });\nc.AddInPlace(x);\nc.AddInPlace(1.0);")]
    [InlineData("var d = x.Detach();\nd.ZeroInPlace();")]
    [InlineData("x.RequiresGrad = false;\nx.AddInPlace(1.0);")]
    [InlineData("Autograd.SetGradEnabled(false);\nx.AddInPlace(1.0);")]
    [InlineData("if (flag) { x = Tensor.Zeros(new[] { 2 }); }\nx.AddInPlace(1.0);")]
    public Task Not_reported_under_no_grad_or_on_other_tensors(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));
}
