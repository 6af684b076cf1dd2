using StaticGrad.Analyzers.Tests.TorchSharp;
using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

/// <summary>
/// A conditional operator whose value is a local on one path (<c>total = flag ? total + term : total</c>, the penalty
/// and running-sum idiom): the join makes every holder of that object external, and since session 12 keeps the
/// autograd state both paths agree on, so a certain error after it is reported; a change made afterwards through one
/// holder still makes the others unknown.
/// </summary>
public class ConditionalJoinTests
{
    [Theory]
    [InlineData("var c = Tensor.FromArray(new[] { 1.0 });\nvar total = (c * 0.0).Sum();\nvar term = (c * 2.0).Sum();\ntotal = flag ? total + term : total;\n{|SG0002:total.Backward()|};")]
    [InlineData("var c = Tensor.FromArray(new[] { 1.0 });\nvar total = (c * 0.0).Sum();\nforeach (var d in new[] { 0.1, 0.2 })\n{\n    var term = (c * d).Sum();\n    total = d > 0 ? total + term : total;\n}\n\n{|SG0002:total.Backward()|};")]
    [InlineData("var c = Tensor.FromArray(new[] { 1.0 });\nvar d = flag ? c : c * 2.0;\n{|SG0002:d.Sum().Backward()|};")]
    public Task Reported_after_the_join(string body) => Verify.VerifyAsync(Snippet.Method(body));

    [Theory]
    [InlineData("var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar total = (w * 0.0).Sum();\nvar term = (w * 2.0).Sum();\ntotal = flag ? total + term : total;\ntotal.Backward();")]
    [InlineData("var c = Tensor.FromArray(new[] { 1.0 });\nvar d = flag ? c : c * 1.0;\nd.RequiresGrad = true;\nc.Sum().Backward();")]
    [InlineData("var c = Tensor.FromArray(new[] { 1.0 });\nvar w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar d = flag ? c : w;\nd.Sum().Backward();")]
    public Task Not_reported_where_a_path_or_an_alias_differs(string body) => Verify.VerifyAsync(Snippet.Method(body));

    [Theory]
    [InlineData("var c = torch.ones(2);\nvar total = (c * 0.0).sum();\nvar term = (c * 2.0).sum();\ntotal = flag ? total + term : total;\n{|SG0002:total.backward()|};")]
    [InlineData("var c = torch.ones(2);\nvar d = flag ? c : c * 1.0;\nd.requires_grad = true;\nc.sum().backward();")]
    public Task The_same_on_TorchSharp(string body) => Verify.VerifyTorchSharpAsync(TorchSharpSnippet.Method(body));
}
