namespace StaticGrad.Tests.Kernels;

using StaticGrad;

/// <summary>The vectorised float64 exp is within 1 ulp of <see cref="Math.Exp"/> everywhere and exact on special values.</summary>
public class VectorMathTests
{
    internal static long UlpDistance(double a, double b)
    {
        if (a.Equals(b))
        {
            return 0;
        }

        if (double.IsNaN(a) || double.IsNaN(b) || double.IsInfinity(a) || double.IsInfinity(b))
        {
            return long.MaxValue;
        }

        return Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));
    }

    [Theory]
    [InlineData(-745.5, 710.0, 1_000_003)]
    [InlineData(-1.0, 1.0, 400_001)]
    [InlineData(-1e-6, 1e-6, 100_001)]
    public void ExpIsWithinOneUlpOverADenseSweep(double lo, double hi, int count)
    {
        var x = new double[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = lo + ((hi - lo) * i / (count - 1));
        }

        var d = new double[count];
        VectorMath.Exp(x, d);
        long worst = 0;
        double worstAt = 0;
        for (int i = 0; i < count; i++)
        {
            long u = UlpDistance(d[i], Math.Exp(x[i]));
            if (u > worst)
            {
                (worst, worstAt) = (u, x[i]);
            }
        }

        Assert.True(worst <= 1, $"{worst} ulp at {worstAt:R}");
    }

    [Theory]
    [InlineData(-25.0, 25.0, 1_000_003)]
    [InlineData(-1.0, 1.0, 400_001)]
    [InlineData(-1e-6, 1e-6, 100_001)]
    [InlineData(-1e-300, 1e-300, 10_001)]
    public void TanhIsWithinThreeUlpOverADenseSweep(double lo, double hi, int count)
    {
        var x = new double[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = lo + ((hi - lo) * i / (count - 1));
        }

        var d = new double[count];
        VectorMath.Tanh(x, d);
        long worst = 0;
        double worstAt = 0;
        for (int i = 0; i < count; i++)
        {
            long u = UlpDistance(d[i], Math.Tanh(x[i]));
            if (u > worst)
            {
                (worst, worstAt) = (u, x[i]);
            }
        }

        Assert.True(worst <= 3, $"{worst} ulp at {worstAt:R}");
    }

    [Fact]
    public void TanhOfSpecialValuesIsMathTanh()
    {
        double[] x = [0.0, -0.0, double.Epsilon, -1e-310, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 19.0, 19.2, -40, 3.7e-9, 3.8e-9, 0.5, -2];
        var d = new double[x.Length];
        VectorMath.Tanh(x, d);
        for (int i = 0; i < x.Length; i++)
        {
            var expected = Math.Tanh(x[i]);
            Assert.True(expected.Equals(d[i]) || UlpDistance(expected, d[i]) <= 3, $"tanh({x[i]:R}) = {d[i]:R}, Math.Tanh gives {expected:R}");
        }

        Assert.True(double.IsNegative(d[1]), "tanh(-0) is -0");
    }

    [Fact]
    public void ExpOfSpecialValuesIsMathExpExactly()
    {
        double[] x =
        [
            0.0, -0.0, double.Epsilon, -double.Epsilon, 1e-310, -1e-310, double.NaN, double.PositiveInfinity,
            double.NegativeInfinity, double.MaxValue, double.MinValue, 709.0, 709.78, 709.79, 710, -708.0, -708.4,
            -740, -745.13, -745.2, 1.5, -2.25, 3, 4,
        ];
        var d = new double[x.Length];
        VectorMath.Exp(x, d);
        for (int i = 0; i < x.Length; i++)
        {
            var expected = Math.Exp(x[i]);
            bool mustBeExact = !double.IsFinite(x[i]) || x[i] is > 709 or < -708 || Math.Abs(x[i]) < 1e-300;
            Assert.True(mustBeExact ? expected.Equals(d[i]) : UlpDistance(expected, d[i]) <= 1, $"exp({x[i]:R}) = {d[i]:R}, Math.Exp gives {expected:R}");
        }
    }

    [Fact]
    public void TensorExpAndSigmoidUseTheVectorKernelWithinOneUlp()
    {
        var x = Tensor.Randn([10_001], seed: 9) * 20.0;
        var values = x.ToArray();
        var exp = x.Exp().ToArray();
        var sigmoid = x.Sigmoid().ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(UlpDistance(exp[i], Math.Exp(values[i])) <= 1, $"exp({values[i]:R})");

            // 1/(1+e) adds two roundings to exp's ulp: within 3 ulp of the formula with Math.Exp.
            Assert.True(UlpDistance(sigmoid[i], 1.0 / (1.0 + Math.Exp(-values[i]))) <= 3, $"sigmoid({values[i]:R})");
        }
    }
}
