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
    public void ViewOfAViewOfAViewOfANonLeafIsRecordedOnTheRoot()
    {
        var x = T([1, 2, 3, 4], rg: true);
        var t = x * 1.0;
        var y = t.Reshape(2, 2);
        var element = y[0][1];
        element.MulInPlace(Tensor.Scalar(5.0));
        Assert.Equal(new[] { 1.0, 10, 3, 4 }, t.ToArray());
        Assert.Equal("CopySlices", t.GradFn!.Name);
        Assert.Equal("AsStridedBackward0", element.GradFn!.Name);
        (y * y).Sum().Backward();
        Assert.Equal(new[] { 2.0, 100, 6, 8 }, x.Grad!.ToArray());
    }

    [Fact]
    public void RepeatedChangesThroughNestedViewsCompose()
    {
        var x = Tensor.Randn([4, 6], seed: 3).SetRequiresGrad();
        var c = Tensor.Randn([4, 6], seed: 4);
        var y = x * 2.0;
        var rows = y.Narrow(0, 1, 2);
        rows.Narrow(1, 2, 3).MulInPlace(Tensor.Scalar(3.0));
        rows.Select(1, 0).AddInPlace(x.Select(1, 5).Narrow(0, 0, 2));
        (y * c).Sum().Backward();
        var expected = new double[24];
        var cv = c.ToArray();
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                bool scaled = i is 1 or 2 && j is >= 2 and <= 4;
                expected[i * 6 + j] += 2 * cv[i * 6 + j] * (scaled ? 3 : 1);
            }
        }

        // The added column x[0..2, 5] lands in y[1..3, 0].
        expected[0 * 6 + 5] += cv[1 * 6 + 0];
        expected[1 * 6 + 5] += cv[2 * 6 + 0];
        var actual = x.Grad!.ToArray();
        for (int e = 0; e < 24; e++)
        {
            Assert.Equal(expected[e], actual[e], 12);
        }
    }

    [Fact]
    public void SavedTensorChangedThroughAViewOfItNamesCopySlices()
    {
        var x = T([1, 2, 3, 4], rg: true);
        var y = x * 2.0;
        var z = y * y;
        y.Narrow(0, 1, 2).AddInPlace(Tensor.Scalar(1.0));
        var ex = Assert.Throws<InvalidOperationException>(() => z.Sum().Backward());
        Assert.StartsWith(
            "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.DoubleTensor [4]], which is output 0 of CopySlices, is at version 1; expected version 0 instead.",
            ex.Message,
            StringComparison.Ordinal);
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
