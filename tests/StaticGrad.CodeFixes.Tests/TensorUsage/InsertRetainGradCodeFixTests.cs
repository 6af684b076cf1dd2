using StaticGrad.Analyzers.Tests.TensorUsage;
using Verify = StaticGrad.CodeFixes.Tests.Verifiers.CodeFixVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer, StaticGrad.CodeFixes.TensorUsage.InsertRetainGradCodeFix>;

namespace StaticGrad.CodeFixes.Tests.TensorUsage;

public class InsertRetainGradCodeFixTests
{
    private const string Leaf = "var x = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\n";

    [Fact]
    public Task Inserts_retain_grad_after_the_definition() =>
        Verify.VerifyAsync(
            Snippet.Indented(Leaf + "var y = x * 2.0;\ny.Sum().Backward();\nConsole.WriteLine({|SG0004:y.Grad|});"),
            Snippet.Indented(Leaf + "var y = x * 2.0;\ny.RetainGrad();\ny.Sum().Backward();\nConsole.WriteLine(y.Grad);"));

    [Fact]
    public Task Inserts_after_a_reassignment_with_its_indentation() =>
        Verify.VerifyAsync(
            Snippet.Indented(Leaf + "Tensor y = x;\nif (flag)\n{\n    y = x.Exp();\n    y.Sum().Backward();\n    var g = {|SG0004:y.Grad|};\n}"),
            Snippet.Indented(Leaf + "Tensor y = x;\nif (flag)\n{\n    y = x.Exp();\n    y.RetainGrad();\n    y.Sum().Backward();\n    var g = y.Grad;\n}"));

    [Fact]
    public Task Fixes_every_variable_at_once() =>
        Verify.VerifyAsync(
            Snippet.Indented(Leaf + "var a = x * 2.0;\nvar b = a.Tanh();\nb.Sum().Backward();\nvar ga = {|SG0004:a.Grad|};\nvar gb = {|SG0004:b.Grad|};"),
            Snippet.Indented(Leaf + "var a = x * 2.0;\na.RetainGrad();\nvar b = a.Tanh();\nb.RetainGrad();\nb.Sum().Backward();\nvar ga = a.Grad;\nvar gb = b.Grad;"));

    [Fact]
    public Task Offers_no_fix_when_the_definition_differs_between_paths() =>
        Verify.VerifyAsync(
            Snippet.Indented(Leaf + "var y = x * 2.0;\nif (flag) { y = x + 1.0; }\nvar g = {|SG0004:y.Grad|};"),
            Snippet.Indented(Leaf + "var y = x * 2.0;\nif (flag) { y = x + 1.0; }\nvar g = {|SG0004:y.Grad|};"));

    [Fact]
    public Task Offers_no_fix_for_an_expression() =>
        Verify.VerifyAsync(
            Snippet.Indented(Leaf + "var g = {|SG0004:(x * x).Grad|};"),
            Snippet.Indented(Leaf + "var g = {|SG0004:(x * x).Grad|};"));
}
