using StaticGrad.Analyzers.Tests.TensorUsage;
using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TorchSharp;

/// <summary>
/// TorchSharp's <c>no_grad()</c> returns a class, which a <c>using</c> disposes behind a null test. The scope a
/// grad-mode call returns is a fresh object, so the null path is never taken and the mode after the block is exactly
/// the one before it (session 12; before, it was unknown there, in the block's method and in every caller of a helper
/// with such a block). StaticGrad's scopes are structs, disposed without a test: the same results.
/// </summary>
public class ScopeDisposalTests
{
    private const string Leaf = "var w = torch.ones(2, requires_grad: true);\n";

    private const string Helper = """

            static double Score(Tensor w)
            {
                using (torch.no_grad())
                {
                    return (w * 2.0).sum().item<double>();
                }
            }

            static void Shrink(Tensor w)
            {
                using var scope = torch.no_grad();
                w.mul_(0.5);
            }
        """;

    [Theory]
    [InlineData("using (torch.no_grad())\n{\n    var s = (w * 2.0).sum();\n}\n\n{|SG0006:w.add_(1.0)|};")]
    [InlineData("using (var scope = torch.no_grad())\n{\n    w.add_(1.0);\n}\n\n{|SG0006:w.add_(1.0)|};")]
    [InlineData("using (torch.inference_mode())\n{\n    var s = w.exp();\n}\n\n{|SG0006:w.zero_()|};")]
    [InlineData("using (torch.no_grad())\n{\n    w.add_(1.0);\n}\n\nvar y = w * 2.0;\n{|SG0001:y.requires_grad_(false)|};")]
    [InlineData("for (var i = 0; i < n; i++)\n{\n    using (torch.no_grad())\n    {\n        w.add_(1.0);\n    }\n}\n\n{|SG0006:w.add_(1.0)|};")]
    [InlineData("var s = Score(w);\n{|SG0006:w.add_(s)|};")]
    [InlineData("Shrink(w);\n{|SG0006:w.add_(1.0)|};")]
    public Task Reported_after_a_no_grad_block(string body) => Verify.VerifyTorchSharpAsync(TorchSharpSnippet.Method(Leaf + body, Helper));

    [Theory]
    [InlineData("torch.set_grad_enabled(false);\nusing (torch.no_grad())\n{\n    var s = (w * 2.0).sum();\n}\n\nw.add_(1.0);")]
    [InlineData("using (torch.no_grad())\n{\n    using (torch.no_grad())\n    {\n        w.add_(1.0);\n    }\n\n    w.add_(1.0);\n}")]
    [InlineData("using (torch.no_grad())\n{\n    w.add_(1.0);\n}\n\nvar y = (w * w).sum();\ny.backward();")]
    [InlineData("torch.set_grad_enabled(false);\nvar s = Score(w);\nShrink(w);\nw.add_(s);")]
    public Task Not_reported_where_the_mode_is_off_after_the_block(string body) => Verify.VerifyTorchSharpAsync(TorchSharpSnippet.Method(Leaf + body, Helper));

    [Theory]
    [InlineData("var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nusing (Autograd.NoGrad())\n{\n    w.AddInPlace(1.0);\n}\n\n{|SG0006:w.AddInPlace(1.0)|};")]
    [InlineData("var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nusing (var scope = Autograd.NoGrad())\n{\n    w.AddInPlace(1.0);\n}\n\n{|SG0006:w.AddInPlace(1.0)|};")]
    [InlineData("var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nAutograd.SetGradEnabled(false);\nusing (Autograd.NoGrad())\n{\n    w.AddInPlace(1.0);\n}\n\nw.AddInPlace(1.0);")]
    public Task StaticGrad_scopes_restore_the_mode_the_same_way(string body) => Verify.VerifyAsync(Snippet.Method(body));
}
