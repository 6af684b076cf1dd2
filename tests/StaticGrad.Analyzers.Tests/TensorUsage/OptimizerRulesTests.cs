using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

public class FrozenParameterTests
{
    private const string Setup = "var p = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nvar q = Tensor.FromArray(new[] { 3.0 }, requiresGrad: true);\nvar opt = new StaticGrad.Optim.Sgd(new[] { p, q }, lr: 0.1);\n";

    [Theory]
    [InlineData(Setup + "(p * p).Sum().Backward();\np.SetRequiresGrad(false);\n{|SG0012:opt.Step()|};\nopt.Step();")]
    [InlineData(Setup + "(p * p).Sum().Backward();\np.RequiresGrad = false;\n{|SG0012:opt.Step()|};")]
    [InlineData(Setup + "p.Grad = Tensor.FromArray(new[] { 2.0, 4.0 });\np.SetRequiresGrad(false);\n{|SG0012:opt.Step()|};")]
    [InlineData(Setup + "do { (p * q).Sum().Backward(); } while (n-- > 0);\np.SetRequiresGrad(false);\n{|SG0012:opt.Step()|};")]
    [InlineData(Setup + "(p * p).Sum().Backward();\nusing (Autograd.NoGrad()) { p.SetRequiresGrad(false); }\nif (flag) { Console.WriteLine(); }\n{|SG0012:opt.Step()|};")]
    [InlineData("var p = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nvar opt = new StaticGrad.Optim.Adam(new[] { p });\n(p * p).Sum().Backward();\np.SetRequiresGrad(false);\n{|SG0012:opt.Step()|};")]
    public Task Reported_at_the_first_step_after_freezing_a_parameter_with_a_gradient(string body) =>
        Verify.VerifyAsync(Snippet.Method(body));

    [Theory]
    [InlineData(Setup + "(p * p).Sum().Backward();\np.SetRequiresGrad(false);\nopt.ZeroGrad();\nopt.Step();")]
    [InlineData(Setup + "(p * p).Sum().Backward();\np.SetRequiresGrad(false);\np.Grad = null;\nopt.Step();")]
    [InlineData(Setup + "p.SetRequiresGrad(false);\n(q * q).Sum().Backward();\nopt.Step();")]
    [InlineData(Setup + "(p * p).Sum().Backward();\nopt.ZeroGrad();\np.SetRequiresGrad(false);\n(q * q).Sum().Backward();\nopt.Step();")]
    [InlineData(Setup + "(p * p).Sum().Backward();\nif (flag) { p.SetRequiresGrad(false); }\nopt.Step();")]
    [InlineData(Setup + "for (var i = 0; i < n; i++) { (p * q).Sum().Backward(); }\np.SetRequiresGrad(false);\nopt.Step();")]
    [InlineData(Setup + "(p * p).Sum().Backward();\np.SetRequiresGrad(false);\np.SetRequiresGrad(true);\nopt.Step();")]
    [InlineData("var p = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nvar other = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar opt = new StaticGrad.Optim.Sgd(new[] { other }, lr: 0.1);\n(p * p).Sum().Backward();\np.SetRequiresGrad(false);\nopt.Step();")]
    [InlineData(Setup + "(p * p).Sum().Backward();\np.SetRequiresGrad(false);\nAction clear = () => opt.ZeroGrad();\nclear();\nopt.Step();")]
    public Task Not_reported_when_the_gradient_is_cleared_or_never_there(string body) => Verify.VerifyAsync(Snippet.Method(body));
}

public class OptimizerNonLeafTests
{
    private const string W = "var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\n";

    [Theory]
    [InlineData(W + "var y = w * 2.0;\nvar opt = new StaticGrad.Optim.Sgd(new[] { {|SG0013:y|} }, lr: 0.1);")]
    [InlineData(W + "var opt = new StaticGrad.Optim.Adam(new[] { w, {|SG0013:w.Exp()|} });")]
    [InlineData(W + "var y = w.Detach();\nif (flag) { y = w * 3.0; } else { y = w + 1.0; }\nvar opt = new StaticGrad.Optim.AdamW(new[] { {|SG0013:y|} });")]
    public Task Reported_on_non_leaves(string body) => Verify.VerifyAsync(Snippet.Method(body));

    [Theory]
    [InlineData(W + "var opt = new StaticGrad.Optim.Sgd(new[] { w }, lr: 0.1);")]
    [InlineData(W + "var y = w * 2.0;\ny.RetainGrad();\nvar opt = new StaticGrad.Optim.Sgd(new[] { y }, lr: 0.1);")]
    [InlineData(W + "var y = (w * 2.0).Detach().SetRequiresGrad();\nvar opt = new StaticGrad.Optim.Sgd(new[] { y }, lr: 0.1);")]
    [InlineData(W + "Tensor y;\nusing (Autograd.NoGrad()) { y = w * 2.0; }\nvar opt = new StaticGrad.Optim.Sgd(new[] { y }, lr: 0.1);")]
    [InlineData(W + "var y = flag ? w * 2.0 : w;\nvar opt = new StaticGrad.Optim.Sgd(new[] { y }, lr: 0.1);")]
    public Task Not_reported_on_leaves_or_retained_non_leaves(string body) => Verify.VerifyAsync(Snippet.Method(body));
}
