using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

/// <summary>
/// A parameter held in a get-only property (an auto-property written in the constructor or initializer, or a property
/// that only returns a known readonly field) is known where methods read it, in the module and in other classes,
/// unless some code of the compilation, or of another assembly, could change its flag.
/// </summary>
public class ModulePropertyTests
{
    private const string Trains = """
        var y = net.W * 2.0;
        y.Sum().Backward();
        Console.WriteLine(y.Grad);
        """;

    private static string Program(string members, string body, string other = "", string visibility = "internal") => $$"""
        using System;
        using StaticGrad;
        using StaticGrad.Nn;

        {{visibility}} sealed class Net : Module
        {
            private readonly Parameter _w = new Parameter(Tensor.FromArray(new[] { 0.5, 1.5 }));

        {{members}}
            public override Tensor Forward(Tensor x) => (x * _w).Sum();
        }

        internal static class Training
        {
            public static void Run(Net net)
            {
        {{body}}
            }
        }
        {{other}}
        """;

    private static string Reported => Trains.Replace("Console.WriteLine(y.Grad)", "Console.WriteLine({|SG0004:y.Grad|})");

    [Theory]
    [InlineData("    public Parameter W { get; } = new Parameter(Tensor.FromArray(new[] { 1.0, 2.0 }));\n")]
    [InlineData("    public Parameter W { get; }\n    public Net() { W = new Parameter(Tensor.FromArray(new[] { 1.0, 2.0 }), requiresGrad: true); }\n")]
    [InlineData("    public Parameter W => _w;\n")]
    [InlineData("    public Parameter W { get { return _w; } }\n")]
    [InlineData("    public Parameter W { get => this._w; }\n")]
    public Task Reported_where_another_class_computes_from_the_property(string members) => Verify.VerifyAsync(Program(members, Reported));

    [Fact]
    public Task Reported_for_a_registered_property_whose_parameters_only_reach_an_optimizer() =>
        Verify.VerifyAsync(Program(
            "    public Parameter W { get; }\n    public Net() { W = RegisterParameter(\"w\", new Parameter(Tensor.FromArray(new[] { 1.0, 2.0 })))!; }\n",
            "var opt = new StaticGrad.Optim.Adam(net.Parameters(), lr: 0.01);\nnet.Eval();\n" + Reported));

    [Fact]
    public Task Reported_inside_the_module_and_through_a_helper_that_reads_it() =>
        Verify.VerifyAsync(Program(
            "    public Parameter W { get; } = new Parameter(Tensor.FromArray(new[] { 1.0, 2.0 }));\n    public Tensor Penalty() => W.Square().Sum();\n",
            "var loss = net.Penalty() * 0.5;\nloss.Backward();\nConsole.WriteLine({|SG0004:loss.Grad|});"));

    [Theory]
    [InlineData("    public Parameter W { get; } = new Parameter(Tensor.FromArray(new[] { 1.0 }), requiresGrad: false);\n", "")]
    [InlineData("    public Parameter W { get; init; } = new Parameter(Tensor.FromArray(new[] { 1.0 }));\n", "")]
    [InlineData("    public Parameter W { get; } = new Parameter(Tensor.FromArray(new[] { 1.0 }));\n", "internal static class Freezer { public static void Freeze(Net net) => net.W.RequiresGrad = false; }\n")]
    [InlineData("    public Parameter W { get; } = new Parameter(Tensor.FromArray(new[] { 1.0 }));\n", "internal static class Freezer { public static void Freeze(Net net) => Keep(net.W); static void Keep(Tensor t) { } }\n")]
    [InlineData("    public Parameter W => _w;\n    public void Freeze() => _w.SetRequiresGrad(false);\n", "")]
    [InlineData("    public Parameter W => _w;\n", "internal static class Freezer { public static void Freeze(Net net) => net.W.DetachInPlace(); }\n")]
    [InlineData("    public Parameter W => _w;\n    public void Register() => RegisterParameter(\"w\", W);\n", "internal static class Freezer { public static void Freeze(Net net) => net.SetRequiresGrad(false); }\n")]
    [InlineData("    public Parameter W => _w ?? new Parameter(Tensor.FromArray(new[] { 1.0 }), requiresGrad: false);\n", "")]
    public Task Not_reported_when_the_property_may_be_changed_or_escape(string members, string other) =>
        Verify.VerifyAsync(Program(members, Trains, other));

    [Fact]
    public Task Not_reported_for_a_property_other_assemblies_can_see() =>
        Verify.VerifyAsync(Program("    public Parameter W { get; } = new Parameter(Tensor.FromArray(new[] { 1.0 }));\n", Trains, visibility: "public"));

    [Fact]
    public Task Not_reported_for_a_virtual_property_an_override_may_replace() =>
        Verify.VerifyAsync(Program("    public virtual Parameter W { get; } = new Parameter(Tensor.FromArray(new[] { 1.0 }));\n", Trains).Replace("sealed class Net", "class Net"));
}
