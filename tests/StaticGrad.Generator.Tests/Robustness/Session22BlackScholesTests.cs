using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Black–Scholes' shape end to end (session 22): a reverse-mode caller of several inputs calling one-input callees that
/// run in forward mode with a unit tangent (Hart's Φ with all three branches, a degree-12 Horner polynomial, callees
/// with branches, early returns and nested loops with zero trips), in double and float, with hostile names; each against
/// central finite differences (<see cref="FiniteDifferenceCheck"/>: double |g − fd| ≤ 1e-6·max(1, |fd|) + the rounding
/// bound, float 2e-3). Then what a call site can pass where the primal is finite: seeds 0, ±∞ and NaN into the
/// caller's Backward, arguments ±∞ into Φ (value 0 or 1, derivative 0), the tails beyond |x| = 37 and in the continued
/// fraction; and the Hessians of Φ's shape and of a Horner chain (the tangent table's rules, reversed) against central
/// differences of the Backward gradient (<see cref="HessianProbeCheck"/>: h = 1e-5, 1e-5·max(1, |fd|)). One compilation.
/// </summary>
public sealed class Session22BlackScholesTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Review22;

        public static partial class B
        {
            private static readonly double[] s_coefficients = { 0.5, -1.25, 2.0, 0.75, -0.3, 1.1, 0.9, -2.2, 0.05, 1.7, -0.6, 0.4, 1.3 };

            // Hart's Φ as the benchmark writes it: |x| > 37, the rational branch below 7.07, the continued fraction between.
            // domain: x=-6.5..6.5
            [Differentiable]
            public static double Cdf(double x)
            {
                var z = Math.Abs(x);
                double tail;
                if (z > 37.0)
                {
                    tail = 0.0;
                }
                else if (z < 7.07106781186547)
                {
                    var numerator = (0.0352624965998911 * z) + 0.700383064443688;
                    numerator = (numerator * z) + 6.37396220353165;
                    numerator = (numerator * z) + 33.912866078383;
                    numerator = (numerator * z) + 112.079291497871;
                    numerator = (numerator * z) + 221.213596169931;
                    numerator = (numerator * z) + 220.206867912376;
                    var denominator = (0.0883883476483184 * z) + 1.75566716318264;
                    denominator = (denominator * z) + 16.064177579207;
                    denominator = (denominator * z) + 86.7807322029461;
                    denominator = (denominator * z) + 296.564248779674;
                    denominator = (denominator * z) + 637.333633378831;
                    denominator = (denominator * z) + 793.826512519948;
                    denominator = (denominator * z) + 440.413735824752;
                    tail = Math.Exp(-0.5 * z * z) * numerator / denominator;
                }
                else
                {
                    var fraction = z + 0.65;
                    fraction = z + (4.0 / fraction);
                    fraction = z + (3.0 / fraction);
                    fraction = z + (2.0 / fraction);
                    fraction = z + (1.0 / fraction);
                    tail = Math.Exp(-0.5 * z * z) / fraction / 2.506628274631;
                }

                return x > 0.0 ? 1.0 - tail : tail;
            }

            // A shorter Φ in float, three branches at 9 and 3.
            // domain: x=-2.8..2.8
            [Differentiable]
            public static float CdfF(float x)
            {
                var z = MathF.Abs(x);
                float tail;
                if (z > 9f)
                {
                    tail = 0f;
                }
                else if (z < 3f)
                {
                    var n = (0.0352625f * z) + 0.700383f;
                    n = (n * z) + 6.373962f;
                    n = (n * z) + 33.91287f;
                    var d = (0.0883883f * z) + 1.755667f;
                    d = (d * z) + 16.06418f;
                    d = (d * z) + 86.78073f;
                    tail = MathF.Exp(-0.5f * z * z) * n / d;
                }
                else
                {
                    var fraction = z + 0.65f;
                    fraction = z + (2f / fraction);
                    fraction = z + (1f / fraction);
                    tail = MathF.Exp(-0.5f * z * z) / fraction / 2.5066283f;
                }

                return x > 0f ? 1f - tail : tail;
            }

            // The call price over Cdf (the benchmark's CallPrice): a reverse sweep over two forward-mode calls.
            // domain: spot=70..140 volatility=0.1..0.5 rate=0..0.08 maturity=0.2..2.5 strike=95..110
            [Differentiable]
            public static double Price(double spot, double volatility, double rate, double maturity, [NoGrad] double strike)
            {
                var sqrtMaturity = Math.Sqrt(maturity);
                var d1 = (Math.Log(spot / strike) + ((rate + (0.5 * volatility * volatility)) * maturity)) / (volatility * sqrtMaturity);
                var d2 = d1 - (volatility * sqrtMaturity);
                return (spot * Cdf(d1)) - (strike * Math.Exp(-rate * maturity) * Cdf(d2));
            }

            // domain: spot=80..120 volatility=0.15..0.4 maturity=0.5..2
            [Differentiable]
            public static float PriceF(float spot, float volatility, float maturity)
            {
                var sqrtMaturity = MathF.Sqrt(maturity);
                var d1 = (MathF.Log(spot / 100f) + (0.5f * volatility * volatility * maturity)) / (volatility * sqrtMaturity);
                return (spot * CdfF(d1)) - (100f * CdfF(d1 - (volatility * sqrtMaturity)));
            }

            // The lower tail in the continued fraction (|x| in 7.1..7.9), scaled to order 1, and the rational branch.
            // domain: x=0.2..0.9
            [Differentiable]
            public static double ContinuedFraction(double x) => (Cdf(-(x * x) - 7.1) * 1e13) + Cdf(x);

            // Beyond |x| = 37 the tail is 0: Φ is 0 and 1 there, its derivative 0.
            // domain: a=0.5..3
            [Differentiable]
            public static double FarTails(double a) => Cdf(-40.0 - a) + (Cdf(40.0 + a) * a);

            // Degree 12 by Horner in a loop, called at two arguments.
            // domain: x=-1.1..1.1
            [Differentiable]
            public static double Degree12(double x)
            {
                var p = 0.0;
                for (var k = 0; k < s_coefficients.Length; k++)
                {
                    p = (p * x) + s_coefficients[k];
                }

                return p;
            }

            // domain: a=-1..1 b=-1..1
            [Differentiable]
            public static double UsesDegree12(double a, double b) => Degree12(a * b) - (Degree12(a - (0.5 * b)) * a);

            // Branches, a loop with break and continue, an early return.
            // domain: x=-2..2
            [Differentiable]
            public static double Branchy(double x)
            {
                var z = Math.Abs(x);
                if (z > 1.5)
                {
                    return (z * z) - x;
                }

                var y = 1.0;
                for (var k = 0; k < 6; k++)
                {
                    if (k == 1)
                    {
                        continue;
                    }

                    y = (y * z) + Math.Sin(z + k);
                    if (y > 4.0)
                    {
                        break;
                    }
                }

                return x < 0.0 ? -y : y;
            }

            // domain: a=-1.2..1.2 b=0.3..1.2
            [Differentiable]
            public static double UsesBranchy(double a, double b) => (Branchy(a * b) * b) + Branchy(a - b);

            // Nested loops, the inner one of zero trips where x < 1.
            // domain: x=0.2..2.8
            [Differentiable]
            public static double Nested(double x)
            {
                var y = x;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < (int)x; j++)
                    {
                        y = (y * 0.5) + (x * j);
                    }

                    y = (y * x) + i;
                }

                return y;
            }

            // domain: a=0.3..1.4 b=0.3..1.8
            [Differentiable]
            public static double UsesNested(double a, double b) => Nested(a + b) - Nested(a * b);

            // Hostile names in the caller and a parameter called seed.
            // domain: dx=-1..1 seed=0.5..1.5
            [Differentiable]
            public static double Hostile(double dx, double seed)
            {
                var _result = Cdf(dx * seed);
                var _tape = Cdf(dx - seed);
                var _t0 = _result * _tape;
                var _dc0 = _t0 + Degree12(dx * 0.5);
                var _c1 = _dc0 * seed;
                return _c1;
            }

            // An argument that overflows to +∞ at a = 1 (Φ is 1 there, flat): a + Φ(a·1e309).
            // domain: a=0.5..1.5
            [Differentiable]
            public static double InfiniteArgument(double a) => a + Cdf(a * 1e308 * 10.0);

            // Φ's shape inline in a Hessian: |a·b|, two Horner chains, the quotient after exp.
            // domain: a=-2..2 b=0.5..1.5
            [Differentiable(Hessian = true)]
            public static double HessPhi(double a, double b)
            {
                var z = Math.Abs(a * b);
                var n = (0.0352624965998911 * z) + 0.700383064443688;
                n = (n * z) + 6.37396220353165;
                n = (n * z) + 33.912866078383;
                n = (n * z) + 112.079291497871;
                var d = (0.0883883476483184 * z) + 1.75566716318264;
                d = (d * z) + 16.064177579207;
                d = (d * z) + 86.7807322029461;
                d = (d * z) + 296.564248779674;
                var tail = Math.Exp(-0.5 * z * z) * n / d;
                return a > 0.0 ? 1.0 - tail : tail;
            }

            // A degree-12 Horner chain over a product, in a Hessian.
            // domain: a=-1..1 b=-1..1
            [Differentiable(Hessian = true)]
            public static double HessHorner(double a, double b)
            {
                var x = a * b;
                var p = 0.0;
                for (var k = 0; k < s_coefficients.Length; k++)
                {
                    p = (p * x) + (s_coefficients[k] * b);
                }

                return p;
            }

            public static double[] ProbeGradient(double[] p)
            {
                double da = 0, db = 0;
                HessPhiBackward(p[0], p[1], ref da, ref db);
                return new[] { da, db };
            }

            public static double[] ProbeHessian(double[] p)
            {
                var h = new double[4];
                HessPhiHessian(p[0], p[1], h);
                return h;
            }

            public static double[] ProbeHornerGradient(double[] p)
            {
                double da = 0, db = 0;
                HessHornerBackward(p[0], p[1], ref da, ref db);
                return new[] { da, db };
            }

            public static double[] ProbeHornerHessian(double[] p)
            {
                var h = new double[4];
                HessHornerHessian(p[0], p[1], h);
                return h;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods, nullableAnalysis: false));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => m.Name != "InfiniteArgument"));

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>
    /// Seeds at a finite primal of the caller (an at-the-money and a deep out-of-the-money option): 0 gives exactly 0
    /// for every Greek (no 0·∞ from the callees' unit tangents), NaN gives NaN. ±∞ gives each Greek ±∞ with its sign, or
    /// NaN where the reverse sweep adds partial products of opposite signs (∞ − ∞, as any reverse sweep does, PyTorch's
    /// included), never a finite value or the wrong sign.
    /// </summary>
    [Theory]
    [InlineData(100.0, 0.2, 0.03, 1.5, 105.0)]
    [InlineData(60.0, 0.3, 0.01, 0.25, 110.0)]
    public void Seeds_at_the_call_site(double spot, double volatility, double rate, double maturity, double strike)
    {
        var loaded = Loaded("B.Price");
        var point = new[] { new[] { spot }, new[] { volatility }, new[] { rate }, new[] { maturity }, new[] { strike } };
        Assert.True(double.IsFinite(loaded.Primal(point)));
        var one = Greeks(loaded, point, 1.0);
        Assert.All(one, g => Assert.True(double.IsFinite(g) && g != 0, "Greek " + g));
        Assert.All(Greeks(loaded, point, 0.0), g => Assert.Equal(0.0, g));
        Assert.All(Greeks(loaded, point, double.NaN), g => Assert.True(double.IsNaN(g)));
        foreach (var seed in new[] { double.PositiveInfinity, double.NegativeInfinity })
        {
            var infinite = Greeks(loaded, point, seed);
            for (var i = 0; i < 4; i++)
            {
                Assert.True(infinite[i] == seed * one[i] || double.IsNaN(infinite[i]), $"Greek {i} under seed {seed}: {infinite[i]} (seed 1: {one[i]})");
            }
        }
    }

    /// <summary>Φ at ±∞ and beyond ±37: the value is 0 or 1, the derivative exactly 0 (not NaN from ∞·0), for every seed but NaN.</summary>
    [Theory]
    [InlineData(double.PositiveInfinity, 1.0)]
    [InlineData(double.NegativeInfinity, 0.0)]
    [InlineData(38.0, 1.0)]
    [InlineData(-1e300, 0.0)]
    public void Infinite_and_far_arguments_have_derivative_zero(double x, double value)
    {
        var loaded = Loaded("B.Cdf");
        Assert.Equal(value, loaded.Primal(new[] { new[] { x } }));
        Assert.Equal(0.0, OneInputProbe.Gradient(loaded, x, 1.0));
        Assert.Equal(0.0, OneInputProbe.Gradient(loaded, x, 0.0));
        Assert.Equal(0.0, OneInputProbe.Gradient(loaded, x, -3.5));
    }

    /// <summary>
    /// a + Φ(a·1e309) at a = 1: the argument overflows to +∞ where the value 2 is finite and Φ is flat. The reverse
    /// sweep's adjoint of the argument is exactly 0 (Φ's derivative at +∞), and 0·1e309's partial is not added
    /// (session 20's exactly-zero adjoints), so the gradient is the true 1, not NaN.
    /// </summary>
    [Fact]
    public void Overflowed_argument_with_a_flat_callee_gives_the_true_gradient()
    {
        var loaded = Loaded("B.InfiniteArgument");
        Assert.Equal(2.0, loaded.Primal(new[] { new[] { 1.0 } }));
        Assert.Equal(1.0, OneInputProbe.Gradient(loaded, 1.0, 1.0));
    }

    /// <summary>The Hessians of Φ's shape and of a Horner chain against central differences of the Backward gradient.</summary>
    [Theory]
    [InlineData(0.7, 1.3)]
    [InlineData(-1.4, 0.6)]
    [InlineData(0.25, 1.0)]
    public void Hessians_match_central_differences_of_the_gradient(double a, double b)
    {
        var type = s_batch.Value.Output!.Value.Assembly.GetType("Review22.B")!;
        double[] Call(string name, double[] p) => (double[])type.GetMethod(name)!.Invoke(null, new object[] { p })!;
        var point = new[] { a, b };
        var problems = HessianProbeCheck.Problems(p => Call("ProbeGradient", p), point, Call("ProbeHessian", point));
        var horner = new[] { a / 2.0, b - 0.5 };
        problems.AddRange(HessianProbeCheck.Problems(p => Call("ProbeHornerGradient", p), horner, Call("ProbeHornerHessian", horner)));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static double[] Greeks(LoadedMethod loaded, double[][] point, double seed)
    {
        var adjoints = new[] { new[] { 0.0 }, new[] { 0.0 }, new[] { 0.0 }, new[] { 0.0 }, new[] { 0.0 } };
        loaded.Backward(point, adjoints, seed);
        return new[] { adjoints[0][0], adjoints[1][0], adjoints[2][0], adjoints[3][0] };
    }

    private static LoadedMethod Loaded(string key) => OneInputProbe.Loaded(s_batch.Value, key);
}
