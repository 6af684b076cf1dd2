using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

public class BackwardWithoutGradTests
{
    private const string Leaf = "var x = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\n";

    [Theory]
    [InlineData("var c = Tensor.FromArray(new[] { 3.0 });\n{|SG0002:c.Backward()|};")]
    [InlineData("var y = (x * 2.0).Detach().Sum();\n{|SG0002:y.Backward()|};")]
    [InlineData("var d = x.Detach();\nvar y = (d * d).Sum();\n{|SG0002:y.Backward()|};")]
    [InlineData("Tensor y;\nusing (Autograd.NoGrad()) { y = (x * x).Sum(); }\n{|SG0002:y.Backward()|};")]
    [InlineData("Tensor y;\nusing (Autograd.InferenceMode()) { y = x.Exp().Sum(); }\n{|SG0002:y.Backward()|};")]
    [InlineData("x.RequiresGrad = false;\nvar y = (x * 3.0).Sum();\n{|SG0002:y.Backward()|};")]
    [InlineData("var y = (x * 2.0).Sum();\ny.DetachInPlace();\n{|SG0002:y.Backward()|};")]
    [InlineData("using var scope = Autograd.NoGrad();\nvar y = (x * x).Sum();\n{|SG0002:y.Backward(Tensor.Scalar(1.0))|};")]
    [InlineData("var v = Tensor.FromArray(new[] { 1.0, 2.0 });\n{|SG0002:v.Backward(Tensor.Ones(new[] { 2 }))|};")]
    [InlineData("Autograd.Backward(new[] { (x * x).Sum(), {|SG0002:Tensor.Scalar(1.0)|} });")]
    public Task Reported_on_tensors_that_do_not_require_grad(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));

    [Fact]
    public Task Reported_when_both_branches_are_constant() =>
        Verify.VerifyAsync(Snippet.Method(Leaf + """
            Tensor y;
            if (flag) { y = Tensor.Zeros(new[] { 1 }); }
            else
            {
                using (Autograd.NoGrad()) { y = x.Sum(); }
            }
            {|SG0002:y.Backward()|};
            """));

    [Fact]
    public Task Reported_with_the_index_of_the_root() =>
        Verify.VerifyAsync(
            Snippet.Method(Leaf + "Autograd.Backward(new[] { x.Sum(), Tensor.Scalar(2.0) });"),
            Verify.Diagnostic("SG0002").WithSpan(Snippet.FirstBodyLine + 1, 36, Snippet.FirstBodyLine + 1, 54)
                .WithArguments("Tensor.Scalar(2.0)", "element 1 of tensors does not require grad and does not have a grad_fn"));

    [Fact]
    public Task Reported_in_a_lambda() =>
        Verify.VerifyAsync(Snippet.Method("""
            Func<Tensor, double> f = t =>
            {
                var c = Tensor.Ones(new[] { 1 });
                {|SG0002:c.Backward()|};
                return 0.0;
            };
            """));

    [Theory]
    [InlineData("var y = (x * x).Sum();\ny.Backward();")]
    [InlineData("x.Sum().Backward();")]
    [InlineData("var s = Tensor.Scalar(1.0, requiresGrad: true);\ns.Backward();")]
    [InlineData("var y = (x * x).Sum();\nusing (Autograd.NoGrad()) { y.Backward(); }")]
    [InlineData("var y = (x * 2.0).Detach().SetRequiresGrad().Sum();\ny.Backward();")]
    [InlineData("var c = Tensor.Zeros(new[] { 2 });\nc.AddInPlace(x);\nc.Sum().Backward();")]
    [InlineData("var y = (x * 2.0).Sum();\nusing (Autograd.NoGrad()) { }\ny.Backward();")]
    public Task Not_reported_when_the_root_requires_grad(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));

    [Theory]
    [InlineData("Tensor y;\nif (flag) { y = Tensor.Zeros(new[] { 1 }); } else { y = x.Sum(); }\ny.Backward();")]
    [InlineData("var y = Tensor.Zeros(new[] { 1 });\nfor (var i = 0; i < n; i++) { y = y + x.Sum(); }\ny.Backward();")]
    [InlineData("var c = Tensor.Zeros(new[] { 1 });\nHelper(c);\nc.Backward();")]
    [InlineData("var c = Tensor.Zeros(new[] { 1 });\nc.RequiresGrad = flag;\nc.Backward();")]
    [InlineData("Tensor y;\nusing (Autograd.SetGradEnabled(flag)) { y = x.Sum(); }\ny.Backward();")]
    [InlineData("var c = Tensor.Zeros(new[] { 1 });\ntry { c = x.Sum(); Helper(c); } catch (InvalidOperationException) { }\nc.Backward();")]
    public Task Not_reported_when_a_path_requires_grad_or_the_state_is_unknown(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));

    [Fact]
    public Task Not_reported_on_a_parameter() => Verify.VerifyAsync(Snippet.Method("t.Backward();", "Tensor t"));
}
