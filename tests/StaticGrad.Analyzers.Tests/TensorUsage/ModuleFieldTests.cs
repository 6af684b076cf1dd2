using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

/// <summary>
/// A parameter in a private readonly field, created with requiresGrad in the constructor, is known where methods
/// read it, unless some code could change its flag or hand it where that could happen.
/// </summary>
public class ModuleFieldTests
{
    private static string Module(string members, string method) => $$"""
        using System;
        using StaticGrad;
        using StaticGrad.Nn;
        using StaticGrad.Optim;

        public sealed class Net : Module
        {
            private readonly Parameter _w;

            public Net() { _w = new Parameter(Tensor.FromArray(new[] { 0.5, 1.5 })); }

            public override Tensor Forward(Tensor x) => (x * _w).Sum();

        {{members}}
            public void Step(bool flag)
            {
        {{method}}
            }
        }
        """;

    [Theory]
    [InlineData("", "var y = _w * 2.0;\ny.Sum().Backward();\nConsole.WriteLine({|SG0004:y.Grad|});")]
    [InlineData("", "var y = this._w.Exp();\ny.Sum().Backward();\nConsole.WriteLine({|SG0004:y.Grad|});")]
    [InlineData("    private Tensor Scaled() => _w * 3.0;\n", "var y = Scaled();\ny.Sum().Backward();\nConsole.WriteLine({|SG0004:y.Grad|});")]
    [InlineData("    private readonly Sgd _opt;\n    public Net(int n) : this() { _opt = new Sgd(new[] { _w }, lr: 0.1); }\n", "var y = _w.Square();\ny.Sum().Backward();\nConsole.WriteLine({|SG0004:y.Grad|});")]
    [InlineData("    private void Register() => RegisterParameter(\"w\", _w);\n    private Sgd Optimizer() => new Sgd(Parameters(), lr: 0.1);\n    private void Modes() { Train(); Eval(); ZeroGrad(); LoadStateDict(StateDict()); }\n", "var y = _w * 2.0;\ny.Sum().Backward();\nConsole.WriteLine({|SG0004:y.Grad|});")]
    [InlineData("    private readonly Parameter _b;\n    public Net(double scale) : this() { _b = RegisterParameter(\"b\", new Parameter(Tensor.FromArray(new[] { scale }))); }\n", "var y = _b * 2.0;\ny.Sum().Backward();\nConsole.WriteLine({|SG0004:y.Grad|});")]
    public Task Reported_when_the_field_is_only_computed_from(string members, string method) => Verify.VerifyAsync(Module(members, method));

    [Theory]
    [InlineData("    private void Freeze() => _w.RequiresGrad = false;\n")]
    [InlineData("    private void Freeze() => _w.SetRequiresGrad(false);\n")]
    [InlineData("    private void Freeze() => _w.DetachInPlace();\n")]
    [InlineData("    private void Hand() => Keep(_w);\n    private static void Keep(Tensor t) { }\n")]
    [InlineData("    private Tensor Expose() => _w;\n")]
    [InlineData("    private void Register() => RegisterParameter(\"w\", _w);\n    private void Freeze() { foreach (var p in Parameters()) { p.RequiresGrad = false; } }\n")]
    [InlineData("    private void Register() => RegisterParameter(\"w\", _w);\n    private void Freeze() => SetRequiresGrad(false);\n")]
    [InlineData("    private void Register() => RegisterParameter(\"w\", _w);\n    private void Freeze() { foreach (var (_, p) in NamedParameters()) { p.SetRequiresGrad(false); } }\n")]
    [InlineData("    private void Update() { using (Autograd.NoGrad()) { _w.AddInPlace(1.0); } }\n")]
    public Task Not_reported_when_the_field_may_be_changed_or_escape(string members) =>
        Verify.VerifyAsync(Module(members, "var y = _w * 2.0;\ny.Sum().Backward();\nConsole.WriteLine(y.Grad);"));

    [Fact]
    public Task Not_reported_for_a_field_created_without_requires_grad() =>
        Verify.VerifyAsync(Module("    private readonly Parameter _v = new Parameter(Tensor.FromArray(new[] { 1.0 }), requiresGrad: false);\n", "var y = _v * 2.0;\ny.Sum().Backward();\nConsole.WriteLine(y.Grad);"));

    [Fact]
    public Task Reported_for_an_internal_field_that_no_code_of_the_compilation_changes() =>
        Verify.VerifyAsync(Module("    internal readonly Parameter V = new Parameter(Tensor.FromArray(new[] { 1.0 }));\n", "var y = V * 2.0;\ny.Sum().Backward();\nConsole.WriteLine({|SG0004:y.Grad|});"));

    [Fact]
    public Task Not_reported_for_an_internal_field_that_another_class_freezes() =>
        Verify.VerifyAsync(Module("    internal readonly Parameter V = new Parameter(Tensor.FromArray(new[] { 1.0 }));\n", "var y = V * 2.0;\ny.Sum().Backward();\nConsole.WriteLine(y.Grad);")
            + "\ninternal static class Freezer { public static void Freeze(Net net) => net.V.RequiresGrad = false; }\n");

    [Fact]
    public Task Not_reported_for_a_field_other_assemblies_can_see() =>
        Verify.VerifyAsync(Module("    public readonly Parameter V = new Parameter(Tensor.FromArray(new[] { 1.0 }));\n", "var y = V * 2.0;\ny.Sum().Backward();\nConsole.WriteLine(y.Grad);"));

    [Fact]
    public Task Not_reported_for_an_internal_field_when_internals_are_visible_to_another_assembly() =>
        Verify.VerifyAsync(Module("    internal readonly Parameter V = new Parameter(Tensor.FromArray(new[] { 1.0 }));\n", "var y = V * 2.0;\ny.Sum().Backward();\nConsole.WriteLine(y.Grad);")
            .Replace("public sealed class Net", "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"Tests\")]\npublic sealed class Net"));

    [Fact]
    public Task Not_reported_in_the_constructor_where_the_field_may_not_be_written_yet() =>
        Verify.VerifyAsync(Module("    public Net(bool flag) : this() { var y = _w * 2.0; y.Sum().Backward(); Console.WriteLine(y.Grad); }\n", string.Empty));
}
