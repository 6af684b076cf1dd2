using StaticGrad.Analyzers.Tests.TensorUsage;
using Verify = StaticGrad.CodeFixes.Tests.Verifiers.CodeFixVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer, StaticGrad.CodeFixes.TensorUsage.ClearStaleGradCodeFix>;

namespace StaticGrad.CodeFixes.Tests.TensorUsage;

public class ClearStaleGradCodeFixTests
{
    private const string Setup = "var p = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nvar q = Tensor.FromArray(new[] { 3.0 }, requiresGrad: true);\nvar opt = new StaticGrad.Optim.Sgd(new[] { p, q }, lr: 0.1);\n(p * q).Sum().Backward();\n";

    [Fact]
    public Task Clears_the_frozen_parameters_gradient_before_the_step() =>
        Verify.VerifyAsync(
            Snippet.Indented(Setup + "p.SetRequiresGrad(false);\n{|SG0012:opt.Step()|};\nopt.Step();"),
            Snippet.Indented(Setup + "p.SetRequiresGrad(false);\np.Grad = null;\nopt.Step();\nopt.Step();"));

    [Fact]
    public Task Keeps_the_indentation_of_a_nested_step() =>
        Verify.VerifyAsync(
            Snippet.Indented(Setup + "p.RequiresGrad = false;\nif (flag)\n{\n    {|SG0012:opt.Step()|};\n}"),
            Snippet.Indented(Setup + "p.RequiresGrad = false;\nif (flag)\n{\n    p.Grad = null;\n    opt.Step();\n}"));
}
