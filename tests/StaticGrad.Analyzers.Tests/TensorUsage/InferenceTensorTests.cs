using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

public class InferenceTensorTests
{
    private const string W = "var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\n";
    private const string Y = "Tensor y;\nusing (Autograd.InferenceMode()) { y = Tensor.Ones(new[] { 2 }) * 3.0; }\n";

    [Theory]
    [InlineData(Y + "{|SG0011:y.SetRequiresGrad()|};")]
    [InlineData(Y + "{|SG0011:y.RequiresGrad = true|};")]
    [InlineData(Y + "{|SG0011:y.AddInPlace(1.0)|};")]
    [InlineData(Y + "using (Autograd.NoGrad()) { {|SG0011:y.MulInPlace(2.0)|}; }")]
    [InlineData(Y + "var v = {|SG0011:y.Version|};")]
    [InlineData(W + Y + "var p = {|SG0011:y|} * w;")]
    [InlineData(W + Y + "var p = w / {|SG0011:y|};")]
    [InlineData(W + Y + "var p = Tensor.Mul(w, {|SG0011:y|});")]
    [InlineData(W + Y + "var p = {|SG0011:y.View(1, 2)|}.MatMul(w.View(2, 1));")]
    [InlineData(W + Y + "var d = y.Detach();\n{|SG0011:d.AddInPlace(1.0)|};")]
    [InlineData("Tensor y;\nusing var scope = Autograd.InferenceMode();\ny = Tensor.Zeros(new[] { 2 });\nscope.Dispose();\n{|SG0011:y.CopyFrom(Tensor.Ones(new[] { 2 }))|};")]
    [InlineData(Y + "for (var i = 0; i < n; i++) { {|SG0011:y.AddInPlace(1.0)|}; }")]
    [InlineData("Tensor y;\nusing (Autograd.InferenceMode()) { if (flag) { y = Tensor.Ones(new[] { 2 }); } else { y = Tensor.Zeros(new[] { 2 }); } }\n{|SG0011:y.ZeroInPlace()|};")]
    [InlineData("using (Autograd.InferenceMode()) { var y = Tensor.Ones(new[] { 2 }); var v = {|SG0011:y.Version|}; }")]
    public Task Reported_on_inference_tensors_outside_inference_mode(string body) => Verify.VerifyAsync(Snippet.Method(body));

    [Theory]
    [InlineData(W + Y + "var z = (y + w).Sum();\nz.Backward();")]
    [InlineData(Y + "y.SetRequiresGrad(false);\nvar c = y.Clone();\nc.SetRequiresGrad();\nc.Sum().Backward();")]
    [InlineData(Y + "var q = y * y;")]
    [InlineData(Y + "y = y.Clone();\ny.AddInPlace(1.0);")]
    [InlineData("var normal = Tensor.Zeros(new[] { 2 });\nusing (Autograd.InferenceMode()) { normal.AddInPlace(1.0); }\nnormal.AddInPlace(1.0);\nvar v = normal.Version;")]
    [InlineData("var normal = Tensor.Zeros(new[] { 2 });\nTensor view;\nusing (Autograd.InferenceMode()) { view = normal.View(2); }\nview.AddInPlace(1.0);")]
    [InlineData("var normal = Tensor.Zeros(new[] { 2 });\nTensor same;\nusing (Autograd.InferenceMode()) { same = normal.Contiguous(); }\nsame.AddInPlace(1.0);")]
    [InlineData("Tensor y;\nusing (Autograd.InferenceMode()) { y = Tensor.Ones(new[] { 2 }); y.AddInPlace(1.0); y.SetRequiresGrad(); }")]
    [InlineData("Tensor y;\nusing (Autograd.NoGrad()) { y = Tensor.Ones(new[] { 2 }); }\ny.AddInPlace(1.0);\ny.SetRequiresGrad();")]
    [InlineData("var y = Tensor.Ones(new[] { 2 });\nif (flag) { using (Autograd.InferenceMode()) { y = Tensor.Zeros(new[] { 2 }); } }\ny.AddInPlace(1.0);")]
    [InlineData("Tensor y;\nusing (Autograd.InferenceMode())\n{\n    y = Tensor.Ones(new[] { 2 });\n    using (Autograd.EnableGrad()) { y.AddInPlace(1.0); }\n    using (Autograd.InferenceMode(false)) { var c = y.Clone(); c.AddInPlace(1.0); }\n}")]
    [InlineData(Y + "Action a = () => y.AddInPlace(1.0);")]
    [InlineData(Y + "Helper(y);\ny = Tensor.Zeros(new[] { 2 });\ny.AddInPlace(1.0);")]
    public Task Not_reported_on_normal_tensors_or_inside_inference_mode(string body) => Verify.VerifyAsync(Snippet.Method(body));

    [Fact]
    public Task Not_reported_in_a_lambda_that_may_run_inside_inference_mode() => Verify.VerifyAsync(Snippet.Method(
        "Func<Tensor, Tensor> f = t => { t.AddInPlace(1.0); return t; };\nusing (Autograd.InferenceMode()) { var y = f(Tensor.Ones(new[] { 2 })); }"));
}
