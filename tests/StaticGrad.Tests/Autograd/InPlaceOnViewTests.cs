namespace StaticGrad.Tests.Autograd;

using StaticGrad;

/// <summary>In-place operations on a view of a graph tensor are recorded on the base as PyTorch's CopySlices.</summary>
public class InPlaceOnViewTests
{
    private static Tensor T(double[] v, bool rg = false) => Tensor.FromArray(v, requiresGrad: rg);

    [Fact]
    public void MultiplyingARowOfANonLeafRoutesTheGradientThroughTheRegion()
    {
        var x = T([1, 2, 3], rg: true);
        var y = x * 2.0;
        y[0].MulInPlace(Tensor.Scalar(3.0));
        Assert.Equal(new[] { 6.0, 4, 6 }, y.ToArray());
        Assert.Equal("CopySlices", y.GradFn!.Name);
        Assert.Equal(1, y.Version);
        y.Sum().Backward();
        Assert.Equal(new[] { 6.0, 2, 2 }, x.Grad!.ToArray());
    }

    [Fact]
    public void AddingATensorThatRequiresGradIntoASlice()
    {
        var x = T([1, 2, 3], rg: true);
        var b = T([10, 20], rg: true);
        var y = x * 2.0;
        y.Slice(0, 1).AddInPlace(b);
        (y * y).Sum().Backward();
        Assert.Equal(new[] { 8.0, 56, 104 }, x.Grad!.ToArray());
        Assert.Equal(new[] { 28.0, 52 }, b.Grad!.ToArray());
    }

    [Fact]
    public void CopyIntoAConstantMakesItANonLeaf()
    {
        var a = Tensor.Zeros([3]);
        var b = T([2, 5], rg: true);
        a.Narrow(0, 1, 2).CopyFrom(b);
        Assert.False(a.IsLeaf);
        Assert.Equal("CopySlices", a.GradFn!.Name);
        (a * a).Sum().Backward();
        Assert.Equal(new[] { 4.0, 10 }, b.Grad!.ToArray());
    }

    [Fact]
    public void TheModifiedViewStaysInTheGraph()
    {
        var x = T([1, 2, 3], rg: true);
        var y = x * 2.0;
        var v = y[0];
        v.MulInPlace(Tensor.Scalar(2.0));
        Assert.Equal("AsStridedBackward0", v.GradFn!.Name);
        (v * 1.0).Backward();
        Assert.Equal(new[] { 4.0, 0, 0 }, x.Grad!.ToArray());
    }

    [Fact]
    public void ViewOfAViewOfAGraphTensorIsRefusedBeforeChangingData()
    {
        var x = T([1, 2, 3, 4], rg: true);
        var y = (x * 1.0).Reshape(2, 2);
        var ex = Assert.Throws<NotSupportedException>(() => y[0][1].MulInPlace(Tensor.Scalar(5.0)));
        Assert.Contains("direct view", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { 1.0, 2, 3, 4 }, y.ToArray());
    }

    [Fact]
    public void GradCheckThroughAnInPlaceChangeOfASlice()
    {
        var x = Tensor.Randn([4], seed: 7).SetRequiresGrad();
        var result = StaticGrad.GradCheck.Check(inputs =>
        {
            var y = inputs[0] * 1.5;
            y.Narrow(0, 1, 3).MulInPlace(inputs[0].Narrow(0, 0, 3).Sin());
            return (y * y).Sum();
        }, [x], raiseException: false);
        Assert.True(result.Passed, result.Report);
    }
}
