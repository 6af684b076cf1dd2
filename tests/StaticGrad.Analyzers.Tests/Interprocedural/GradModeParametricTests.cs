using StaticGrad.Analyzers.Tests.TensorUsage;
using StaticGrad.Analyzers.Tests.TorchSharp;
using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.Interprocedural;

/// <summary>
/// A helper's summary depends on the grad mode at the call: the same helper, called under no_grad and normally,
/// gives what each context gives, and a call where the mode is not known gives only what holds in every mode.
/// </summary>
public class GradModeParametricTests
{
    private const string TorchHelpers = """

            static Tensor Weight() => torch.ones(2, requires_grad: true);

            static Tensor Scaled(Tensor x) => x * torch.ones(2, requires_grad: true);

            static Tensor Fresh(Tensor x)
            {
                var w = torch.ones(2, requires_grad: true);
                return (w * x).sum();
            }
        """;

    private const string StaticGradHelpers = """

            static Tensor Weight() => Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);

            static Tensor Scaled(Tensor x) => x * Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);

            static Tensor Fresh(Tensor x)
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                return (w * x).Sum();
            }
        """;

    [Theory]
    [InlineData("var w = Weight();\n{|SG0006:w.add_(1.0)|};")]
    [InlineData("Tensor w;\nusing (torch.no_grad())\n{\n    w = Weight();\n}\n\n{|SG0006:w.add_(1.0)|};")]
    [InlineData("var c = torch.ones(2);\nTensor y;\nusing (torch.no_grad())\n{\n    y = Scaled(c).sum();\n}\n\n{|SG0002:y.backward()|};")]
    [InlineData("var c = torch.ones(2);\nvar z = Scaled(c);\n{|SG0001:z.requires_grad_(false)|};")]
    [InlineData("var c = torch.ones(2);\nTensor y;\nusing (torch.no_grad())\n{\n    y = Fresh(c);\n}\n\nvar z = Fresh(c);\nz.backward();\n{|SG0002:y.backward()|};")]
    [InlineData("var c = torch.ones(2);\nTensor y;\nusing (torch.inference_mode())\n{\n    y = Fresh(c);\n}\n\n{|SG0002:y.backward()|};")]
    public Task TorchSharp_helpers_follow_the_callers_mode(string body) => Verify.VerifyTorchSharpAsync(TorchSharpSnippet.Method(body, TorchHelpers));

    [Theory]
    [InlineData("using (torch.no_grad())\n{\n    var w = Weight();\n    w.add_(1.0);\n}")]
    [InlineData("var c = torch.ones(2);\nTensor z;\nusing (torch.no_grad())\n{\n    z = Scaled(c);\n}\n\nz.requires_grad_(false);")]
    [InlineData("var c = torch.ones(2);\nvar y = Fresh(c);\ny.backward();")]
    [InlineData("var c = torch.ones(2);\nif (flag)\n{\n    torch.set_grad_enabled(false);\n}\n\nvar y = Fresh(c);\ny.backward();")]
    public Task TorchSharp_helpers_report_nothing_the_callers_mode_excludes(string body) => Verify.VerifyTorchSharpAsync(TorchSharpSnippet.Method(body, TorchHelpers));

    // A helper that touches no tensor reads no grad mode: one summary serves every mode, and leaves the caller's.
    private const string Counting = """

            static double Mean(double[] xs)
            {
                var total = 0.0;
                foreach (var x in xs)
                {
                    total += x;
                }

                return total / Math.Max(1, xs.Length);
            }
        """;

    [Theory]
    [InlineData("var w = torch.ones(2, requires_grad: true);\nvar m = Mean(new[] { 1.0, 2.0 });\n{|SG0006:w.add_(m)|};")]
    [InlineData("var w = torch.ones(2, requires_grad: true);\nusing (torch.no_grad())\n{\n    var m = Mean(new[] { 1.0, 2.0 });\n    w.add_(m);\n}\n\nvar n2 = Mean(new[] { 3.0 });\n{|SG0006:w.add_(n2)|};")]
    [InlineData("var w = torch.ones(2, requires_grad: true);\ntorch.set_grad_enabled(false);\nvar m = Mean(new[] { 1.0, 2.0 });\nw.add_(m);\ntorch.set_grad_enabled(true);\nvar k = Mean(new[] { 3.0 });\n{|SG0006:w.add_(k)|};")]
    public Task A_helper_that_reads_no_mode_leaves_the_callers(string body) => Verify.VerifyTorchSharpAsync(TorchSharpSnippet.Method(body, Counting));

    [Theory]
    [InlineData("var w = Weight();\n{|SG0006:w.AddInPlace(1.0)|};")]
    [InlineData("var c = Tensor.FromArray(new[] { 1.0, 2.0 });\nTensor y;\nusing (Autograd.NoGrad())\n{\n    y = Scaled(c).Sum();\n}\n\n{|SG0002:y.Backward()|};")]
    [InlineData("var c = Tensor.FromArray(new[] { 1.0, 2.0 });\nTensor y;\nusing (Autograd.NoGrad())\n{\n    y = Fresh(c);\n}\n\nvar z = Fresh(c);\nz.Backward();\n{|SG0002:y.Backward()|};")]
    [InlineData("var c = Tensor.FromArray(new[] { 1.0, 2.0 });\nusing (Autograd.NoGrad())\n{\n    var w = Weight();\n    w.AddInPlace(1.0);\n}\n\nvar y = Fresh(c);\ny.Backward();")]
    public Task StaticGrad_helpers_follow_the_callers_mode(string body) => Verify.VerifyAsync(Snippet.Method(body).Replace("    private static Action<Tensor>? Unknown;", "    private static Action<Tensor>? Unknown;\n" + StaticGradHelpers, StringComparison.Ordinal));
}
