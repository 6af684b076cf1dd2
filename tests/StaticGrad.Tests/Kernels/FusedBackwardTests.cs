namespace StaticGrad.Tests.Kernels;

using StaticGrad;

/// <summary>
/// The fused backward kernels give bit-identical gradients to the composite (differentiable) form, which still runs
/// when the backward itself is recorded (<c>createGraph: true</c>).
/// </summary>
public class FusedBackwardTests
{
    public static TheoryData<string, DType> Cases()
    {
        var data = new TheoryData<string, DType>();
        foreach (var name in new[] { "relu", "tanh", "sigmoid", "softmax", "log_softmax", "softmax_dim0" })
        {
            data.Add(name, DType.Float64);
            data.Add(name, DType.Float32);
        }

        return data;
    }

    private static Tensor Apply(string name, Tensor x) => name switch
    {
        "relu" => x.Relu(),
        "tanh" => x.Tanh(),
        "sigmoid" => x.Sigmoid(),
        "softmax" => x.Softmax(-1),
        "log_softmax" => x.LogSoftmax(1),
        _ => x.Softmax(0),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FusedGradientEqualsTheCompositeBitForBit(string name, DType dtype)
    {
        var x = (Tensor.Randn([7, 37], seed: 5) * 3.0).ToDType(dtype).SetRequiresGrad();
        var weight = Tensor.Randn([7, 37], seed: 6).ToDType(dtype);
        (Apply(name, x) * weight).Sum().Backward();
        var fused = x.Grad!.ToArray();

        var composite = StaticGrad.Autograd.Grad((Apply(name, x) * weight).Sum(), [x], createGraph: true)[0]!;
        // ReLU's gradient does not depend on x (it is only masked by it), so only the others record a graph.
        Assert.Equal(name != "relu", composite.GradFn is not null);
        Assert.Equal(composite.ToArray(), fused);
    }

    [Fact]
    public void ReluGradientIsZeroWhereTheOutputIsNotPositive()
    {
        var x = Tensor.FromArray([-1.0, 0.0, 2.0, -0.0, 3.0], requiresGrad: true);
        x.Relu().Backward(Tensor.FromArray([5.0, 6.0, 7.0, -8.0, double.NaN]));
        Assert.Equal(new[] { 0.0, 0.0, 7.0, 0.0, double.NaN }, x.Grad!.ToArray());
    }
}
