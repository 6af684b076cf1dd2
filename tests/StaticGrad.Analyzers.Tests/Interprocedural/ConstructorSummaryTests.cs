using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.Interprocedural;

/// <summary>
/// <c>new C(…)</c> of a class with source is summarized like a call: its constructor's body and the constructor it
/// chains to, when the class's initializers and static initialization can run nothing else. Otherwise the creation
/// is unknown code, which may change the grad mode.
/// </summary>
public class ConstructorSummaryTests
{
    private static string Program(string type, string creation, bool reported) => $$"""
        using System;
        using StaticGrad;
        using StaticGrad.Nn;

        {{type}}

        internal static class Training
        {
            public static void Run()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                {{creation}}
                var y = w * 2.0;
                y.Sum().Backward();
                Console.WriteLine({{(reported ? "{|SG0004:y.Grad|}" : "y.Grad")}});
            }
        }
        """;

    [Theory]
    [InlineData("internal sealed class Net : Module\n{\n    public Linear Layer { get; } = new Linear(2, 1);\n    public override Tensor Forward(Tensor x) => Layer.Forward(x);\n}", "var net = new Net();")]
    [InlineData("internal sealed class Net : Module\n{\n    private readonly Parameter _w;\n    public Net(double scale) { _w = new Parameter(Tensor.FromArray(new[] { scale })); }\n    public override Tensor Forward(Tensor x) => x * _w;\n}", "var net = new Net(0.5);")]
    [InlineData("internal class Base : Module\n{\n    protected Base(int n) { Size = n; }\n    public int Size { get; }\n    public override Tensor Forward(Tensor x) => x;\n}\ninternal sealed class Net : Base\n{\n    public Net() : base(3) { }\n}", "var net = new Net();")]
    public Task Reported_after_a_creation_whose_constructor_keeps_the_grad_mode(string type, string creation) =>
        Verify.VerifyAsync(Program(type, creation, reported: true));

    [Fact]
    public Task The_grad_mode_a_constructor_leaves_is_known() =>
        Verify.VerifyAsync("""
            using System;
            using StaticGrad;

            internal sealed class Session
            {
                public Session() { Autograd.SetGradEnabled(false); }
            }

            internal static class Training
            {
                public static void Run()
                {
                    var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                    var session = new Session();
                    var y = (w * w).Sum();
                    {|SG0002:y.Backward()|};
                }
            }
            """);

    [Theory]
    [InlineData("internal class Net\n{\n    public Net() { Setup(); }\n    protected virtual void Setup() { }\n}")]
    [InlineData("internal sealed class Net\n{\n    private readonly Tensor _t = Make();\n    private static Tensor Make() { Autograd.SetGradEnabled(false); return Tensor.FromArray(new[] { 1.0 }); }\n}")]
    [InlineData("internal sealed class Net\n{\n    static Net() { Autograd.SetGradEnabled(false); }\n}")]
    [InlineData("internal class Base\n{\n    public Base() { Autograd.SetGradEnabled(false); }\n}\ninternal sealed class Net : Base\n{\n}")]
    [InlineData("internal sealed class Net\n{\n    private readonly bool _off = Off();\n    private static bool Off() { Autograd.SetGradEnabled(false); return true; }\n}")]
    public Task Not_reported_when_the_creation_may_run_code_the_analysis_does_not_read(string type) =>
        Verify.VerifyAsync(Program(type, "var net = new Net();", reported: false));
}
