using static StaticGrad.Generator.Tests.TensorMethods.TensorCorpusAssembly;

namespace StaticGrad.Generator.Tests.TensorMethods;

/// <summary>
/// Every operation the Tensor body language supports, through the generated <c>{Name}Backward</c>, against the
/// runtime tape: the same method called on tensors that require grad, then <c>(y * seed).Sum().Backward()</c>.
/// Values and gradients agree to 1e-10 relative (float64; the formulas are the same, only evaluation order differs).
/// </summary>
public sealed class TensorOpTests
{
    private const double Tolerance = 1e-10;

    public static TheoryData<string> Cases => new(TensorCorpus.Cases.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Static_backward_equals_the_runtime_tape(string name)
    {
        var inputs = Inputs(name, seed: 11);
        var method = Method(name);
        var differentiable = method.GetParameters().Where(p => p.ParameterType == typeof(Tensor)).Select(IsDifferentiable).ToArray();

        // The tape: leaves that require grad where the parameter is differentiable.
        var leaves = inputs.Select((t, i) => differentiable[i] ? t.Detach().SetRequiresGrad() : t.Detach()).ToArray();
        var tapeValue = Call(name, leaves);
        var seed = Tensor.Randn(tapeValue.Shape, 99);
        (tapeValue * seed).Sum().Backward();

        var (value, gradients) = Backward(name, inputs, seed);

        AssertClose(tapeValue.Detach(), value, Tolerance, name + " value");
        Assert.False(value.RequiresGrad);
        var g = 0;
        for (var i = 0; i < leaves.Length; i++)
        {
            if (!differentiable[i])
            {
                continue;
            }

            var expected = leaves[i].Grad ?? Tensor.ZerosLike(leaves[i]);
            var actual = gradients[g++] ?? Tensor.ZerosLike(leaves[i]);
            AssertClose(expected, actual, Tolerance, name + " gradient of input " + i);
            Assert.False(actual.RequiresGrad);
        }
    }

    [Fact]
    public void Float32_inputs_give_float32_values_and_gradients_equal_to_the_tape()
    {
        var inputs = Inputs("MlpCrossEntropy", seed: 17).Select(t => t.Float()).ToArray();
        var leaves = inputs.Select((t, i) => i < 5 ? t.Detach().SetRequiresGrad() : t.Detach()).ToArray();
        var tapeValue = Call("MlpCrossEntropy", leaves);
        tapeValue.Backward();

        var (value, gradients) = Backward("MlpCrossEntropy", inputs, seed: null);

        // float32 arithmetic: both sides round the same operations, in a different order in places.
        Assert.Equal(DType.Float32, value.DType);
        AssertClose(tapeValue.Detach().Double(), value.Double(), 1e-5, "float32 value");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(DType.Float32, gradients[i]!.DType);
            AssertClose(leaves[i].Grad!.Double(), gradients[i]!.Double(), 1e-5, "float32 gradient " + i);
        }
    }

    [Fact]
    public void Adjoints_accumulate_into_non_null_adjoints_without_writing_them()
    {
        var inputs = Inputs("MlpMse", seed: 5);
        var (_, once) = Backward("MlpMse", inputs, seed: null);
        var initial = once.Select(g => g!.Clone()).ToArray();
        var (_, twice) = Backward("MlpMse", inputs, seed: null, initial);
        for (var i = 0; i < once.Length; i++)
        {
            AssertClose(once[i]! * 2.0, twice[i]!, Tolerance, "accumulated adjoint " + i);
            AssertClose(once[i]!, initial[i]!, 0, "the initial adjoint " + i + " is not written");
        }
    }

    [Fact]
    public void The_seed_defaults_to_ones_and_scales_the_gradient()
    {
        var inputs = Inputs("Tanh", seed: 3);
        var (_, unseeded) = Backward("Tanh", inputs, seed: null);
        var (_, seeded) = Backward("Tanh", inputs, seed: Tensor.Full(inputs[0].Shape, 3.0));
        AssertClose(unseeded[0]! * 3.0, seeded[0]!, Tolerance, "seeded gradient");
        AssertClose(Tensor.OnesLike(inputs[0]) - inputs[0].Tanh().Square(), unseeded[0]!, Tolerance, "d tanh");
    }

    [Fact]
    public void The_backward_records_nothing_even_on_inputs_that_require_grad()
    {
        var inputs = Inputs("MlpMse", seed: 8).Select(t => t.SetRequiresGrad()).ToArray();
        var (value, gradients) = Backward("MlpMse", inputs, seed: null);
        Assert.Null(value.GradFn);
        Assert.All(gradients, g => Assert.Null(g!.GradFn));
        Assert.All(inputs, t => Assert.Null(t.Grad));
    }

    [Fact]
    public void A_broadcast_gradient_is_never_a_broadcast_view()
    {
        var inputs = Inputs("Sum", seed: 2);
        var (_, gradients) = Backward("Sum", inputs, seed: null);
        Assert.True(gradients[0]!.IsContiguous);
        gradients[0]!.MulInPlace(2.0);
        AssertClose(Tensor.Full(inputs[0].Shape, 2.0), gradients[0]!, 0, "written gradient");
    }
}
