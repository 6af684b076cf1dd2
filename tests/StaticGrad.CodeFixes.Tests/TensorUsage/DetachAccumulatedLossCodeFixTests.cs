using Verify = StaticGrad.CodeFixes.Tests.Verifiers.CodeFixVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer, StaticGrad.CodeFixes.TensorUsage.DetachAccumulatedLossCodeFix>;

namespace StaticGrad.CodeFixes.Tests.TensorUsage;

/// <summary>SG0017's fix adds the detached loss to the running total, in the diagnosed library's names.</summary>
public class DetachAccumulatedLossCodeFixTests
{
    private static string StaticGrad(string statement) => $$"""
using System;
using StaticGrad;

public static class C
{
    public static void M(int epochs)
    {
        var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
        var x = Tensor.FromArray(new[] { 1.0, 2.0 });
        var total = Tensor.Zeros(new[] { 1 });
        for (var i = 0; i < epochs; i++)
        {
            var loss = (w * x).Sum();
            {{statement}}
        }

        Console.WriteLine(total.Item());
    }
}
""";

    private static string TorchSharp(string statement) => $$"""
using System;
using TorchSharp;
using static TorchSharp.torch;

public static class C
{
    public static void M(int epochs)
    {
        var w = torch.tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        var x = torch.tensor(new[] { 1.0, 2.0 });
        var total = torch.zeros(new long[] { 1 });
        for (var i = 0; i < epochs; i++)
        {
            var loss = (w * x).sum();
            {{statement}}
        }

        Console.WriteLine(total.item<double>());
    }
}
""";

    [Theory]
    [InlineData("{|SG0017:total += loss|};", "total += loss.Detach();")]
    [InlineData("{|SG0017:total = total + loss * 2.0|};", "total = total + (loss * 2.0).Detach();")]
    public Task Detaches_what_is_added_to_the_total(string source, string fixedSource) =>
        Verify.VerifyAsync(StaticGrad(source), StaticGrad(fixedSource));

    [Fact]
    public Task Detaches_in_TorchSharp_names() =>
        Verify.VerifyTorchSharpAsync(TorchSharp("{|SG0017:total += loss|};"), TorchSharp("total += loss.detach();"));
}
