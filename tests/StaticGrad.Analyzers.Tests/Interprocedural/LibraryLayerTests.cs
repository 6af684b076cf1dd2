using StaticGrad.Analyzers.Tests.TensorUsage;
using StaticGrad.Analyzers.Tests.TorchSharp;
using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.Interprocedural;

/// <summary>
/// <c>Forward</c> of the library's own layers: the output requires grad iff a parameter or an input does, in grad
/// mode. Parameters may be frozen elsewhere, so only what holds whatever they are is reported.
/// </summary>
public class LibraryLayerTests
{
    private const string StaticGradSetup = "var layer = new StaticGrad.Nn.Linear(3, 1);\nvar x = Tensor.Zeros(new[] { 2, 3 });\nvar w = Tensor.Ones(new[] { 2, 3 }, requiresGrad: true);\n";

    private const string TorchSharpSetup = "var layer = torch.nn.Linear(3, 1);\nvar x = torch.zeros(2, 3);\nvar w = torch.ones(new long[] { 2, 3 }, requires_grad: true);\n";

    [Theory]
    [InlineData("Tensor y;\nusing (Autograd.NoGrad()) { y = layer.Forward(x); }\n{|SG0002:y.Sum().Backward()|};")]
    [InlineData("var h = layer.Forward(w * 2.0);\n{|SG0001:h.RequiresGrad = false|};")]
    [InlineData("var loss = new StaticGrad.Nn.MseLoss().Forward(w * 2.0, x);\n{|SG0001:loss.RequiresGrad = false|};")]
    public Task StaticGrad_layer_outputs_are_known(string body) => Verify.VerifyAsync(Snippet.Method(StaticGradSetup + body));

    [Theory]
    [InlineData("var y = layer.Forward(x);\ny.Sum().Backward();")]
    [InlineData("Tensor y;\nusing (Autograd.NoGrad()) { y = layer.Forward(w); }\ny.Sum().Backward();")]
    [InlineData("var h = layer.Forward(w);\nh.RequiresGrad = false;")]
    [InlineData("var net = new StaticGrad.Nn.Sequential(layer);\nTensor y;\nusing (Autograd.NoGrad()) { y = net.Forward(x); }\ny.Sum().Backward();")]
    public Task StaticGrad_layer_outputs_stay_unknown_where_parameters_decide(string body) => Verify.VerifyAsync(Snippet.Method(StaticGradSetup + body));

    [Theory]
    [InlineData("Tensor y;\nusing (torch.no_grad()) { y = layer.forward(x); }\n{|SG0002:y.sum().backward()|};")]
    [InlineData("var h = layer.forward(w * 2.0);\n{|SG0001:h.requires_grad = false|};")]
    public Task TorchSharp_layer_outputs_are_known(string body) => Verify.VerifyTorchSharpAsync(TorchSharpSnippet.Method(TorchSharpSetup + body));

    [Theory]
    [InlineData("var y = layer.forward(x);\ny.sum().backward();")]
    [InlineData("var h = layer.forward(w);\nh.requires_grad = false;")]
    public Task TorchSharp_layer_outputs_stay_unknown_where_parameters_decide(string body) => Verify.VerifyTorchSharpAsync(TorchSharpSnippet.Method(TorchSharpSetup + body));
}
