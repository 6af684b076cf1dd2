namespace StaticGrad.Tests.Kernels;

using StaticGrad;

/// <summary>
/// The packed GEMM against a reference that sums in the kernel's documented order: within each depth block of 256
/// a chain of fused multiply-adds from zero, then the block's sum added to C. With that order the results must be
/// bit-identical, which catches a wrong element, a wrong stride or a packing slip that a tolerance would hide.
/// </summary>
public class GemmTests
{
    private const int DepthBlock = 256;

    private static double[] Reference(Tensor a, Tensor b, double[]? initial = null)
    {
        int n = a.Size(0), k = a.Size(1), m = b.Size(1);
        var av = a.Contiguous().ToArray();
        var bv = b.Contiguous().ToArray();
        var c = initial is null ? new double[n * m] : (double[])initial.Clone();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                for (int p0 = 0; p0 < k; p0 += DepthBlock)
                {
                    double acc = 0;
                    for (int p = p0; p < Math.Min(k, p0 + DepthBlock); p++)
                    {
                        acc = Math.FusedMultiplyAdd(av[i * k + p], bv[p * m + j], acc);
                    }

                    c[i * m + j] += acc;
                }
            }
        }

        return c;
    }

    private static void AssertSame(double[] expected, double[] actual, int k)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (Gemm.IsSupported)
            {
                Assert.True(expected[i] == actual[i], $"element {i}: {expected[i]:R} vs {actual[i]:R}");
            }
            else
            {
                // The portable kernel sums in another order: a rounding-level difference relative to the depth.
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * (k + 1), $"element {i}: {expected[i]} vs {actual[i]}");
            }
        }
    }

    [Theory]
    [InlineData(1, 1, 1, false, false)]
    [InlineData(7, 3, 5, false, false)]
    [InlineData(9, 17, 33, true, false)]
    [InlineData(13, 300, 19, false, true)]
    [InlineData(25, 513, 31, true, true)]
    [InlineData(2, 5, 70, true, true)]
    [InlineData(100, 40, 1, false, true)]
    public void OddShapesAndTransposedViewsAreExact(int n, int k, int m, bool transposeA, bool transposeB)
    {
        var g = new RandomGenerator(n * 7919 + k * 31 + m);
        var a = transposeA ? Tensor.Randn([k, n], g).T : Tensor.Randn([n, k], g);
        var b = transposeB ? Tensor.Randn([m, k], g).T : Tensor.Randn([k, m], g);
        Assert.Equal(!transposeA || n == 1 || k == 1, a.IsContiguous);
        AssertSame(Reference(a, b), a.Mm(b).ToArray(), k);
    }

    [Fact]
    public void StridedSliceOperandIsReadInPlace()
    {
        var g = new RandomGenerator(3);
        var big = Tensor.Randn([20, 30], g);
        var a = big.Narrow(0, 3, 11).Narrow(1, 2, 17);
        var b = Tensor.Randn([40, 17], g).Narrow(0, 5, 9).T;
        Assert.False(a.IsContiguous);
        AssertSame(Reference(a, b), a.Mm(b).ToArray(), 17);
    }

    [Fact]
    public void BatchedProductWithBroadcastBatchIsExactPerBatch()
    {
        var g = new RandomGenerator(17);
        var a = Tensor.Randn([3, 1, 9, 11], g);
        var b = Tensor.Randn([4, 13, 11], g).Transpose(-1, -2);
        var c = a.MatMul(b);
        Assert.Equal(new[] { 3, 4, 9, 13 }, c.Shape);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                AssertSame(Reference(a[i, 0], b[j]), c[i, j].ToArray(), 11);
            }
        }
    }

    [Fact]
    public void AddmmAccumulatesIntoTheBroadcastBias()
    {
        var g = new RandomGenerator(29);
        var x = Tensor.Randn([10, 300], g);
        var w = Tensor.Randn([7, 300], g);
        var bias = Tensor.Randn([7], g);
        var initial = new double[70];
        for (int i = 0; i < 70; i++)
        {
            initial[i] = bias[i % 7].Item();
        }

        AssertSame(Reference(x, w.T, initial), Tensor.Addmm(bias, x, w.T).ToArray(), 300);
    }

    [Fact]
    public void Float32ProductIsExactInSinglePrecisionOrder()
    {
        var g = new RandomGenerator(41);
        var a = Tensor.Randn([19, 37], g, DType.Float32);
        var b = Tensor.Randn([23, 37], g, DType.Float32).T;
        var actual = a.Mm(b).ToArray<float>();
        var av = a.Contiguous().ToArray<float>();
        var bv = b.Contiguous().ToArray<float>();
        for (int i = 0; i < 19; i++)
        {
            for (int j = 0; j < 23; j++)
            {
                float acc = 0;
                for (int p = 0; p < 37; p++)
                {
                    acc = MathF.FusedMultiplyAdd(av[i * 37 + p], bv[p * 23 + j], acc);
                }

                if (Gemm.IsSupported)
                {
                    Assert.Equal(acc, actual[i * 23 + j]);
                }
                else
                {
                    Assert.True(Math.Abs(acc - actual[i * 23 + j]) <= 1e-4f);
                }
            }
        }
    }

    [Fact]
    public void ResultDoesNotDependOnTheThreadCount()
    {
        var g = new RandomGenerator(53);
        var a = Tensor.Randn([300, 280], g);
        var b = Tensor.Randn([280, 130], g);
        int saved = Autograd.NumThreads;
        try
        {
            Autograd.NumThreads = 1;
            var one = a.Mm(b).ToArray();
            Autograd.NumThreads = 4;
            var four = a.Mm(b).ToArray();
            Assert.Equal(one, four);
        }
        finally
        {
            Autograd.NumThreads = saved;
        }
    }

    [Fact]
    public void NumThreadsRejectsLessThanOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Autograd.NumThreads = 0);
    }
}
