using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

public class RetainGradWithoutGradTests
{
    [Theory]
    [InlineData("var c = Tensor.FromArray(new[] { 1.0 });\n{|SG0007:c.RetainGrad()|};")]
    [InlineData("var x = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar d = (x * 2.0).Detach();\n{|SG0007:d.RetainGrad()|};")]
    [InlineData("var x = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nusing (Autograd.NoGrad()) { var y = x * 2.0; {|SG0007:y.RetainGrad()|}; }")]
    public Task Reported_on_tensors_that_do_not_require_grad(string body) => Verify.VerifyAsync(Snippet.Method(body));

    [Theory]
    [InlineData("var x = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nx.RetainGrad();\n(x * 2.0).RetainGrad();")]
    [InlineData("var c = Tensor.FromArray(new[] { 1.0 });\nif (flag) { c.RequiresGrad = true; }\nc.RetainGrad();")]
    public Task Not_reported_on_tensors_that_require_grad_or_may(string body) => Verify.VerifyAsync(Snippet.Method(body));
}

public class GradInputWithoutGradTests
{
    private const string Leaf = "var x = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nvar c = Tensor.FromArray(new[] { 3.0, 4.0 });\nvar y = (x * c).Sum();\n";

    [Theory]
    [InlineData("Autograd.Grad(y, {|SG0008:c|});")]
    [InlineData("Autograd.Grad(y, new[] { x, {|SG0008:c|} });")]
    [InlineData("Autograd.Grad(y, new[] { {|SG0008:x.Detach()|} }, allowUnused: true);")]
    public Task Reported_on_inputs_that_do_not_require_grad(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));

    [Theory]
    [InlineData("Autograd.Grad(y, x);")]
    [InlineData("Autograd.Grad(y, new[] { x });")]
    [InlineData("if (flag) { c.RequiresGrad = true; }\nAutograd.Grad(y, c, allowUnused: true);")]
    public Task Not_reported_on_inputs_that_require_grad_or_may(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));
}

public class ImplicitBackwardNonScalarTests
{
    private const string Leaf = "var x = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\n";

    [Theory]
    [InlineData("var y = x * 2.0;\n{|SG0009:y.Backward()|};")]
    [InlineData("var y = (x * x).Exp() + x;\n{|SG0009:y.Backward(retainGraph: true)|};")]
    [InlineData("var w = Tensor.Ones(new[] { 2, 3 }, requiresGrad: true);\n{|SG0009:w.Backward()|};")]
    [InlineData("var y = x * Tensor.FromArray(new[] { 5.0 });\n{|SG0009:y.Backward(null)|};")]
    public Task Reported_on_tensors_with_more_than_one_element(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));

    [Theory]
    [InlineData("(x * 2.0).Sum().Backward();")]
    [InlineData("(x * 2.0).Backward(Tensor.Ones(new[] { 2 }));")]
    [InlineData("var s = Tensor.Ones(new[] { 1, 1 }, requiresGrad: true);\n(s * 3.0).Backward();")]
    [InlineData("x.Sum(0).Backward();")]
    [InlineData("x.Reshape(1, 2).Backward(Tensor.Ones(new[] { 1, 2 }));")]
    public Task Not_reported_on_single_elements_or_with_a_gradient(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));

    [Fact]
    public Task The_missing_grad_error_wins_on_constants() =>
        Verify.VerifyAsync(Snippet.Method("var c = Tensor.FromArray(new[] { 1.0, 2.0 });\n{|SG0002:c.Backward()|};"));
}

public class SetRequiresGradOnNonLeafTests
{
    private const string Leaf = "var x = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\n";

    [Theory]
    [InlineData("var y = x * 2.0;\n{|SG0010:y.SetRequiresGrad()|};")]
    [InlineData("var y = (x * 2.0).Sum();\n{|SG0010:y.SetRequiresGrad(true)|}.Backward();")]
    public Task Reported_as_a_no_op(string body) =>
        Verify.VerifyAsync(Snippet.Method(Leaf + body));

    [Theory]
    [InlineData("x.SetRequiresGrad();")]
    [InlineData("var y = (x * 2.0).Detach().SetRequiresGrad();")]
    [InlineData("var y = x * 2.0;\nif (flag) { y = y.Detach(); }\ny.SetRequiresGrad();")]
    public Task Not_reported_on_leaves_or_unknown_tensors(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));
}
