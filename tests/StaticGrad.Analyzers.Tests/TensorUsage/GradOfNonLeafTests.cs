using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

public class GradOfNonLeafTests
{
    private const string Leaf = "var x = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\n";

    [Theory]
    [InlineData("var y = x * 2.0;\ny.Sum().Backward();\nvar g = {|SG0004:y.Grad|};")]
    [InlineData("var y = x.Exp();\nvar z = y;\nz.Sum().Backward();\nConsole.WriteLine({|SG0004:z.Grad|});")]
    [InlineData("var y = x * 2.0;\nif (flag) { y = x + 1.0; }\nConsole.WriteLine({|SG0004:y.Grad|} is null);")]
    [InlineData("for (var i = 0; i < n; i++) { var y = x * i; y.Sum().Backward(); Console.WriteLine({|SG0004:y.Grad|}); }")]
    [InlineData("Console.WriteLine({|SG0004:(x * x).Grad|});")]
    public Task Reported_on_non_leaves_without_retain_grad(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));

    [Theory]
    [InlineData("var y = x * 2.0;\ny.RetainGrad();\ny.Sum().Backward();\nvar g = y.Grad;")]
    [InlineData("var y = x * 2.0;\nvar z = y;\nz.RetainGrad();\ny.Sum().Backward();\nvar g = y.Grad;")]
    [InlineData("x.Sum().Backward();\nvar g = x.Grad;")]
    [InlineData("var y = x * 2.0;\nif (flag) { y.RetainGrad(); }\nvar g = y.Grad;")]
    [InlineData("Tensor y;\nusing (Autograd.NoGrad()) { y = x * 2.0; }\nvar g = y.Grad;")]
    [InlineData("var y = x * 2.0;\ny.Grad = Tensor.Ones(new[] { 2 });\nvar g = y.Grad;")]
    [InlineData("var y = x * 2.0;\nHelper(y);\nvar g = y.Grad;")]
    public Task Not_reported_on_leaves_retained_or_unknown_tensors(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));
}
