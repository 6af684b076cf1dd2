namespace StaticGrad.Tests.Kernels;

using StaticGrad;

/// <summary>The fused softmax backward reads a broadcast gradient (one row or one value repeated) in place, with the same bits as a materialised one.</summary>
public class SoftmaxBroadcastGradTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void BroadcastGradientGivesTheSameBitsAsItsCopy(bool log, bool scalar)
    {
        int[] shape = [6, 37];
        var w = scalar ? Tensor.FromArray([0.75]).View() : Tensor.Randn([37], seed: 5);
        var broadcast = (scalar ? w : w.Unsqueeze(0)).Expand(shape);
        Assert.False(broadcast.IsContiguous);
        double[] Grad(Tensor g)
        {
            var x = Tensor.Randn(shape, seed: 4).SetRequiresGrad();
            var y = log ? x.LogSoftmax(-1) : x.Softmax(-1);
            y.Backward(g);
            return x.Grad!.ToArray();
        }

        Assert.Equal(Grad(broadcast.Contiguous()), Grad(broadcast));
    }
}
