namespace StaticGrad.Tests.Ops;

using StaticGrad;

public class BroadcastingTests
{
    [Fact]
    public void BinaryOpsBroadcastLikeNumPy()
    {
        var a = Tensor.FromArray([1.0, 2, 3], [3, 1]);
        var b = Tensor.FromArray([10.0, 20], [2]);
        var c = a + b;
        Assert.Equal(new[] { 3, 2 }, c.Shape);
        Assert.Equal(new[] { 11.0, 21, 12, 22, 13, 23 }, c.ToArray());
        Assert.Equal(new[] { -9.0, -19, -8, -18, -7, -17 }, (a - b).ToArray());
        Assert.Equal(new[] { 10.0, 20, 20, 40, 30, 60 }, (a * b).ToArray());
        Assert.Equal(new[] { 10.0, 20, 5, 10, 10.0 / 3, 20.0 / 3 }, (b / a).ToArray());
    }

    [Fact]
    public void IncompatibleShapesRaise()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2]) + Tensor.Zeros([3]));
        Assert.Equal("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0", ex.Message);
    }

    [Fact]
    public void NonContiguousOperandsAreReadThroughTheirStrides()
    {
        var m = Tensor.Arange(0, 6).Reshape(2, 3);
        var t = m.T;
        Assert.False(t.IsContiguous);
        Assert.Equal(new[] { 0.0, 3, 1, 4, 2, 5 }, t.ToArray());
        Assert.Equal(new[] { 1.0, 4, 2, 5, 3, 6 }, (t + 1).ToArray());
        Assert.Equal(new[] { 0.0, 6, 2, 8, 4, 10 }, (t + t).ToArray());
        Assert.Equal(new[] { 0.0, 3, 2, 5, 4, 7 }, (t + Tensor.FromArray([0.0, 1, 2], [3, 1])).ToArray());
    }

    [Fact]
    public void BroadcastGradientsAreSummedBackToTheInputShape()
    {
        var bias = Tensor.FromArray([3.0], requiresGrad: true);
        var x = Tensor.FromArray([1.0, 2, 3, 4], [2, 2], requiresGrad: true);
        (x * bias).Sum().Backward();
        Assert.Equal(new[] { 10.0 }, bias.Grad!.ToArray());
        Assert.Equal(new[] { 1 }, bias.Grad!.Shape);
        Assert.Equal(new[] { 3.0, 3, 3, 3 }, x.Grad!.ToArray());
    }

    [Fact]
    public void ScalarOpsKeepTheTensorDType()
    {
        var f = Tensor.FromArray(new float[] { 1, 2 });
        Assert.Equal(DType.Float32, (f * 2.5).DType);
        var i = Tensor.FromArray(new long[] { 1, 2 });
        Assert.Equal(DType.Int64, (i * 2).DType);
        Assert.Equal(DType.Float64, (i * 2.5).DType);
        Assert.Equal(DType.Float64, (i / 2).DType);
        Assert.Equal(new[] { 0.5, 1 }, (i / 2).ToArray());
        Assert.Equal(DType.Float64, (f + Tensor.FromArray([1.0, 1.0])).DType);
    }

    [Fact]
    public void InPlaceBroadcastRequiresTheOutputShape()
    {
        var t = Tensor.Zeros([2, 2]);
        t.AddInPlace(Tensor.FromArray([1.0, 2]));
        Assert.Equal(new[] { 1.0, 2, 1, 2 }, t.ToArray());
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2]).AddInPlace(Tensor.Zeros([2, 2])));
        Assert.Equal("output with shape [2] doesn't match the broadcast shape [2, 2]", ex.Message);
    }
}
