using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.Interprocedural;

/// <summary>
/// A call of a readonly delegate field that its constructors write once, with a lambda, runs that lambda (a schedule
/// or a criterion stored by the constructor): the grad mode after it is what the lambda leaves. Any other delegate
/// field stays unknown code, after which the mode is unknown and nothing that needs it is reported.
/// </summary>
public class DelegateFieldTests
{
    private static string StaticGrad(string fields, string constructors, string body) => $$"""
        using System;
        using StaticGrad;

        internal sealed class Trainer
        {
            {{fields}}

            {{constructors}}

            public void Run()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                {{body}}
            }
        }
        """;

    private static string TorchSharp(string fields, string constructors, string body) => $$"""
        using System;
        using TorchSharp;
        using static TorchSharp.torch;

        internal sealed class Trainer
        {
            {{fields}}

            {{constructors}}

            public void Run()
            {
                var w = torch.ones(2, requires_grad: true);
                {{body}}
            }
        }
        """;

    private const string Schedule = "private readonly Func<int, double> _schedule;";

    [Fact]
    public Task A_schedule_stored_by_the_constructor_keeps_the_grad_mode() =>
        Verify.VerifyAsync(StaticGrad(Schedule, "public Trainer(double lr) { _schedule = epoch => lr * Math.Pow(0.95, epoch); }", "var lr = _schedule(3);\n{|SG0006:w.AddInPlace(lr)|};"));

    [Fact]
    public Task A_TorchSharp_schedule_stored_by_the_constructor_keeps_the_grad_mode() =>
        Verify.VerifyTorchSharpAsync(TorchSharp(Schedule, "public Trainer(double lr) { _schedule = epoch => lr * Math.Pow(0.95, epoch); }", "var lr = _schedule(3);\n{|SG0006:w.add_(lr)|};"));

    [Fact]
    public Task A_stored_lambda_that_turns_grad_off_is_followed() =>
        Verify.VerifyAsync(StaticGrad("private readonly Action _freeze;", "public Trainer() { _freeze = () => Autograd.SetGradEnabled(false); }", "_freeze();\nvar y = (w * w).Sum();\n{|SG0002:y.Backward()|};"));

    [Fact]
    public Task A_TorchSharp_stored_lambda_that_turns_grad_off_is_followed() =>
        Verify.VerifyTorchSharpAsync(TorchSharp("private readonly Action _freeze;", "public Trainer() { _freeze = () => torch.set_grad_enabled(false); }", "_freeze();\nvar y = (w * w).sum();\n{|SG0002:y.backward()|};"));

    [Theory]
    // Two constructors store different lambdas, one of them turning grad off: the field holds either.
    [InlineData(Schedule, "public Trainer() { _schedule = e => 0.1; }\npublic Trainer(int n) { _schedule = e => { Autograd.SetGradEnabled(false); return 0.1; }; }")]
    // Written twice in one constructor.
    [InlineData(Schedule, "public Trainer() { _schedule = e => 0.1; _schedule = e => { Autograd.SetGradEnabled(false); return 0.1; }; }")]
    // Not readonly: any method may store another delegate.
    [InlineData("private Func<int, double> _schedule;", "public Trainer() { _schedule = e => 0.1; }\npublic void Replace(Func<int, double> f) => _schedule = f;")]
    // A method group, not a lambda.
    [InlineData(Schedule, "public Trainer() { _schedule = Rate; }\nprivate static double Rate(int e) { Autograd.SetGradEnabled(false); return 0.1; }")]
    // A field initializer (not read: the field stays unknown).
    [InlineData("private readonly Func<int, double> _schedule = e => 0.1;", "public Trainer() { }")]
    public Task Any_other_delegate_field_stays_unknown_code(string fields, string constructors) =>
        Verify.VerifyAsync(StaticGrad(fields, constructors, "var lr = _schedule(3);\nw.AddInPlace(lr);"));
}
