namespace StaticGrad.Tests.Kernels;

using StaticGrad;

/// <summary>
/// Max/min, sum and softmax along every dimension (last and not last): the vectorised kernels against a scalar
/// reference written from PyTorch's definitions, and bit-identical results whatever the thread count.
/// </summary>
public class DimReductionKernelTests
{
    private static readonly int[] Shape = [5, 37, 19];

    /// <summary>Values with many ties (±0 included) and, when asked, NaNs: 37 and 19 are not multiples of any vector width.</summary>
    private static double[] Values(int seed, bool nans)
    {
        var rng = new Random(seed);
        double[] pool = [-2.0, -1.0, -0.0, 0.0, 1.0, 2.0, 0.5];
        var v = new double[5 * 37 * 19];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = nans && rng.Next(40) == 0 ? double.NaN : pool[rng.Next(pool.Length)];
        }

        return v;
    }

    private static Tensor Make(double[] v, DType dtype) => dtype switch
    {
        DType.Float32 => Tensor.FromArray(v.Select(a => (float)a).ToArray(), Shape),
        DType.Int64 => Tensor.FromArray(v.Select(a => (long)a).ToArray(), Shape),
        _ => Tensor.FromArray(v, Shape),
    };

    /// <summary>PyTorch's max/min along a dim: the first NaN, else the first strictly larger (smaller) element.</summary>
    private static (double[] Values, long[] Indices) Reference(double[] x, int dim, bool max)
    {
        var (outer, n, inner) = ReductionKernels.Split(Shape, dim);
        var values = new double[outer * inner];
        var indices = new long[outer * inner];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int at = (o * n * inner) + i;
                double best = x[at];
                int bestK = 0;
                for (int k = 1; k < n && !double.IsNaN(best); k++)
                {
                    double v = x[at + (k * inner)];
                    if (double.IsNaN(v) || (max ? v > best : v < best))
                    {
                        (best, bestK) = (v, k);
                    }
                }

                values[(o * inner) + i] = best;
                indices[(o * inner) + i] = bestK;
            }
        }

        return (values, indices);
    }

    [Theory]
    [InlineData(DType.Float64, true)]
    [InlineData(DType.Float64, false)]
    [InlineData(DType.Float32, true)]
    [InlineData(DType.Float32, false)]
    [InlineData(DType.Int64, false)]
    public void MaxAndMinAlongEveryDimAreTheFirstExtremeOrTheFirstNaN(DType dtype, bool nans)
    {
        var raw = Values(dtype.GetHashCode() + (nans ? 100 : 0), nans);
        var x = Make(raw, dtype);
        var exact = x.ToDType(DType.Float64).ToArray();
        foreach (bool max in new[] { true, false })
        {
            for (int dim = 0; dim < 3; dim++)
            {
                var (values, indices) = max ? x.Max(dim) : x.Min(dim);
                var (expected, expectedIndices) = Reference(exact, dim, max);
                Assert.Equal(expectedIndices, indices.ToArray<long>());

                // Bitwise, so that −0 and +0 are told apart.
                Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), values.ToDType(DType.Float64).ToArray().Select(BitConverter.DoubleToInt64Bits));
            }
        }
    }

    [Theory]
    [InlineData(DType.Float64, 1e-15)]
    [InlineData(DType.Float32, 1e-6)]
    public void SoftmaxAndLogSoftmaxAlongEveryDimMatchTheDefinition(DType dtype, double tolerance)
    {
        var raw = Tensor.Randn(Shape, seed: 31).ToArray();
        raw[3] = double.NegativeInfinity;
        raw[(37 * 19) + 4] = 500.0;
        var x = Make(raw, dtype);
        var exact = Make(raw, dtype).ToDType(DType.Float64).ToArray();
        for (int dim = 0; dim < 3; dim++)
        {
            var (outer, n, inner) = ReductionKernels.Split(Shape, dim);
            var softmax = x.Softmax(dim).ToDType(DType.Float64).ToArray();
            var logSoftmax = x.LogSoftmax(dim).ToDType(DType.Float64).ToArray();
            for (int o = 0; o < outer; o++)
            {
                for (int i = 0; i < inner; i++)
                {
                    int at = (o * n * inner) + i;
                    double m = Enumerable.Range(0, n).Max(k => exact[at + (k * inner)]);
                    double sum = Enumerable.Range(0, n).Sum(k => Math.Exp(exact[at + (k * inner)] - m));
                    for (int k = 0; k < n; k++)
                    {
                        double shifted = exact[at + (k * inner)] - m;
                        Close(Math.Exp(shifted) / sum, softmax[at + (k * inner)], tolerance);
                        Close(shifted - Math.Log(sum), logSoftmax[at + (k * inner)], tolerance);
                    }
                }
            }
        }
    }

    private static void Close(double expected, double actual, double tolerance)
    {
        if (double.IsNegativeInfinity(expected))
        {
            Assert.Equal(expected, actual);
            return;
        }

        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1.0, Math.Abs(expected)), $"{actual:R} vs {expected:R}");
    }

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    public void ReductionsAlongADimDoNotDependOnTheThreadCount(DType dtype)
    {
        // Above the threading threshold along both split modes: many rows ([301, 1003]) and one block of columns ([1003, 301] along 0).
        var wide = Tensor.Randn([301, 1003], seed: 41, dtype: dtype);
        var tall = Tensor.Randn([3, 1003, 301], seed: 42, dtype: dtype);
        var single = Tensor.Randn([1003, 301], seed: 43, dtype: dtype);
        Func<Tensor>[] ops =
        [
            () => wide.Sum(1), () => wide.Sum(0), () => tall.Sum(1), () => single.Sum(0), () => wide.Mean(1),
            () => wide.Max(1).Values, () => wide.Min(0).Indices, () => tall.Max(1).Indices, () => single.Min(0).Values,
            () => wide.Softmax(1), () => wide.LogSoftmax(0), () => tall.Softmax(1), () => single.LogSoftmax(0),
            () => SoftmaxGradient(wide, log: false), () => SoftmaxGradient(wide, log: true),
        ];
        int saved = Autograd.NumThreads;
        try
        {
            foreach (var op in ops)
            {
                Autograd.NumThreads = 1;
                var one = op().ToDType(DType.Float64).ToArray();
                Autograd.NumThreads = 4;
                var four = op().ToDType(DType.Float64).ToArray();
                Assert.Equal(one, four);
            }
        }
        finally
        {
            Autograd.NumThreads = saved;
        }
    }

    /// <summary>The fused backward over rows, with a gradient that is not constant along the rows.</summary>
    private static Tensor SoftmaxGradient(Tensor x, bool log)
    {
        var leaf = x.Detach().SetRequiresGrad();
        var y = log ? leaf.LogSoftmax(1) : leaf.Softmax(1);
        (y * y.Detach()).Sum().Backward();
        return leaf.Grad!;
    }

    [Fact]
    public void SumAlongANonLastDimAddsRowsInOrder()
    {
        // Narrow (< 16 columns: scalar) and wide (vectorised) column blocks give the sequential sum k = 0, 1, 2, … exactly.
        foreach (int inner in new[] { 3, 67 })
        {
            var x = Tensor.Randn([2, 50, inner], seed: inner);
            var v = x.ToArray();
            var sums = x.Sum(1).ToArray();
            for (int o = 0; o < 2; o++)
            {
                for (int i = 0; i < inner; i++)
                {
                    double acc = 0;
                    for (int k = 0; k < 50; k++)
                    {
                        acc += v[(((o * 50) + k) * inner) + i];
                    }

                    Assert.Equal(acc, sums[(o * inner) + i]);
                }
            }
        }
    }
}
