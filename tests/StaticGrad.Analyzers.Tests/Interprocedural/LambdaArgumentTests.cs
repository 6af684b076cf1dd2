using StaticGrad.Analyzers.Tests.TorchSharp;
using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.Interprocedural;

/// <summary>
/// Lambdas passed into helpers with source: the helper's summary runs the lambda's summary where the helper calls it,
/// with the grad mode there, so what the lambda returns through the helper is known.
/// </summary>
public class LambdaArgumentTests
{
    private static string Program(string members) => $$"""
using System;
using StaticGrad;

public static class C
{
{{members}}
}
""";

    private const string Helpers = """
        static Tensor Evaluate(Func<Tensor> compute)
        {
            using (Autograd.NoGrad())
            {
                return compute();
            }
        }

        static Tensor Apply(Func<Tensor, Tensor> f, Tensor x) => f(x);

        static Tensor Twice(Func<Tensor, Tensor> f, Tensor x) => f(f(x));
        """;

    [Theory]
    [InlineData("var loss = Evaluate(() => (w * w).Sum());\n{|SG0002:loss.Backward()|};")]
    [InlineData("var loss = Apply(t => (t * 2.0).Sum(), Tensor.FromArray(new[] { 1.0, 2.0 }));\n{|SG0002:loss.Backward()|};")]
    [InlineData("var y = Twice(t => t.Detach() * 3.0, w).Sum();\n{|SG0002:y.Backward()|};")]
    [InlineData("var y = Apply(t => t * 2.0, w);\n{|SG0001:y.RequiresGrad = false|};")]
    public Task Reported_through_a_lambda_given_to_a_helper(string body) =>
        Verify.VerifyAsync(Program(Helpers + "\n    public static void M()\n    {\n        var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\n" + body + "\n    }"));

    [Theory]
    [InlineData("var loss = Apply(t => (t * w).Sum(), Tensor.FromArray(new[] { 1.0, 2.0 }));\nloss.Backward();")]
    [InlineData("var loss = Apply(t => (t * 2.0).Sum(), w);\nloss.Backward();")]
    [InlineData("var loss = Apply(t => t.Detach().SetRequiresGrad(), w).Sum();\nloss.Backward();")]
    [InlineData("Func<Tensor, Tensor> f = flag ? t => t.Detach() : t => t * 2.0;\nvar loss = Apply(f, w).Sum();\nloss.Backward();")]
    [InlineData("var u = Evaluate(() => { w.AddInPlace(1.0); return w; });")]
    [InlineData("var u = Evaluate(() => { var a = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true); a.AddInPlace(1.0); return a; });")]
    public Task Not_reported_when_the_lambda_keeps_the_graph(string body) =>
        Verify.VerifyAsync(Program(Helpers + "\n    public static void M(bool flag)\n    {\n        var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\n" + body + "\n    }"));

    [Fact]
    public Task TorchSharp_lambda_through_an_evaluate_helper() =>
        Verify.VerifyTorchSharpAsync("""
            using System;
            using TorchSharp;
            using static TorchSharp.torch;

            public static class C
            {
                static Tensor Evaluate(Func<Tensor> compute)
                {
                    using (torch.no_grad())
                    {
                        return compute();
                    }
                }

                public static void M()
                {
                    var w = torch.tensor(new[] { 1.0, 2.0 }, requires_grad: true);
                    var loss = Evaluate(() => (w * w).sum());
                    {|SG0002:loss.backward()|};
                }
            }
            """);
}
