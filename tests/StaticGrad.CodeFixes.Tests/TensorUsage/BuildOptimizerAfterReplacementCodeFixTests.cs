using Verify = StaticGrad.CodeFixes.Tests.Verifiers.CodeFixVerifier<StaticGrad.Analyzers.TensorUsage.TrainingLoopAnalyzer, StaticGrad.CodeFixes.TensorUsage.BuildOptimizerAfterReplacementCodeFix>;

namespace StaticGrad.CodeFixes.Tests.TensorUsage;

/// <summary>SG0015's fix builds the optimizer after the layer is replaced, keeping the diagnosed library's code as written.</summary>
public class BuildOptimizerAfterReplacementCodeFixTests
{
    private static string StaticGrad(string body) => $$"""
using StaticGrad;
using StaticGrad.Nn;
using StaticGrad.Optim;

public sealed class Net : Module
{
    public Linear Body { get; set; } = new Linear(2, 2);
    public Linear Head { get; set; } = new Linear(2, 1);
    public override Tensor Forward(Tensor x) => Head.Forward(Body.Forward(x).Relu());
}

public static class C
{
    public static void M(Net model, Tensor x)
    {
{{body}}
    }
}
""";

    private static string TorchSharp(string body) => $$"""
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

public sealed class Net : nn.Module<Tensor, Tensor>
{
    public Linear fc { get; set; } = nn.Linear(2, 1);

    public Net() : base("Net") => RegisterComponents();

    public override Tensor forward(Tensor x) => fc.forward(x);
}

public static class C
{
    public static void M(Net model, Tensor x)
    {
{{body}}
    }
}
""";

    [Fact]
    public Task Moves_the_optimizer_below_the_replacement() =>
        Verify.VerifyAsync(
            StaticGrad("        var opt = new Sgd(model.Parameters(), lr: 0.1);\n        var scale = 2.0;\n        {|SG0015:model.Head = new Linear(2, 3)|};\n        model.Forward(x * scale).Sum().Backward();\n        opt.Step();"),
            StaticGrad("        var scale = 2.0;\n        model.Head = new Linear(2, 3);\n        var opt = new Sgd(model.Parameters(), lr: 0.1);\n        model.Forward(x * scale).Sum().Backward();\n        opt.Step();"));

    [Fact]
    public Task Moves_the_TorchSharp_optimizer_as_written() =>
        Verify.VerifyTorchSharpAsync(
            TorchSharp("        var opt = torch.optim.SGD(model.parameters(), 0.1);\n        {|SG0015:model.fc = nn.Linear(2, 3)|};\n        model.forward(x).sum().backward();\n        opt.step();"),
            TorchSharp("        model.fc = nn.Linear(2, 3);\n        var opt = torch.optim.SGD(model.parameters(), 0.1);\n        model.forward(x).sum().backward();\n        opt.step();"));

    [Fact]
    public Task Not_offered_when_a_statement_between_uses_the_optimizer() =>
        Verify.VerifyAsync(
            StaticGrad("        var opt = new Sgd(model.Parameters(), lr: 0.1);\n        opt.ZeroGrad();\n        {|SG0015:model.Head = new Linear(2, 3)|};\n        model.Forward(x).Sum().Backward();\n        opt.Step();"),
            StaticGrad("        var opt = new Sgd(model.Parameters(), lr: 0.1);\n        opt.ZeroGrad();\n        {|SG0015:model.Head = new Linear(2, 3)|};\n        model.Forward(x).Sum().Backward();\n        opt.Step();"));
}
