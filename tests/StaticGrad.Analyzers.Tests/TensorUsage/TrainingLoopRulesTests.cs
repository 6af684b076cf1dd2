using LoopVerify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TrainingLoopAnalyzer>;
using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

/// <summary>SG0015 (layer replaced after the optimizer was built), SG0016 (no ZeroGrad in a training loop), SG0017 (loss accumulated with its graph).</summary>
public class TrainingLoopRulesTests
{
    private static string Program(string body, string members = "") => $$"""
using System;
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
    public static void M(Net model, Tensor x, Tensor y, int epochs)
    {
{{body}}
    }
{{members}}
}
""";

    [Fact]
    public Task SG0016_is_reported_when_the_loop_never_clears_gradients() =>
        LoopVerify.VerifyAsync(Program("""
            var opt = new Sgd(model.Parameters(), lr: 0.1);
            for (var i = 0; i < epochs; i++)
            {
                var loss = (model.Forward(x) - y).Square().Mean();
                loss.Backward();
                {|#0:opt.Step()|};
            }
            """), LoopVerify.Diagnostic("SG0016").WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0).WithArguments("opt"));

    [Theory]
    [InlineData("opt.ZeroGrad();\nvar loss = (model.Forward(x) - y).Square().Mean();\nloss.Backward();\nopt.Step();")]
    [InlineData("var loss = (model.Forward(x) - y).Square().Mean();\nloss.Backward();\nopt.Step();\nmodel.ZeroGrad();")]
    [InlineData("var loss = (model.Forward(x) - y).Square().Mean();\nloss.Backward();\nif (i % 4 == 3) { opt.Step(); opt.ZeroGrad(); }")]
    [InlineData("var loss = (model.Forward(x) - y).Square().Mean();\nloss.Backward();\nopt.Step();\nClear(model);")]
    [InlineData("var loss = (model.Forward(x) - y).Square().Mean();\nloss.Backward();\nopt.Step();\nforeach (var p in model.Parameters()) { p.Grad = null; }")]
    [InlineData("var loss = (model.Forward(x) - y).Square().Mean();\nloss.Backward();\nopt.Step();\nAfterStep?.Invoke();")]
    public Task SG0016_is_not_reported_when_something_may_clear_gradients(string body) =>
        LoopVerify.VerifyAsync(Program(
            "var opt = new Sgd(model.Parameters(), lr: 0.1);\nfor (var i = 0; i < epochs; i++)\n{\n" + body + "\n}",
            "static void Clear(Module m) => m.ZeroGrad();\nstatic Action? AfterStep;"));

    [Fact]
    public Task SG0015_is_reported_when_the_head_is_replaced_after_the_optimizer_was_built() =>
        LoopVerify.VerifyAsync(Program("""
            var opt = new Sgd(model.Parameters(), lr: 0.1);
            {|#0:model.Head = new Linear(2, 3)|};
            opt.ZeroGrad();
            model.Forward(x).Sum().Backward();
            opt.Step();
            """), LoopVerify.Diagnostic("SG0015").WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Head", "opt", "model"));

    [Theory]
    [InlineData("model.Head = new Linear(2, 3);\nvar opt = new Sgd(model.Parameters(), lr: 0.1);\nopt.Step();")]
    [InlineData("var opt = new Sgd(model.Parameters(), lr: 0.1);\nmodel.Head = new Linear(2, 3);\nopt = new Sgd(model.Parameters(), lr: 0.1);\nopt.Step();")]
    [InlineData("var opt = new Sgd(model.Parameters(), lr: 0.1);\nmodel.Head = new Linear(2, 3);")]
    [InlineData("var other = new Net();\nvar opt = new Sgd(other.Parameters(), lr: 0.1);\nmodel.Head = new Linear(2, 3);\nopt.Step();")]
    public Task SG0015_is_not_reported_when_the_optimizer_sees_the_new_layer_or_never_steps(string body) =>
        LoopVerify.VerifyAsync(Program(body));

    [Theory]
    [InlineData("var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nvar total = Tensor.Zeros(new[] { 1 });\nfor (var i = 0; i < epochs; i++)\n{\n    var loss = (w * x - y).Square().Mean();\n    {|SG0017:total += loss|};\n}\nConsole.WriteLine(total.Item());")]
    [InlineData("var total = Tensor.Zeros(new[] { 1 });\nfor (var i = 0; i < epochs; i++)\n{\n    var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\n    {|SG0017:total = total + (w * x).Sum()|};\n}\nConsole.WriteLine(total);")]
    public Task SG0017_is_reported_when_a_loss_that_requires_grad_is_summed_for_its_value(string body) =>
        Verify.VerifyAsync(Program(body));

    [Theory]
    [InlineData("var total = Tensor.Zeros(new[] { 1 });\nvar w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nfor (var i = 0; i < epochs; i++)\n{\n    total += (w * x).Sum().Detach();\n}")]
    [InlineData("var total = Tensor.Zeros(new[] { 1 });\nvar w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nfor (var i = 0; i < epochs; i++)\n{\n    total += (w * x).Sum();\n}\ntotal.Backward();")]
    [InlineData("var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nfor (var i = 0; i < epochs; i++)\n{\n    var total = Tensor.Zeros(new[] { 1 });\n    total += (w * x).Sum();\n    Console.WriteLine(total.Item());\n}")]
    [InlineData("var total = Tensor.Zeros(new[] { 1 });\nvar w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nusing (Autograd.NoGrad())\n{\n    for (var i = 0; i < epochs; i++) { total += (w * x).Sum(); }\n}\nConsole.WriteLine(total.Item());")]
    [InlineData("var total = Tensor.Zeros(new[] { 1 });\nfor (var i = 0; i < epochs; i++)\n{\n    total += x.Sum();\n}\nConsole.WriteLine(total.Item());")]
    public Task SG0017_is_not_reported_when_the_sum_is_differentiated_detached_or_untracked(string body) =>
        Verify.VerifyAsync(Program(body));

    [Fact]
    public Task SG0017_suggests_detaching_an_operator_expression_in_parentheses() =>
        Verify.VerifyAsync(
            Program("var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nvar total = Tensor.Zeros(new[] { 1 });\nfor (var i = 0; i < epochs; i++)\n{\n    {|#0:total = total + (w * x).Sum() * 2.0|};\n}\nConsole.WriteLine(total.Item());"),
            Verify.Diagnostic("SG0017").WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0)
                .WithMessage("'(w * x).Sum() * 2.0' requires grad and is added to 'total', which outlives the loop and is only read for its value: 'total' keeps the graph of every iteration alive, so memory grows each iteration; add ((w * x).Sum() * 2.0).Detach() (or ((w * x).Sum() * 2.0).Item() to a double) instead"));
}
