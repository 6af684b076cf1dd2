namespace StaticGrad.Tests.Tensors;

using StaticGrad;

public class TensorTests
{
    [Fact]
    public void FactoriesBuildShapesAndValues()
    {
        Assert.Equal(new[] { 0.0, 0, 0, 0 }, Tensor.Zeros([2, 2]).ToArray());
        Assert.Equal(new[] { 7.0, 7 }, Tensor.Full([2], 7).ToArray());
        Assert.Equal(new long[] { 0, 1, 2 }, Tensor.Arange(3).ToArray<long>());
        Assert.Equal(new[] { 1.0, 1.5, 2, 2.5 }, Tensor.Arange(1, 3, 0.5).ToArray());
        Assert.Equal(new[] { 1, 3 }, Tensor.OnesLike(Tensor.Zeros([1, 3])).Shape);
        Assert.Equal(0, Tensor.Scalar(2.0).Dim);
        Assert.Equal(2.0, Tensor.Scalar(2.0).Item());
        Assert.Equal(DType.Float32, Tensor.Scalar(2.0, DType.Float32).DType);
        var ex = Assert.Throws<ArgumentException>(() => Tensor.FromArray([1.0, 2, 3], [2, 2]));
        Assert.StartsWith("shape '[2, 2]' is invalid for input of size 3", ex.Message);
    }

    [Fact]
    public void IntegerCollectionLiteralsMakeInt64TensorsLikePyTorch()
    {
        Assert.Equal(DType.Int64, Tensor.FromArray([1, 2]).DType);
        Assert.Equal(DType.Float64, Tensor.FromArray([1.0, 2]).DType);
    }

    [Fact]
    public void FromArrayCopiesItsInput()
    {
        var data = new[] { 1.0, 2 };
        var t = Tensor.FromArray(data);
        data[0] = 5;
        Assert.Equal(1.0, t.At(0));
    }

    [Fact]
    public void SeededRandomIsDeterministic()
    {
        var a = Tensor.Randn([5], seed: 42).ToArray();
        var b = Tensor.Randn([5], seed: 42).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, Tensor.Randn([5], seed: 43).ToArray());
        var u = Tensor.Rand([1000], seed: 1).ToArray();
        Assert.All(u, v => Assert.InRange(v, 0.0, 1.0));
        var n = Tensor.Randn([4000], seed: 2);
        Assert.InRange(n.Mean().Item(), -0.1, 0.1);
        var g1 = new RandomGenerator(9);
        var g2 = new RandomGenerator(9);
        Assert.Equal(Tensor.Rand([3], g1).ToArray(), Tensor.Rand([3], g2).ToArray());
    }

    [Fact]
    public void ViewsShareStorageAndVersion()
    {
        var t = Tensor.Arange(0, 6).Reshape(2, 3);
        var row = t[1];
        Assert.True(row.IsView);
        Assert.Equal(new[] { 3.0, 4, 5 }, row.ToArray());
        row.FillInPlace(9);
        Assert.Equal(new[] { 0.0, 1, 2, 9, 9, 9 }, t.ToArray());
        Assert.Equal(1, t.Version);
        var col = t.Select(1, 2);
        Assert.Equal(new[] { 2.0, 9 }, col.ToArray());
        Assert.Equal(9.0, t.At(1, -1));
        var narrow = t.Narrow(1, 1, 2);
        Assert.Equal(new[] { 2, 2 }, narrow.Shape);
        Assert.Equal(new[] { 1.0, 2, 9, 9 }, narrow.ToArray());
        t[0, 0] = Tensor.Scalar(-1.0);
        Assert.Equal(-1.0, t.At(0, 0));
        Assert.Throws<ArgumentException>(() => t.T.View(6));
        Assert.Equal(new[] { -1.0, 9, 1, 9, 2, 9 }, t.T.Reshape(6).ToArray());
    }

    [Fact]
    public void ItemRequiresOneElement()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros([2]).Item());
        Assert.Equal("a Tensor with 2 elements cannot be converted to Scalar", ex.Message);
        Assert.Equal(3.0, Tensor.Full([1, 1], 3).Item());
    }

    [Fact]
    public void ToStringFollowsPyTorch()
    {
        Assert.Equal("tensor([1., 2.], dtype=torch.float64, requires_grad=True)", Tensor.FromArray([1.0, 2], requiresGrad: true).ToString());
        var x = Tensor.FromArray(new float[] { 1, 2 }, requiresGrad: true);
        Assert.Equal("tensor([2., 4.], grad_fn=<MulBackward0>)", (x * 2).ToString());
        Assert.Equal("tensor([ 0.4000, -1.6000,  2.5000], dtype=torch.float64)", Tensor.FromArray([0.4, -1.6, 2.5]).ToString());
        Assert.Equal("tensor([[1, 2],\n        [3, 4]])", Tensor.FromArray(new long[] { 1, 2, 3, 4 }, [2, 2]).ToString());
        Assert.Equal("tensor([ True, False], dtype=torch.bool)", Tensor.FromArray(new[] { true, false }).ToString());
        Assert.Equal("tensor(3., dtype=torch.float64)", Tensor.Scalar(3).ToString());
        Assert.Equal("<MulBackward0 object>", (x * 2).GradFn!.ToString());
    }
}
