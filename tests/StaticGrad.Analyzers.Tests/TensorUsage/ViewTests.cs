using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

using StaticGrad.Analyzers.Tests.TorchSharp;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

/// <summary>Views (Slice, View, Select …): SG0018 for DetachInPlace on a view, SG0006 for an in-place change of a view of a leaf that requires grad.</summary>
public class ViewTests
{
    private const string Leaf = "var x = Tensor.FromArray(new[] { 1.0, 2.0, 3.0 }, requiresGrad: true);\n";
    private const string TorchLeaf = "var x = torch.tensor(new[] { 1.0, 2.0, 3.0 }, requires_grad: true);\n";

    [Theory]
    [InlineData("var v = (x * 2.0).Slice(0, 0, 2);\n{|SG0018:v.DetachInPlace()|};")]
    [InlineData("var v = x.Detach().Slice(0, 0, 2);\n{|SG0018:v.DetachInPlace()|};")]
    [InlineData("var v = x.Select(0, 1);\nusing (Autograd.NoGrad()) { {|SG0018:v.DetachInPlace()|}; }")]
    [InlineData("var v = flag ? x.View(3, 1) : x.Narrow(0, 0, 2).Unsqueeze(0);\n{|SG0018:v.DetachInPlace()|};")]
    [InlineData("{|SG0006:x.Slice(0, 0, 1).MulInPlace(2.0)|};")]
    [InlineData("var v = x.Narrow(0, 1, 2);\nvar w = v.Unsqueeze(0);\n{|SG0006:w.AddInPlace(1.0)|};")]
    public Task Reported_on_views(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));

    [Theory]
    [InlineData("var y = x * 2.0;\ny.DetachInPlace();")]
    [InlineData("var v = x.Reshape(3, 1);\nv.DetachInPlace();")]
    [InlineData("var v = x.Slice(0, 0, 2).Detach();\nv.DetachInPlace();")]
    [InlineData("var v = flag ? x.Slice(0, 0, 2) : x * 1.0;\nv.DetachInPlace();")]
    [InlineData("using (Autograd.NoGrad()) { x.Slice(0, 0, 1).MulInPlace(2.0); }")]
    [InlineData("Tensor v;\nusing (Autograd.NoGrad()) { v = x.Slice(0, 0, 1); }\nusing (Autograd.NoGrad()) { v.MulInPlace(2.0); }")]
    [InlineData("var c = Tensor.Zeros(new[] { 3 });\nc.Slice(0, 0, 1).MulInPlace(2.0);")]
    [InlineData("var v = x.Slice(0, 0, 2);\nx.RequiresGrad = false;\nv.MulInPlace(2.0);")]
    [InlineData("var v = (x * 2.0).Slice(0, 0, 2);\nv.MulInPlace(2.0);\nv.Sum().Backward();")]
    public Task Not_reported_where_it_may_not_throw(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));

    [Theory]
    [InlineData("var v = (x * 2.0).slice(0, 0, 2, 1);\n{|SG0018:v.detach_()|};")]
    [InlineData("{|SG0006:x.narrow(0, 0, 1).mul_(2.0)|};")]
    public Task Reported_on_TorchSharp_views(string body) => Verify.VerifyTorchSharpAsync(TorchSharpSnippet.Method(TorchLeaf + body));

    [Theory]
    [InlineData("var v = (x * 2.0).slice(0, 0, 2, 1).detach();\nv.detach_();")]
    [InlineData("using (torch.no_grad()) { x.narrow(0, 0, 1).mul_(2.0); }")]
    public Task Not_reported_on_TorchSharp_code(string body) => Verify.VerifyTorchSharpAsync(TorchSharpSnippet.Method(TorchLeaf + body));

    [Fact]
    public Task Messages_name_the_view_and_its_leaf() =>
        Verify.VerifyAsync(
            Snippet.Method(Leaf + "var v = x.Slice(0, 0, 2);\nv.AddInPlace(1.0);\nv.DetachInPlace();"),
            Verify.Diagnostic("SG0006").WithSpan(Snippet.FirstBodyLine + 2, 1, Snippet.FirstBodyLine + 2, 18)
                .WithMessage("'v' is a view of 'x', a leaf tensor that requires grad, so 'AddInPlace' outside NoGrad throws: \"a view of a leaf Variable that requires grad is being used in an in-place operation.\"; put manual updates inside a using (Autograd.NoGrad()) block, or use an out-of-place operation"),
            Verify.Diagnostic("SG0018").WithSpan(Snippet.FirstBodyLine + 3, 1, Snippet.FirstBodyLine + 3, 18)
                .WithMessage("'v' is a view (Slice, View, Select …), so DetachInPlace() throws: \"Can't detach views in-place. Use detach() instead.\"; use 'v.Detach()', which returns a new tensor"));
}
