using Verify = StaticGrad.CodeFixes.Tests.Verifiers.CodeFixVerifier<StaticGrad.Analyzers.TensorUsage.TrainingLoopAnalyzer, StaticGrad.CodeFixes.TensorUsage.InsertZeroGradCodeFix>;

namespace StaticGrad.CodeFixes.Tests.TensorUsage;

/// <summary>SG0016's fix clears the gradients at the start of each iteration, in the diagnosed library's names.</summary>
public class InsertZeroGradCodeFixTests
{
    private static string StaticGrad(string loop) => $$"""
using StaticGrad;
using StaticGrad.Nn;
using StaticGrad.Optim;

public static class C
{
    public static void M(int epochs)
    {
        var p = new Parameter(Tensor.Zeros(new[] { 2 }));
        var opt = new Sgd(new Tensor[] { p }, lr: 0.1);
        var x = Tensor.FromArray(new[] { 1.0, 2.0 });
{{loop}}
    }
}
""";

    private static string TorchSharp(string loop) => $$"""
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

public static class C
{
    public static void M(int epochs)
    {
        var p = new Parameter(torch.zeros(new long[] { 2 }));
        var opt = torch.optim.SGD(new[] { p }, 0.1);
        var x = torch.tensor(new[] { 1.0, 2.0 });
{{loop}}
    }
}
""";

    [Fact]
    public Task Inserts_ZeroGrad_at_the_start_of_the_loop() =>
        Verify.VerifyAsync(
            StaticGrad("        for (var i = 0; i < epochs; i++)\n        {\n            var loss = (p * x).Sum();\n            loss.Backward();\n            {|SG0016:opt.Step()|};\n        }"),
            StaticGrad("        for (var i = 0; i < epochs; i++)\n        {\n            opt.ZeroGrad();\n            var loss = (p * x).Sum();\n            loss.Backward();\n            opt.Step();\n        }"));

    [Fact]
    public Task Inserts_zero_grad_in_TorchSharp_names() =>
        Verify.VerifyTorchSharpAsync(
            TorchSharp("        while (epochs-- > 0)\n        {\n            var loss = (p * x).sum();\n            loss.backward();\n            {|SG0016:opt.step()|};\n        }"),
            TorchSharp("        while (epochs-- > 0)\n        {\n            opt.zero_grad();\n            var loss = (p * x).sum();\n            loss.backward();\n            opt.step();\n        }"));
}
