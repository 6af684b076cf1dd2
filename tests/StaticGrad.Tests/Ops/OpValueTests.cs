namespace StaticGrad.Tests.Ops;

using StaticGrad;

public class OpValueTests
{
    private const int Precision = 12;

    [Fact]
    public void ReductionsAlongDimensions()
    {
        var x = Tensor.FromArray([1.0, 5, 3, 4, 2, 6], [2, 3]);
        Assert.Equal(21.0, x.Sum().Item());
        Assert.Equal(new[] { 5.0, 7, 9 }, x.Sum(0).ToArray());
        Assert.Equal(new[] { 9.0, 12 }, x.Sum(1).ToArray());
        Assert.Equal(new[] { 2, 1 }, x.Sum(-1, keepDim: true).Shape);
        Assert.Equal(3.5, x.Mean().Item());
        Assert.Equal(new[] { 2.5, 3.5, 4.5 }, x.Mean(0).ToArray());
        Assert.Equal(6.0, x.Max().Item());
        Assert.Equal(1.0, x.Min().Item());
        var (values, indices) = x.Max(1);
        Assert.Equal(new[] { 5.0, 6 }, values.ToArray());
        Assert.Equal(new long[] { 1, 2 }, indices.ToArray<long>());
        Assert.Equal(5.0, x.ArgMax().Item());
        Assert.Equal(new long[] { 0, 1 }, x.ArgMin(1).ToArray<long>());
        Assert.Equal(new long[] { 1, 0, 1 }, x.ArgMax(0).ToArray<long>());
    }

    [Fact]
    public void MaxGradientIsSharedAmongTies()
    {
        var x = Tensor.FromArray([1.0, 3, 3], requiresGrad: true);
        x.Max().Backward();
        Assert.Equal(new[] { 0.0, 0.5, 0.5 }, x.Grad!.ToArray());
        var y = Tensor.FromArray([1.0, 3, 3, 0], [2, 2], requiresGrad: true);
        y.Max(1).Values.Sum().Backward();
        Assert.Equal(new[] { 0.0, 1, 1, 0 }, y.Grad!.ToArray());
    }

    [Fact]
    public void SoftmaxIsStableAndNormalized()
    {
        var x = Tensor.FromArray([1000.0, 1001, 1002, -5, 0, 5], [2, 3]);
        var s = x.Softmax(1).ToArray();
        double e1 = Math.Exp(-1), e2 = Math.Exp(-2);
        double z = 1 + e1 + e2;
        Assert.Equal(e2 / z, s[0], Precision);
        Assert.Equal(1 / z, s[2], Precision);
        Assert.Equal(1.0, s[3] + s[4] + s[5], Precision);
        var ls = x.LogSoftmax(1).ToArray();
        Assert.Equal(-Math.Log(z), ls[2], Precision);
        var col = x.Softmax(0).ToArray();
        Assert.Equal(1.0, col[0] + col[3], Precision);
    }

    [Fact]
    public void ElementwiseFunctionsMatchMath()
    {
        var v = new[] { 0.3, -1.2, 2.5 };
        var x = Tensor.FromArray(v);
        var cases = new (Func<Tensor, Tensor> Op, Func<double, double> Reference)[]
        {
            (t => t.Exp(), Math.Exp), (t => t.Abs(), Math.Abs), (t => t.Sin(), Math.Sin), (t => t.Cos(), Math.Cos),
            (t => t.Tanh(), Math.Tanh), (t => t.Sigmoid(), d => 1 / (1 + Math.Exp(-d))), (t => t.Relu(), d => Math.Max(d, 0)),
            (t => -t, d => -d), (t => t.Pow(2.0), d => d * d), (t => t.Clamp(-1, 1), d => Math.Clamp(d, -1, 1)),
            (t => t.Abs().Sqrt(), d => Math.Sqrt(Math.Abs(d))), (t => t.Abs().Log(), d => Math.Log(Math.Abs(d))),
        };
        foreach (var (op, reference) in cases)
        {
            var actual = op(x).ToArray();
            for (int i = 0; i < v.Length; i++)
            {
                Assert.Equal(reference(v[i]), actual[i], Precision);
            }
        }
    }

    [Fact]
    public void WhereAndComparisons()
    {
        var a = Tensor.FromArray([1.0, -2, 3]);
        var b = Tensor.FromArray([0.0, 0, 5]);
        Assert.Equal(new[] { true, false, false }, a.Gt(b).ToArray<bool>());
        Assert.Equal(new[] { false, true, true }, a.Lt(b).ToArray<bool>());
        Assert.Equal(new[] { true, false, false }, a.Ge(b).ToArray<bool>());
        Assert.Equal(new[] { false, true, true }, a.Le(b).ToArray<bool>());
        Assert.Equal(new[] { false, false, true }, a.Eq(3.0).ToArray<bool>());
        Assert.Equal(new[] { 1.0, 0, 3 }, Tensor.Where(a.Gt(0.0), a, b).ToArray());
        Assert.Equal(new[] { 1.0, 0, 5 }, Tensor.Maximum(a, b).ToArray());
        Assert.Equal(new[] { 0.0, -2, 3 }, Tensor.Minimum(a, b).ToArray());
    }

    [Fact]
    public void ToDTypeConvertsAndKeepsGraphBetweenFloats()
    {
        var x = Tensor.FromArray([1.5, -2.7], requiresGrad: true);
        var f = x.Float();
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal("ToCopyBackward0", f.GradFn!.Name);
        (f * 2).Sum().Backward();
        Assert.Equal(DType.Float64, x.Grad!.DType);
        Assert.Equal(new[] { 2.0, 2 }, x.Grad!.ToArray());
        Assert.Equal(new long[] { 1, -2 }, x.Long().ToArray<long>());
        Assert.Same(x, x.Double());
    }
}
