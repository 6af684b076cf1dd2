using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TorchSharp;

/// <summary>The same rules on TorchSharp code: same ids, messages in TorchSharp's names.</summary>
public class TorchSharpRuleTests
{
    private const string Leaf = "var x = torch.tensor(new[] { 1.0, 2.0 }, requires_grad: true);\n";

    [Theory]
    [InlineData("var y = x * 2.0;\n{|SG0001:y.requires_grad = false|};")]
    [InlineData("var y = x * 2.0;\n{|SG0001:y.requires_grad_(false)|};")]
    [InlineData("var c = torch.tensor(new[] { 3.0 });\n{|SG0002:c.backward()|};")]
    [InlineData("var y = (x * 2.0).detach().sum();\n{|SG0002:y.backward()|};")]
    [InlineData("Tensor y;\nusing (torch.no_grad()) { y = (x * x).sum(); }\n{|SG0002:y.backward()|};")]
    [InlineData("Tensor y;\nusing (torch.inference_mode()) { y = x.exp().sum(); }\n{|SG0002:y.backward()|};")]
    [InlineData("torch.set_grad_enabled(false);\nvar y = (x * x).sum();\n{|SG0002:y.backward()|};")]
    [InlineData("using (torch.enable_grad(false)) { var y = (x * x).sum(); {|SG0002:y.backward()|}; }")]
    [InlineData("var a = torch.tensor(new long[] { 1, 2 }, {|SG0003:requires_grad: true|});")]
    [InlineData("var y = x * 2.0;\ny.sum().backward();\nvar g = {|SG0004:y.grad|};")]
    [InlineData("var l = x.exp().sum();\nl.backward();\n{|SG0005:l.backward()|};")]
    [InlineData("{|SG0006:x.add_(1.0)|};")]
    [InlineData("{|SG0006:x.zero_()|};")]
    [InlineData("var c = torch.tensor(new[] { 3.0 });\n{|SG0007:c.retain_grad()|};")]
    [InlineData("{|SG0009:x.exp().backward()|};")]
    [InlineData("var w = torch.tensor(new[] { 1.0, 2.0 });\nvar y = (x * 2.0).sum();\nvar g = torch.autograd.grad(new[] { y }, new[] { {|SG0008:w|} });")]
    public Task Reported_on_TorchSharp_code(string body) => Verify.VerifyTorchSharpAsync(TorchSharpSnippet.Method(Leaf + body));

    [Theory]
    [InlineData("var y = (x * x).sum();\ny.backward();")]
    [InlineData("using (torch.no_grad()) { x.add_(1.0); }")]
    [InlineData("var y = x * 2.0;\ny.retain_grad();\ny.sum().backward();\nvar g = y.grad;")]
    [InlineData("var l = x.exp().sum();\nl.backward(retain_graph: true);\nl.backward();")]
    [InlineData("var d = x.detach();\nd.requires_grad = true;\n(d * d).sum().backward();")]
    [InlineData("if (flag) { x.requires_grad = false; }\nvar y = (x * x).sum();\ny.backward();")]
    [InlineData("var t = torch.zeros(new long[] { 2 }, requires_grad: true);\nt.sum().backward();\nvar g = t.grad;")]
    public Task Not_reported_on_correct_TorchSharp_code(string body) => Verify.VerifyTorchSharpAsync(TorchSharpSnippet.Method(Leaf + body));

    [Fact]
    public Task Messages_use_TorchSharp_names_and_say_where_the_state_comes_from() =>
        Verify.VerifyTorchSharpAsync(
            TorchSharpSnippet.Method(
                Leaf + "var loss = Evaluate(x);\nloss.backward();",
                """
                    static Tensor Evaluate(Tensor w)
                    {
                        using var _ = torch.no_grad();
                        return (w * w).sum();
                    }
                """),
            Verify.Diagnostic("SG0002").WithSpan(TorchSharpSnippet.FirstBodyLine + 2, 1, TorchSharpSnippet.FirstBodyLine + 2, 16)
                .WithMessage("'loss' does not require grad (it was never made to, was detached, was computed under no_grad or inference_mode, or only from frozen tensors), so backward() throws: \"element 0 of tensors does not require grad and does not have a grad_fn\"; compute it from a tensor with requires_grad = true, outside no_grad ('loss' comes from 'Evaluate', which runs under no_grad)"));
}
