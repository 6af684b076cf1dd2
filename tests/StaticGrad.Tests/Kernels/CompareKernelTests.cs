namespace StaticGrad.Tests.Kernels;

using StaticGrad;

/// <summary>The vectorised comparisons and <c>Where</c> agree with scalar IEEE comparisons element by element (NaN, ±0, ties, tails).</summary>
public class CompareKernelTests
{
    private static double[] Values(int n, int seed)
    {
        var r = new Random(seed);
        var v = new double[n];
        double[] specials = [double.NaN, 0.0, -0.0, 1.0, -1.0, double.PositiveInfinity, double.NegativeInfinity];
        for (int i = 0; i < n; i++)
        {
            v[i] = r.Next(4) == 0 ? specials[r.Next(specials.Length)] : Math.Round(r.NextDouble() * 4, 1);
        }

        return v;
    }

    [Theory]
    [InlineData(DType.Float64, 1003)]
    [InlineData(DType.Float32, 1003)]
    [InlineData(DType.Float32, 7)]
    public void ComparisonsMatchScalarComparisons(DType dtype, int n)
    {
        var av = Values(n, 1);
        var bv = Values(n, 2);
        var a = Tensor.FromArray(av).ToDType(dtype);
        var b = Tensor.FromArray(bv).ToDType(dtype);
        (Func<Tensor>, Func<double, double, bool>)[] cases =
        [
            (() => a.Gt(b), (x, y) => x > y), (() => a.Lt(b), (x, y) => x < y), (() => a.Ge(b), (x, y) => x >= y),
            (() => a.Le(b), (x, y) => x <= y), (() => a.Eq(b), (x, y) => x == y), (() => a.Ne(b), (x, y) => x != y),
        ];
        foreach (var (op, reference) in cases)
        {
            var got = op().ToArray<bool>();
            for (int i = 0; i < n; i++)
            {
                Assert.True(reference(av[i], bv[i]) == got[i], $"element {i}: {av[i]} vs {bv[i]}");
            }
        }
    }

    [Theory]
    [InlineData(DType.Float64, 1005)]
    [InlineData(DType.Float32, 1005)]
    public void WhereMatchesAScalarSelection(DType dtype, int n)
    {
        var av = Values(n, 3);
        var bv = Values(n, 4);
        var a = Tensor.FromArray(av).ToDType(dtype);
        var b = Tensor.FromArray(bv).ToDType(dtype);
        var cond = a.Gt(b);
        var c = cond.ToArray<bool>();
        var got = Tensor.Where(cond, a, b).ToArray();
        var ac = a.ToArray();
        var bc = b.ToArray();
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(c[i] ? ac[i] : bc[i]), BitConverter.DoubleToInt64Bits(got[i]));
        }
    }
}
