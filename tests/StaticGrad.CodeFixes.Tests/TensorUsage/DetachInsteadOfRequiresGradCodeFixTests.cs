using StaticGrad.Analyzers.Tests.TensorUsage;
using StaticGrad.Analyzers.TensorUsage;
using StaticGrad.CodeFixes.TensorUsage;
using Verify = StaticGrad.CodeFixes.Tests.Verifiers.CodeFixVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer, StaticGrad.CodeFixes.TensorUsage.DetachInsteadOfRequiresGradCodeFix>;

namespace StaticGrad.CodeFixes.Tests.TensorUsage;

public class DetachInsteadOfRequiresGradCodeFixTests
{
    private const string Computed = "var x = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nvar y = x * 2.0;\n";

    [Theory]
    [InlineData("{|SG0001:y.RequiresGrad = true|};", "y = y.Detach().SetRequiresGrad();")]
    [InlineData("{|SG0001:y.RequiresGrad = false|};", "y = y.Detach();")]
    [InlineData("{|SG0001:y.RequiresGrad = flag|};", "y = y.Detach().SetRequiresGrad(flag);")]
    [InlineData("{|SG0001:y.SetRequiresGrad(false)|};", "y = y.Detach();")]
    [InlineData("var z = {|SG0001:y.SetRequiresGrad(false)|};", "var z = y.Detach();")]
    [InlineData("Helper({|SG0001:y.SetRequiresGrad(false)|});", "Helper(y.Detach());")]
    public Task Replaces_the_flag_change_with_detach(string source, string fixedSource) =>
        Verify.VerifyAsync(Snippet.Indented(Computed + source), Snippet.Indented(Computed + fixedSource));

    [Fact]
    public Task Keeps_the_surrounding_code_and_trivia() =>
        Verify.VerifyAsync(
            Snippet.Indented(Computed + "{|SG0001:y.RequiresGrad = true|}; // start a new leaf\n(y * y).Sum().Backward();"),
            Snippet.Indented(Computed + "y = y.Detach().SetRequiresGrad(); // start a new leaf\n(y * y).Sum().Backward();"));

    [Fact]
    public Task Fixes_every_occurrence_at_once() =>
        Verify.VerifyAsync(
            Snippet.Indented(Computed + "var w = x.Exp();\n{|SG0001:y.RequiresGrad = true|};\n{|SG0001:w.RequiresGrad = false|};"),
            Snippet.Indented(Computed + "var w = x.Exp();\ny = y.Detach().SetRequiresGrad();\nw = w.Detach();"));

    [Fact]
    public Task Offers_no_fix_when_the_receiver_cannot_be_reassigned() =>
        Verify.VerifyAsync(
            Snippet.Indented("var x = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\n{|SG0001:(x * 2.0).RequiresGrad = true|};"),
            Snippet.Indented("var x = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\n{|SG0001:(x * 2.0).RequiresGrad = true|};"));

    [Fact]
    public void Uses_the_batch_fixer_and_an_equivalence_key()
    {
        var fix = new DetachInsteadOfRequiresGradCodeFix();
        Assert.Same(Microsoft.CodeAnalysis.CodeFixes.WellKnownFixAllProviders.BatchFixer, fix.GetFixAllProvider());
        Assert.Equal(new TensorUsageAnalyzer().SupportedDiagnostics.Single(d => d.Id == "SG0001").Id, Assert.Single(fix.FixableDiagnosticIds));
    }
}
