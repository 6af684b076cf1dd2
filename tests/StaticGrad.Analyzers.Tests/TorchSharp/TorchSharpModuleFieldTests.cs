using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TorchSharp;

/// <summary>
/// TorchSharp registers a module's parameter fields by reflection (RegisterComponents) and replaces them by reflection
/// when the module moves (to, cuda), keeping requires_grad: a field's flag stays as created unless some code of the
/// compilation gets the registered parameters back out (parameters() other than into an optimizer, named_parameters(),
/// state_dict(), an override of register_parameter), where it may freeze them.
/// </summary>
public class TorchSharpModuleFieldTests
{
    private const string Step = """
        var y = _w * 2.0;
        y.sum().backward();
        Console.WriteLine(y.grad);
        """;

    private static string Program(string method, string members = "", string other = "") => $$"""
        using System;
        using System.Linq;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        internal sealed class Net : nn.Module<Tensor, Tensor>
        {
            private readonly Parameter _w;

            public Net() : base("net")
            {
                _w = new Parameter(torch.zeros(new long[] { 2 }));
                RegisterComponents();
            }

        {{members}}
            public override Tensor forward(Tensor x) => (x * _w).sum();

            public void Step()
            {
        {{method}}
            }
        }

        internal static class Training
        {
        {{other}}
        }
        """;

    private static string Reported => Step.Replace("Console.WriteLine(y.grad)", "Console.WriteLine({|SG0004:y.grad|})");

    [Theory]
    [InlineData("")]
    [InlineData("    public static void Run(Net net) { var opt = torch.optim.SGD(net.parameters(), 0.01); net.train(); net.eval(); net.zero_grad(); opt.step(); }\n")]
    [InlineData("    public static void Clip(Net net) => torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0);\n")]
    public Task Reported_when_no_code_gets_the_registered_parameters_back(string other) => Verify.VerifyTorchSharpAsync(Program(Reported, other: other));

    [Fact]
    public Task Reported_for_a_get_only_property() =>
        Verify.VerifyTorchSharpAsync(Program(
            "var y = W.exp();\ny.sum().backward();\nConsole.WriteLine({|SG0004:y.grad|});",
            "    public Parameter W { get; } = new Parameter(torch.ones(new long[] { 2 }), requires_grad: true);\n"));

    [Theory]
    [InlineData("    public static void Freeze(Net net) { foreach (var p in net.parameters()) { p.requires_grad = false; } }\n")]
    [InlineData("    public static void Freeze(Net net) { foreach (var (_, p) in net.named_parameters()) { p.requires_grad_(false); } }\n")]
    [InlineData("    public static void Freeze(Net net) { foreach (var p in net.state_dict().Values) { p.requires_grad = false; } }\n")]
    [InlineData("    public static int Count(Net net) => net.parameters().Count();\n")]
    [InlineData("    public static void Freeze(Net net) => net.get_parameter(\"_w\").requires_grad = false;\n")]
    public Task Not_reported_when_code_gets_the_registered_parameters_back(string other) => Verify.VerifyTorchSharpAsync(Program(Step, other: other));

    [Fact]
    public Task Not_reported_when_an_override_of_register_parameter_sees_them() =>
        Verify.VerifyTorchSharpAsync(Program(Step, "    public override void register_parameter(string name, Parameter param) { param.requires_grad = false; base.register_parameter(name, param); }\n"));

    [Fact]
    public Task Not_reported_for_a_plain_tensor_field_that_moving_the_module_may_replace_by_a_non_leaf() =>
        Verify.VerifyTorchSharpAsync(Program(
            "var y = _b * 2.0;\ny.sum().backward();\nConsole.WriteLine(y.grad);",
            "    private readonly Tensor _b = torch.zeros(new long[] { 2 }, requires_grad: true);\n"));

    [Fact]
    public Task Not_reported_for_a_field_created_without_requires_grad() =>
        Verify.VerifyTorchSharpAsync(Program(
            "var y = _v * 2.0;\ny.sum().backward();\nConsole.WriteLine(y.grad);",
            "    private readonly Parameter _v = new Parameter(torch.zeros(new long[] { 2 }), requires_grad: false);\n"));
}
