using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

/// <summary>
/// Grad mode across loops over collections and loops that carry a tensor from one iteration to the next: the join at
/// the loop head reuses the merged origin, so the fixpoint converges without forgetting the mode.
/// </summary>
public class ForEachGradModeTests
{
    private const string Leaf = "var x = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nvar items = new System.Collections.Generic.List<double> { 1.0, 2.0 };\n";

    [Theory]
    [InlineData("foreach (var v in items) { {|SG0006:x.AddInPlace(v)|}; }")]
    [InlineData("foreach (var v in new[] { 1.0, 2.0 }) { {|SG0006:x.AddInPlace(v)|}; }")]
    [InlineData("foreach (var v in items) { x.Sum(); }\n{|SG0006:x.AddInPlace(1.0)|};")]
    [InlineData("using (Autograd.NoGrad()) { foreach (var v in items) { x.AddInPlace(v); } }\n{|SG0006:x.AddInPlace(1.0)|};")]
    [InlineData("foreach (var v in items) { using (Autograd.NoGrad()) { x.AddInPlace(v); }\n{|SG0006:x.AddInPlace(1.0)|}; }")]
    [InlineData("foreach (var v in items) { using (Autograd.NoGrad()) { x.AddInPlace(v); } }\n{|SG0006:x.AddInPlace(1.0)|};")]
    [InlineData("foreach (var v in items) { Autograd.SetGradEnabled(false); x.AddInPlace(v); Autograd.SetGradEnabled(true); }\n{|SG0006:x.AddInPlace(1.0)|};")]
    [InlineData("foreach (var v in items) { using var s = Autograd.NoGrad(); x.AddInPlace(v); }\n{|SG0006:x.AddInPlace(1.0)|};")]
    [InlineData("foreach (var v in items) { if (v > 1) { continue; } using (Autograd.NoGrad()) { x.AddInPlace(v); } }\n{|SG0006:x.AddInPlace(1.0)|};")]
    [InlineData("System.Collections.Generic.IEnumerable<Tensor> ts = new[] { Tensor.Ones(new[] { 2 }) };\nforeach (var t in ts) { {|SG0006:x.AddInPlace(t)|}; }")]
    [InlineData("foreach (var (a, b) in new[] { (1.0, 2.0) }) { {|SG0006:x.AddInPlace(a)|}; }")]
    [InlineData("var sum = Tensor.Zeros(new[] { 2 });\nforeach (var v in items) { sum = (sum * x).Exp() * v; }\n{|SG0006:x.AddInPlace(1.0)|};")]
    [InlineData("var sum = Tensor.Zeros(new[] { 2 });\nfor (var i = 0; i < n; i++) { sum = (sum * x).Exp(); }\n{|SG0006:x.AddInPlace(1.0)|};")]
    [InlineData("var sum = Tensor.Zeros(new[] { 2 });\nforeach (var v in items) { sum = sum * x; }\n{|SG0006:x.AddInPlace(1.0)|};")]
    [InlineData("var sum = Tensor.Zeros(new[] { 2 });\nforeach (var v in items) { sum = x * v; }\n{|SG0006:x.AddInPlace(1.0)|};")]
    [InlineData("foreach (var v in items) { var y = x * v; }\n{|SG0006:x.AddInPlace(1.0)|};")]
    public Task Reported(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));

    [Theory]
    [InlineData("foreach (var v in items) { using (Autograd.NoGrad()) { x.AddInPlace(v); } }")]
    [InlineData("foreach (var v in items) { Autograd.SetGradEnabled(false); }\nx.AddInPlace(1.0);")]
    [InlineData("foreach (var v in items) { if (v > 1) { Autograd.SetGradEnabled(false); } }\nx.AddInPlace(1.0);")]
    [InlineData("var sum = Tensor.Zeros(new[] { 2 });\nforeach (var v in items) { sum = (sum * x).Exp(); x = Tensor.Zeros(new[] { 2 }); }\nx.AddInPlace(1.0);")]
    [InlineData("foreach (var t in Batches()) { x.AddInPlace(t); }\nstatic IEnumerable<Tensor> Batches() { Autograd.SetGradEnabled(false); yield return Tensor.Ones(new[] { 2 }); }")]
    public Task Not_reported_where_the_mode_may_be_off_or_the_tensor_changed(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));
}
