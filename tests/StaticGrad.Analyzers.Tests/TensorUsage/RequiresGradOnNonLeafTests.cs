using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

public class RequiresGradOnNonLeafTests
{
    private const string Leaf = "var x = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\n";

    [Theory]
    [InlineData("{|SG0001:y.RequiresGrad = true|};")]
    [InlineData("{|SG0001:y.RequiresGrad = false|};")]
    [InlineData("{|SG0001:y.SetRequiresGrad(false)|};")]
    [InlineData("{|SG0001:y.RequiresGrad = flag|};")]
    public Task Reported_on_the_result_of_an_operation(string change) =>
        Verify.VerifyAsync(Snippet.Method(Leaf + "var y = x * 2.0;\n" + change));

    [Fact]
    public Task Reported_with_the_message_of_PyTorch() =>
        Verify.VerifyAsync(
            Snippet.Method(Leaf + "var y = x.Exp();\ny.RequiresGrad = true;"),
            Verify.Diagnostic("SG0001").WithSpan(Snippet.FirstBodyLine + 2, 1, Snippet.FirstBodyLine + 2, 22).WithArguments("y", "you can only change requires_grad flags of leaf variables."));

    [Fact]
    public Task Reported_when_every_branch_computes_it() =>
        Verify.VerifyAsync(Snippet.Method(Leaf + """
            Tensor y;
            if (flag) { y = x * 2.0; } else { y = x.Exp() + x; }
            {|SG0001:y.RequiresGrad = false|};
            """));

    [Fact]
    public Task Reported_in_a_loop_and_through_an_alias() =>
        Verify.VerifyAsync(Snippet.Method(Leaf + """
            for (var i = 0; i < n; i++)
            {
                var y = x + i;
                var z = y;
                {|SG0001:z.RequiresGrad = true|};
            }
            """));

    [Fact]
    public Task Reported_after_a_no_grad_block_has_ended() =>
        Verify.VerifyAsync(Snippet.Method(Leaf + """
            using (Autograd.NoGrad())
            {
                x.AddInPlace(1.0);
            }
            var y = x.Sum();
            {|SG0001:y.RequiresGrad = true|};
            """));

    [Fact]
    public Task Reported_under_enable_grad_inside_no_grad() =>
        Verify.VerifyAsync(Snippet.Method(Leaf + """
            using (Autograd.NoGrad())
            {
                using (Autograd.EnableGrad())
                {
                    var y = x * x;
                    {|SG0001:y.RequiresGrad = false|};
                }
            }
            """));

    [Fact]
    public Task Reported_in_a_lambda_and_a_local_function() =>
        Verify.VerifyAsync(Snippet.Method("""
            Action a = () =>
            {
                var x = Tensor.Ones(new[] { 2 }, requiresGrad: true);
                var y = x.Tanh();
                {|SG0001:y.RequiresGrad = true|};
            };
            Local();
            void Local()
            {
                var w = Tensor.Zeros(new[] { 3 }, requiresGrad: true);
                var v = w * w;
                {|SG0001:v.SetRequiresGrad(false)|};
            }
            """));

    [Theory]
    [InlineData("var y = (x * 2.0).Detach();\ny.RequiresGrad = true;")]
    [InlineData("var y = (x * 2.0).Detach().SetRequiresGrad();")]
    [InlineData("var c = Tensor.FromArray(new[] { 1.0 });\nvar y = c * 2.0;\ny.RequiresGrad = true;")]
    [InlineData("var y = x * 2.0;\ny = Tensor.Zeros(new[] { 2 });\ny.RequiresGrad = true;")]
    [InlineData("x.RequiresGrad = false;\nvar y = x * 2.0;\ny.RequiresGrad = true;")]
    [InlineData("Tensor y;\nusing (Autograd.NoGrad()) { y = x * 2.0; }\ny.RequiresGrad = true;")]
    [InlineData("using var scope = Autograd.NoGrad();\nvar y = x * 2.0;\ny.RequiresGrad = true;")]
    [InlineData("using (Autograd.InferenceMode()) { var y = x * 2.0; y.RequiresGrad = false; }")]
    [InlineData("var y = x * 2.0;\ny.DetachInPlace();\ny.RequiresGrad = true;")]
    public Task Not_reported_on_leaves(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));

    [Theory]
    [InlineData("var y = flag ? x * 2.0 : Tensor.Zeros(new[] { 2 });\ny.RequiresGrad = true;")]
    [InlineData("Tensor y = Tensor.Zeros(new[] { 2 });\nif (flag) { y = x * 2.0; }\ny.RequiresGrad = true;")]
    [InlineData("var y = x * 2.0;\nHelper(y);\ny.RequiresGrad = true;")]
    [InlineData("Autograd.SetGradEnabled(flag);\nvar y = x * 2.0;\ny.RequiresGrad = true;")]
    [InlineData("var y = x * 2.0;\nAction a = () => y = Tensor.Zeros(new[] { 2 });\na();\ny.RequiresGrad = true;")]
    [InlineData("var list = new List<Tensor> { x * 2.0 };\nlist[0].RequiresGrad = true;")]
    [InlineData("var y = x * 2.0;\nfor (var i = 0; i < n; i++) { y = y.Detach(); }\ny.RequiresGrad = true;")]
    public Task Not_reported_when_a_path_disagrees_or_the_state_is_unknown(string body) => Verify.VerifyAsync(Snippet.Method(Leaf + body));

    [Fact]
    public Task Not_reported_on_a_parameter() =>
        Verify.VerifyAsync(Snippet.Method("t.RequiresGrad = true;\nt.SetRequiresGrad(false);", "Tensor t"));
}
