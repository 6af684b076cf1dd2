namespace StaticGrad.Tests.Kernels;

using StaticGrad;

public class MatMulKernelTests
{
    private static double[] Naive(double[] a, double[] b, int n, int k, int m)
    {
        var c = new double[n * m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    s += a[i * k + p] * b[p * m + j];
                }

                c[i * m + j] = s;
            }
        }

        return c;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(17, 1, 9)]
    [InlineData(9, 130, 1)]
    [InlineData(33, 129, 517)]
    [InlineData(2, 300, 600)]
    public void MatchesNaiveProductOnOddSizes(int n, int k, int m)
    {
        var g = new RandomGenerator(n * 1000 + k * 10 + m);
        var a = Tensor.Randn([n, k], g);
        var b = Tensor.Randn([k, m], g);
        var expected = Naive(a.ToArray(), b.ToArray(), n, k, m);
        var actual = a.Mm(b).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            // Blocking changes the summation order: allow a rounding-level difference relative to the sum size.
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * (k + 1) * 10, $"element {i}: {expected[i]} vs {actual[i]}");
        }
    }

    [Fact]
    public void Float32ProductMatchesDoubleReferenceWithinSinglePrecision()
    {
        var g = new RandomGenerator(5);
        var a = Tensor.Randn([13, 21], g, DType.Float32);
        var b = Tensor.Randn([21, 11], g, DType.Float32);
        var expected = Naive(a.ToArray(), b.ToArray(), 13, 21, 11);
        var actual = a.Mm(b);
        Assert.Equal(DType.Float32, actual.DType);
        var values = actual.ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - values[i]) <= 1e-4, $"element {i}");
        }
    }

    [Fact]
    public void TransposedAndBatchedOperandsMatchPerBatchProducts()
    {
        var g = new RandomGenerator(11);
        var a = Tensor.Randn([2, 3, 5, 4], g);
        var b = Tensor.Randn([3, 4, 6], g);
        var c = a.MatMul(b);
        Assert.Equal(new[] { 2, 3, 5, 6 }, c.Shape);
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                var expected = Naive(a[i, j].ToArray(), b[j].ToArray(), 5, 4, 6);
                var actual = c[i, j].ToArray();
                for (int e = 0; e < expected.Length; e++)
                {
                    Assert.Equal(expected[e], actual[e], 10);
                }
            }
        }

        var t = Tensor.Randn([4, 3], g);
        var u = Tensor.Randn([4, 2], g);
        var tt = t.T.Mm(u).ToArray();
        var reference = Naive(t.T.Contiguous().ToArray(), u.ToArray(), 3, 4, 2);
        for (int e = 0; e < reference.Length; e++)
        {
            Assert.Equal(reference[e], tt[e], 12);
        }
    }

    [Fact]
    public void ShapeErrorsUsePyTorchsMessages()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 3]).Mm(Tensor.Zeros([2, 3])));
        Assert.Equal("mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)", ex.Message);
    }
}
