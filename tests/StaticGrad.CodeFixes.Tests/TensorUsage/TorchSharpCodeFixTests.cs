using DetachVerify = StaticGrad.CodeFixes.Tests.Verifiers.CodeFixVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer, StaticGrad.CodeFixes.TensorUsage.DetachInsteadOfRequiresGradCodeFix>;
using RetainVerify = StaticGrad.CodeFixes.Tests.Verifiers.CodeFixVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer, StaticGrad.CodeFixes.TensorUsage.InsertRetainGradCodeFix>;

namespace StaticGrad.CodeFixes.Tests.TensorUsage;

/// <summary>The fixes write TorchSharp's spelling in TorchSharp code.</summary>
public class TorchSharpCodeFixTests
{
    private const string Computed = "        var x = torch.tensor(new[] { 1.0, 2.0 }, requires_grad: true);\n        var y = x * 2.0;\n";

    private static string Method(string body) => $$"""
using TorchSharp;
using static TorchSharp.torch;

public static class C
{
    public static void M()
    {
{{body}}
    }
}
""";

    [Theory]
    [InlineData("        {|SG0001:y.requires_grad = true|};", "        y = y.detach().requires_grad_();")]
    [InlineData("        {|SG0001:y.requires_grad = false|};", "        y = y.detach();")]
    [InlineData("        {|SG0001:y.requires_grad_(false)|};", "        y = y.detach();")]
    public Task Detach_is_written_in_TorchSharp_names(string source, string fixedSource) =>
        DetachVerify.VerifyTorchSharpAsync(Method(Computed + source), Method(Computed + fixedSource));

    [Fact]
    public Task Retain_grad_is_written_in_TorchSharp_names() =>
        RetainVerify.VerifyTorchSharpAsync(
            Method(Computed + "        y.sum().backward();\n        var g = {|SG0004:y.grad|};"),
            Method(Computed + "        y.retain_grad();\n        y.sum().backward();\n        var g = y.grad;"));
}
