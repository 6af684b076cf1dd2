namespace StaticGrad.Tests.Kernels;

using StaticGrad;

/// <summary>
/// The vectorised float64 log, sin and cos are within 1 ulp of <see cref="Math"/> over dense sweeps of their domains
/// (arguments next to multiples of π/2 included) and give <see cref="Math"/>'s values exactly where they fall back.
/// </summary>
public class VectorMathLogTrigTests
{
    private delegate void Kernel(ReadOnlySpan<double> x, Span<double> d);

    private static double[] Linear(double lo, double hi, int count) =>
        Enumerable.Range(0, count).Select(i => lo + ((hi - lo) * i / (count - 1))).ToArray();

    private static void AssertWithinUlp(double[] x, Kernel kernel, Func<double, double> reference, long ulp, string name)
    {
        var d = new double[x.Length];
        kernel(x, d);
        long worst = 0;
        double worstAt = 0;
        for (int i = 0; i < x.Length; i++)
        {
            long u = VectorMathTests.UlpDistance(d[i], reference(x[i]));
            if (u > worst)
            {
                (worst, worstAt) = (u, x[i]);
            }
        }

        Assert.True(worst <= ulp, $"{name}: {worst} ulp at {worstAt:R}");
    }

    [Fact]
    public void LogIsWithinOneUlpOverEveryBinadeAndNearOne()
    {
        // 2^u for u across all normal exponents, then [0.5, 2] and a close neighbourhood of 1 (where ln x → 0).
        AssertWithinUlp(Linear(-1022, 1023.99, 1_000_003).Select(u => Math.Pow(2, u)).ToArray(), VectorMath.Log, Math.Log, 1, "log 2^u");
        AssertWithinUlp(Linear(0.5, 2.0, 1_000_003), VectorMath.Log, Math.Log, 1, "log [0.5, 2]");
        AssertWithinUlp(Linear(1 - 1e-6, 1 + 1e-6, 100_001), VectorMath.Log, Math.Log, 1, "log near 1");
    }

    [Fact]
    public void LogOfSpecialValuesIsMathLog()
    {
        double[] x =
        [
            1.0, 0.0, -0.0, -1.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, 1e-310,
            2.2250738585072014e-308, double.MaxValue, 2.0, Math.E, 0.7071067811865476, 1.4142135623730951, 1e-300, 3, 5,
        ];
        var d = new double[x.Length];
        VectorMath.Log(x, d);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = Math.Log(x[i]);
            bool mustBeExact = !double.IsNormal(x[i]) || x[i] <= 0 || x[i] == 1.0;
            Assert.True(mustBeExact ? expected.Equals(d[i]) : VectorMathTests.UlpDistance(expected, d[i]) <= 1, $"log({x[i]:R}) = {d[i]:R}, Math.Log gives {expected:R}");
        }
    }

    [Theory]
    [InlineData(-10.0, 10.0, 1_000_003)]
    [InlineData(-1_647_000.0, 1_647_000.0, 1_000_003)]
    [InlineData(-1e-6, 1e-6, 100_001)]
    [InlineData(-1e-300, 1e-300, 10_001)]
    public void SinAndCosAreWithinOneUlpOverADenseSweep(double lo, double hi, int count)
    {
        var x = Linear(lo, hi, count);
        AssertWithinUlp(x, VectorMath.Sin, Math.Sin, 1, "sin");
        AssertWithinUlp(x, VectorMath.Cos, Math.Cos, 1, "cos");
    }

    [Fact]
    public void SinAndCosAreWithinOneUlpNextToMultiplesOfHalfPi()
    {
        // The reduced argument cancels most bits here: the three-part π/2 must keep the result accurate.
        var x = new List<double>();
        for (int k = 1; k < 1 << 20; k += 7)
        {
            double m = k * (Math.PI / 2);
            x.AddRange([m, Math.BitIncrement(m), Math.BitDecrement(m), -m]);
        }

        AssertWithinUlp([.. x], VectorMath.Sin, Math.Sin, 1, "sin");
        AssertWithinUlp([.. x], VectorMath.Cos, Math.Cos, 1, "cos");
    }

    [Fact]
    public void SinAndCosOfSpecialAndHugeValuesAreMath()
    {
        double[] x = [0.0, -0.0, double.Epsilon, -1e-310, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e7, -3e15, 1e300, 1_647_099.0, 1_647_100.0];
        var sin = new double[x.Length];
        var cos = new double[x.Length];
        VectorMath.Sin(x, sin);
        VectorMath.Cos(x, cos);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(VectorMathTests.UlpDistance(Math.Sin(x[i]), sin[i]) <= 1 || Math.Sin(x[i]).Equals(sin[i]), $"sin({x[i]:R}) = {sin[i]:R}");
            Assert.True(VectorMathTests.UlpDistance(Math.Cos(x[i]), cos[i]) <= 1 || Math.Cos(x[i]).Equals(cos[i]), $"cos({x[i]:R}) = {cos[i]:R}");
        }

        Assert.True(double.IsNegative(sin[1]), "sin(-0) is -0");
        Assert.Equal(1.0, cos[1]);
    }

    [Fact]
    public void TensorLogSinCosUseTheVectorKernels()
    {
        var x = Tensor.Randn([10_001], seed: 19) * 30.0;
        var values = x.ToArray();
        var log = x.Abs().Log().ToArray();
        var sin = x.Sin().ToArray();
        var cos = x.Cos().ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(VectorMathTests.UlpDistance(log[i], Math.Log(Math.Abs(values[i]))) <= 1, $"log(|{values[i]:R}|)");
            Assert.True(VectorMathTests.UlpDistance(sin[i], Math.Sin(values[i])) <= 1, $"sin({values[i]:R})");
            Assert.True(VectorMathTests.UlpDistance(cos[i], Math.Cos(values[i])) <= 1, $"cos({values[i]:R})");
        }
    }
}
