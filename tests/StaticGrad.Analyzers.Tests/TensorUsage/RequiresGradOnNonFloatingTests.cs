using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

public class RequiresGradOnNonFloatingTests
{
    [Theory]
    [InlineData("var a = Tensor.FromArray(new long[] { 3, 4 }, {|SG0003:requiresGrad: true|});")]
    [InlineData("var a = Tensor.FromArray(new[] { true, false }, {|SG0003:requiresGrad: true|});")]
    [InlineData("var a = Tensor.Zeros(new[] { 2 }, DType.Int64, {|SG0003:requiresGrad: true|});")]
    [InlineData("var a = Tensor.Ones(new[] { 2 }, dtype: DType.Bool, {|SG0003:requiresGrad: true|});")]
    [InlineData("var a = Tensor.FromArray(new long[] { 3, 4 });\n{|SG0003:a.RequiresGrad = true|};")]
    [InlineData("var a = Tensor.FromArray(new long[] { 3, 4 });\n{|SG0003:a.SetRequiresGrad()|};")]
    [InlineData("var x = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar b = x.Gt(0.0);\n{|SG0003:b.RequiresGrad = true|};")]
    [InlineData("var x = Tensor.FromArray(new[] { 1.0 });\nvar i = x.ToDType(DType.Int64);\n{|SG0003:i.SetRequiresGrad(true)|};")]
    [InlineData("var a = Tensor.Arange(5);\nif (flag) { {|SG0003:a.RequiresGrad = true|}; }")]
    public Task Reported_on_integer_and_bool_tensors(string body) => Verify.VerifyAsync(Snippet.Method(body));

    [Fact]
    public Task Reported_with_the_message_of_each_api() =>
        Verify.VerifyAsync(
            Snippet.Method("var a = Tensor.FromArray(new long[] { 3, 4 });\na.RequiresGrad = true;\nvar b = Tensor.FromArray(new long[] { 3, 4 });\nb.SetRequiresGrad();"),
            Verify.Diagnostic("SG0003").WithSpan(Snippet.FirstBodyLine + 1, 1, Snippet.FirstBodyLine + 1, 22)
                .WithArguments("a", "only Tensors of floating point and complex dtype can require gradients"),
            Verify.Diagnostic("SG0003").WithSpan(Snippet.FirstBodyLine + 3, 1, Snippet.FirstBodyLine + 3, 20)
                .WithArguments("b", "only Tensors of floating point dtype can require gradients"));

    [Theory]
    [InlineData("var a = Tensor.FromArray(new long[] { 3, 4 });\na.RequiresGrad = false;")]
    [InlineData("var a = Tensor.FromArray(new[] { 3.0, 4.0 }, requiresGrad: true);")]
    [InlineData("var a = Tensor.Zeros(new[] { 2 }, DType.Float32, requiresGrad: true);")]
    [InlineData("var a = Tensor.FromArray(new long[] { 3, 4 }).Double();\na.RequiresGrad = true;")]
    [InlineData("var a = Tensor.FromArray(new long[] { 3, 4 });\nif (flag) { a = Tensor.Ones(new[] { 2 }); }\na.RequiresGrad = true;")]
    [InlineData("var a = Tensor.Zeros(new[] { 2 }, flag ? DType.Int64 : DType.Float64);\na.RequiresGrad = true;")]
    public Task Not_reported_on_floating_or_unknown_dtypes(string body) => Verify.VerifyAsync(Snippet.Method(body));
}
