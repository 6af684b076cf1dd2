using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

public class BackwardTwiceTests
{
    private const string Leaf = "var x = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\n";

    [Theory]
    [InlineData("var z = (x * x).Sum();\nz.Backward();\n{|SG0005:z.Backward()|};")]
    [InlineData("var z = x.Exp().Sum();\nz.Backward(retainGraph: false);\n{|SG0005:z.Backward()|};")]
    [InlineData("var z = (x * x).Sum();\nz.Backward(retainGraph: true);\nz.Backward();\n{|SG0005:z.Backward()|};")]
    [InlineData("var w = Tensor.FromArray(new[] { 3.0, -1.0 }, requiresGrad: true);\nvar h = x * w;\nvar loss1 = (h * h).Sum();\nvar loss2 = (h * 3.0).Sum();\nloss1.Backward();\n{|SG0005:loss2.Backward()|};")]
    [InlineData("var z = x.Tanh().Sum();\nif (flag) { z.Backward(); } else { z.Backward(); }\n{|SG0005:z.Backward()|};")]
    [InlineData("var z = x.MatMul(x).Sum();\nz.Backward();\nvar alias = z;\n{|SG0005:alias.Backward()|};")]
    public Task Reported_on_a_second_backward_through_saved_tensors(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));

    [Theory]
    [InlineData("var z = (x + 1.0).Sum();\nz.Backward();\nz.Backward();")]
    [InlineData("var z = (x * 2.0).Sum();\nz.Backward();\nz.Backward();")]
    [InlineData("var z = (x * x).Sum();\nz.Backward(retainGraph: true);\nz.Backward();")]
    [InlineData("var z = (x * x).Sum();\nz.Backward(retainGraph: flag);\nz.Backward();")]
    [InlineData("var z = (x * x).Sum();\nif (flag) { z.Backward(); }\nz.Backward();")]
    [InlineData("for (var i = 0; i < n; i++) { var z = (x * x).Sum(); z.Backward(); }")]
    [InlineData("var z = (x * x).Sum();\nz.Backward();\nz = (x * x).Sum();\nz.Backward();")]
    [InlineData("var z = (x * x).Sum();\nz.Backward(createGraph: true);\nz.Backward();")]
    public Task Not_reported_when_the_graph_is_retained_rebuilt_or_saves_nothing(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));
}
