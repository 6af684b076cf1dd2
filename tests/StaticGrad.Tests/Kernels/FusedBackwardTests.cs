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

    [Fact]
    public void CrossEntropyFromClassIndicesPicksWithoutAOneHotMatrix()
    {
        var logits = Tensor.FromArray([1.0, double.NegativeInfinity, 3.0, 0.5, 2.0, -1.0], [2, 3], requiresGrad: true);
        var target = Tensor.FromArray([2L, 0L]);
        var loss = new StaticGrad.Nn.CrossEntropyLoss().Forward(logits, target);

        // A masked-out class (−∞ logit) must not turn the loss into NaN, as −∞·0 in a one-hot product would.
        double row0 = -(3.0 - Math.Log(Math.Exp(1.0) + Math.Exp(3.0)));
        double row1 = -(0.5 - Math.Log(Math.Exp(0.5) + Math.Exp(2.0) + Math.Exp(-1.0)));
        Assert.Equal((row0 + row1) / 2, loss.Item(), 14);
        loss.Backward();
        var probabilities = logits.Detach().Softmax(1).ToArray();
        double[] expected = [probabilities[0] / 2, 0, (probabilities[2] - 1) / 2, (probabilities[3] - 1) / 2, probabilities[4] / 2, probabilities[5] / 2];
        var grad = logits.Grad!.ToArray();
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(expected[i], grad[i], 14);
        }
    }

    [Fact]
    public void CrossEntropySecondDerivativeMatchesTheOneHotFormulation()
    {
        var target = Tensor.FromArray([1L, 3L, 0L]);
        var oneHot = Tensor.Zeros([3, 4]);
        oneHot[0, 1].FillInPlace(1.0);
        oneHot[1, 3].FillInPlace(1.0);
        oneHot[2, 0].FillInPlace(1.0);
        double[] SecondOrder(Func<Tensor, Tensor> loss)
        {
            var logits = Tensor.Randn([3, 4], seed: 8).SetRequiresGrad();
            var g = StaticGrad.Autograd.Grad(loss(logits), [logits], createGraph: true)[0]!;
            Assert.True(g.RequiresGrad);
            (g * g).Sum().Backward();
            return logits.Grad!.ToArray();
        }

        var picked = SecondOrder(x => new StaticGrad.Nn.CrossEntropyLoss().Forward(x, target));
        var composite = SecondOrder(x => (x.LogSoftmax(1) * oneHot).Sum(1).Neg().Mean());
        for (int i = 0; i < picked.Length; i++)
        {
            Assert.Equal(composite[i], picked[i], 14);
        }
    }
}
