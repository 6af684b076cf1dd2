using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial cases for session 21's unit tangent (<c>Forward/UnitTangent.cs</c>): a backward in forward mode carries
/// the derivative for a tangent of 1 (of the input, or of the first statement's target <c>z = g(x)</c>) and scales the
/// result once by the seeded tangent, a zero scale adding nothing. Polynomials of high degree, Φ's shape behind
/// <c>Math.Abs</c>, callees with branches, loops (zero trips, break, continue, nested), early returns, a reassigned
/// input, a first target assigned again, an input read again after the first statement, calls, local arrays, float,
/// hostile names; each against central finite differences (<see cref="FiniteDifferenceCheck"/>: double
/// |g − fd| ≤ 1e-6·max(1, |fd|) + rounding bound, float 2e-3) and the seed's linearity (seeds 2.5, −0.75, 1e-3, 0:
/// 1e-10 relative, float 1e-5); then seeds 0, ±∞ and NaN at a finite primal, a derivative that overflows (seed 0
/// must give 0, not NaN), and an index out of range thrown by the Backward where the method throws. One compilation.
/// </summary>
public sealed class Session21UnitTangentTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Review21;

        public static partial class U
        {
            private static readonly double[] s_coefficients = { 0.5, -1.25, 2.0, 0.75, -0.3, 1.1, 0.9, -2.2, 0.05, 1.7, -0.6, 0.4, 1.3, -0.8, 0.2, 0.6, -1.4, 0.3, 0.7, -0.1, 0.25 };

            // Degree 20 by Horner in a loop: the tangent step dp = dp·x + p.
            // domain: x=-1.1..1.1
            [Differentiable]
            public static double Degree20(double x)
            {
                var p = 0.0;
                for (var k = 0; k < s_coefficients.Length; k++)
                {
                    p = (p * x) + s_coefficients[k];
                }

                return p;
            }

            // domain: x=-1.05..1.05
            [Differentiable]
            public static float Degree20F(float x)
            {
                var p = 0f;
                for (var k = 0; k < s_coefficients.Length; k++)
                {
                    p = (p * x) + (float)s_coefficients[k];
                }

                return p;
            }

            // Φ's shape: z = |x| first (the unit is z's tangent), Horner overwrites, the sign read by a condition.
            // domain: x=-5..5
            [Differentiable]
            public static double AbsThenRational(double x)
            {
                var z = Math.Abs(x);
                var n = (0.0352624965998911 * z) + 0.700383064443688;
                n = (n * z) + 6.37396220353165;
                n = (n * z) + 33.912866078383;
                var d = (0.0883883476483184 * z) + 1.75566716318264;
                d = (d * z) + 16.064177579207;
                d = (d * z) + 86.7807322029461;
                var tail = Math.Exp(-0.5 * z * z) * n / d;
                return x > 0.0 ? 1.0 - tail : tail;
            }

            // domain: x=-3..3
            [Differentiable]
            public static float AbsThenRationalF(float x)
            {
                var z = MathF.Abs(x);
                var n = (0.7f * z) + 6.3f;
                n = (n * z) + 33.9f;
                var d = (1.75f * z) + 16.06f;
                d = (d * z) + 86.78f;
                var tail = MathF.Exp(-0.5f * z * z) * n / d;
                return x > 0f ? 1f - tail : tail;
            }

            // The first target from exp: its tangent e^x·seed is the scale.
            // domain: x=-2..2
            [Differentiable]
            public static double ExpFirst(double x)
            {
                var z = Math.Exp(x);
                var y = z;
                y = (y * z) - 3.0;
                y = (y * z) + 1.5;
                return y;
            }

            // The input is read again after the first statement: the unit is the input's tangent, not z's.
            // domain: x=0.5..2
            [Differentiable]
            public static double InputReadAgain(double x)
            {
                var z = x * x;
                var y = z + 1.0;
                y = (y * z) + x;
                return y;
            }

            // The first target is assigned again: the unit is the input's.
            // domain: x=0.5..2
            [Differentiable]
            public static double FirstAssignedAgain(double x)
            {
                var z = Math.Sin(x);
                var y = z * 2.0;
                z = z * x;
                y = (y * z) + z;
                return y;
            }

            // The input reassigned in the body: its tangent starts at 1, nothing folded.
            // domain: x=0.5..2
            [Differentiable]
            public static double InputReassigned(double x)
            {
                x = (x * x) + 1.0;
                var y = x;
                y = (y * x) + 2.0;
                return y;
            }

            // Branches on the value, each overwriting.
            // domain: x=-2..2
            [Differentiable]
            public static double Branches(double x)
            {
                var y = x;
                if (x > 0.5)
                {
                    y = (y * x) + 1.0;
                    y = y * Math.Cos(x);
                }
                else
                {
                    y = (y * y) - x;
                }

                return y;
            }

            // A zero-trip loop where x < 1 (the trip count from the value), then a loop with break and continue.
            // domain: x=0.2..3
            [Differentiable]
            public static double LoopsWithJumps(double x)
            {
                var y = x;
                for (var k = 0; k < (int)x; k++)
                {
                    y = (y * x) + k;
                }

                for (var k = 0; k < 8; k++)
                {
                    if (k == 2)
                    {
                        continue;
                    }

                    y = (y * 0.5) + Math.Sin(x * k);
                    if (y > 50.0)
                    {
                        break;
                    }
                }

                return y;
            }

            // Nested loops and an early return from the inner one.
            // domain: x=0.3..1.5
            [Differentiable]
            public static double NestedEarlyReturn(double x)
            {
                var y = 1.0;
                for (var i = 0; i < 4; i++)
                {
                    for (var j = 0; j <= i; j++)
                    {
                        y = (y * x) + (0.1 * j);
                        if (y > 20.0)
                        {
                            return y * 2.0;
                        }
                    }
                }

                return y;
            }

            // Newton's iteration for the cube root (a while loop whose trip count depends on x).
            // domain: x=0.5..8
            [Differentiable]
            public static double NewtonCubeRoot(double x)
            {
                var r = x;
                var step = 1.0;
                while (Math.Abs(step) > 1e-14 * r)
                {
                    step = ((r * r * r) - x) / (3.0 * r * r);
                    r = r - step;
                }

                return r;
            }

            [Differentiable]
            public static double Inner(double t) => Math.Sin(t) * t;

            // A call: the callee's backward with seed 1 dotted with the argument's tangent (the unit folded there).
            // domain: x=-2..2
            [Differentiable]
            public static double WithCall(double x)
            {
                var y = Inner(x);
                y = (y * x) + Inner(x * 0.5);
                return y;
            }

            // A local array and its rented tangent.
            // domain: x=0.5..1.5
            [Differentiable]
            public static double LocalArray(double x)
            {
                var a = new double[5];
                a[0] = x;
                for (var k = 1; k < a.Length; k++)
                {
                    a[k] = (a[k - 1] * x) + 0.5;
                }

                return a[4] - a[2];
            }

            // User names like the generated ones: dz, dx, _dx, seed, _result, _tape, _t0.
            // domain: x=-2..2
            [Differentiable]
            public static double HostileNames(double x)
            {
                var dz = Math.Abs(x);
                var dx = dz * 0.5;
                var _dx = (dx * dz) + 1.0;
                var seed = _dx;
                seed = (seed * dz) + dx;
                var _result = seed;
                var _tape = _result * _result;
                var _t0 = _tape + dz;
                return _t0;
            }

            // A parameter called seed (the backward's seed is renamed).
            // domain: seed=0.5..2
            [Differentiable]
            public static double ParameterSeed(double seed)
            {
                var z = Math.Log(seed);
                var y = z;
                y = (y * z) + 2.0;
                return y;
            }

            // The derivative 1e309 overflows at x = 0 where the value is 0: tanh(10·x·1e308).
            // domain: x=0.5..1
            [Differentiable]
            public static double OverflowingDerivative(double x)
            {
                var y = 10.0 * x;
                y = Math.Tanh(y * 1e308);
                return y;
            }

            // An index out of range the original throws where x ≥ 2 (k reaches 4), in the same loop.
            // domain: x=0.2..1.9
            [Differentiable]
            public static double IndexOutOfRange(double x)
            {
                var data = new[] { 1.0, 2.0, 3.0, 4.0 };
                var y = x;
                for (var k = 0; k < 2 * (int)x + 1; k++)
                {
                    y = (y * x) + data[k];
                }

                return y;
            }

            // A float whose first target comes from the input by a quotient.
            // domain: x=0.5..2
            [Differentiable]
            public static float QuotientFirstF(float x)
            {
                var z = 1f / (x + 1f);
                var y = z;
                y = (y * z) + 0.5f;
                y = (y * z) - 0.25f;
                return y;
            }

            // Zero trips where x < 0: the result is the constant 1 there, with zero derivative.
            // domain: x=-2..-0.5
            [Differentiable]
            public static double ZeroTrips(double x)
            {
                var y = 1.0;
                for (var k = 0; k < x; k++)
                {
                    y = (y * x) + 1.0;
                }

                return y;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods, nullableAnalysis: false));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => m.Name is not ("Inner" or "OverflowingDerivative")));

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_and_seed_scaling_match_central_finite_differences(string key)
    {
        OneInputProbe.AssertGradientAndSeeds(s_batch.Value, s_methods, key, PointsPerFunction, 21, 2.5, -0.75, 1e-3, 0.0);
    }

    /// <summary>Which tangent each takes as the unit: z's (the scale is dz), or the input's (the scale is the seed).</summary>
    [Theory]
    [InlineData("U.AbsThenRational", "(dz = 1)")]
    [InlineData("U.AbsThenRationalF", "(dz = 1)")]
    [InlineData("U.ExpFirst", "(dz = 1)")]
    [InlineData("U.QuotientFirstF", "(dz = 1)")]
    [InlineData("U.Degree20", "(_dx = 1)")]
    [InlineData("U.InputReadAgain", "(_dx = 1)")]
    [InlineData("U.FirstAssignedAgain", "(_dx = 1)")]
    [InlineData("U.InputReassigned", "(_dx = 1)")]
    public void Takes_the_unit_of(string key, string unit)
    {
        var source = s_batch.Value.GeneratedSource[key];
        Assert.True(source.Contains("// Forward mode: ", StringComparison.Ordinal) && source.Contains(unit, StringComparison.Ordinal), key + ": " + unit + " expected.\n" + source);
    }

    /// <summary>The Horner step's tangent no longer multiplies by the unit.</summary>
    [Fact]
    public void Horner_tangent_is_folded()
    {
        // The unit pass only: the seeded pass after the label carries the seed unfolded (session 23).
        var source = s_batch.Value.GeneratedSource["U.AbsThenRational"].Split("_seeded:")[0];
        Assert.Matches(@"(\w+) = \1 \* z \+ n;", source);
        Assert.DoesNotContain("n * dz", source, StringComparison.Ordinal);
    }

    /// <summary>
    /// Seeds at a finite primal: 0 adds exactly nothing; ±∞ gives ±∞ with the derivative's sign; NaN gives NaN. At x = 0.3
    /// (the derivative is nonzero) for Φ's shape and the degree-20 polynomial, double and float.
    /// </summary>
    [Theory]
    [InlineData("U.AbsThenRational", 0.3)]
    [InlineData("U.AbsThenRational", -1.7)]
    [InlineData("U.AbsThenRationalF", 0.3)]
    [InlineData("U.Degree20", 0.3)]
    [InlineData("U.Degree20F", -0.6)]
    [InlineData("U.ExpFirst", 0.4)]
    public void Zero_infinite_and_NaN_seeds(string key, double x)
    {
        var loaded = Loaded(key);
        var one = Gradient(loaded, x, 1.0);
        Assert.True(double.IsFinite(one) && one != 0, key + ": derivative " + one);
        Assert.Equal(0.0, Gradient(loaded, x, 0.0));
        Assert.Equal(Math.Sign(one) * double.PositiveInfinity, Gradient(loaded, x, double.PositiveInfinity));
        Assert.Equal(-Math.Sign(one) * double.PositiveInfinity, Gradient(loaded, x, double.NegativeInfinity));
        Assert.True(double.IsNaN(Gradient(loaded, x, double.NaN)), key + ": NaN seed");
    }

    /// <summary>At x = 0 Math.Abs's derivative is 0 (PyTorch's convention): the scale dz is 0, so nothing is added even for an infinite seed.</summary>
    [Fact]
    public void Zero_scale_from_the_first_statement_adds_nothing()
    {
        var loaded = Loaded("U.AbsThenRational");
        Assert.Equal(0.0, Gradient(loaded, 0.0, 1.0));
        Assert.Equal(0.0, Gradient(loaded, 0.0, double.PositiveInfinity));
    }

    /// <summary>
    /// tanh(1e309·x) at x = 0: the value 0 is finite, the unit tangent 1e309 overflows. Seed 0 must add 0 (0·∞ would be
    /// NaN), seed 1 gives +∞ (the true derivative is beyond double's range), a NaN seed NaN.
    /// </summary>
    [Fact]
    public void Overflowing_unit_tangent_under_a_zero_seed_adds_nothing()
    {
        var loaded = Loaded("U.OverflowingDerivative");
        Assert.Equal(0.0, Gradient(loaded, 0.0, 0.0));
        Assert.Equal(double.PositiveInfinity, Gradient(loaded, 0.0, 1.0));
        Assert.True(double.IsNaN(Gradient(loaded, 0.0, double.NaN)));
    }

    /// <summary>The Backward throws the method's IndexOutOfRangeException where the method does, and not below.</summary>
    [Fact]
    public void Index_out_of_range_is_thrown_as_by_the_method()
    {
        var loaded = Loaded("U.IndexOutOfRange");
        Assert.IsType<IndexOutOfRangeException>(Unwrap(() => loaded.Primal(new[] { new[] { 2.5 } })));
        Assert.IsType<IndexOutOfRangeException>(Unwrap(() => loaded.Backward(new[] { new[] { 2.5 } }, new[] { new[] { 0.0 } }, 1.0)));
        Assert.IsType<IndexOutOfRangeException>(Unwrap(() => loaded.Backward(new[] { new[] { 2.5 } }, new[] { new[] { 0.0 } }, 0.0)));
        Assert.True(double.IsFinite(Gradient(loaded, 1.5, 1.0)));
    }

    private static Exception? Unwrap(Action action) => OneInputProbe.Thrown(action);

    private static double Gradient(LoadedMethod loaded, double x, double seed) => OneInputProbe.Gradient(loaded, x, seed);

    private static LoadedMethod Loaded(string key) => OneInputProbe.Loaded(s_batch.Value, key);
}
