using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial cases for session 19's tangent quotient rule, d(u/v) = du/v − (u/v)·(dv/v) (the two divisions side by
/// side; before: ((u/v)·dv)/v, one after the other), in one-input methods whose Backward runs in forward mode: a
/// divisor steep enough that (u/v)·dv overflows where dv/v and the derivative are finite (float and double), the shape
/// of Black–Scholes' <c>NormalCdf</c> tail, a continued fraction, quotients of quotients, a constant numerator or
/// denominator, a divisor that is negative or near a pole. Each method is checked against central finite differences
/// (tolerances of <see cref="FiniteDifferenceCheck"/>); the steep ones also against their twins with an unused second
/// input, which keep the reverse sweep. One generator run, one compilation.
/// </summary>
public sealed class Session19TangentQuotientAdversarialTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Review19;

        public static partial class Q
        {
            // u/v with dv = 60·v: (u/v)·dv = 60·u overflows (u = 1e307·x) although the derivative (1 − 60x)·u/v is finite.
            // domain: x=0.5..2
            [Differentiable]
            public static double Steep(double x)
            {
                var u = 1e307 * x;
                u = u / Math.Exp(60.0 * x);
                return u;
            }

            // domain: x=0.5..2 unused=0..1
            [Differentiable]
            public static double SteepTwin(double x, double unused)
            {
                var u = 1e307 * x;
                u = u / Math.Exp(60.0 * x);
                return u;
            }

            // Float: (u/v)·dv = 30·u overflows float for x > 1.13.
            // domain: x=1.2..2
            [Differentiable]
            public static float SteepF(float x)
            {
                var u = 1e37f * x;
                u = u / MathF.Exp(30f * x);
                return u;
            }

            // domain: x=1.2..2 unused=0..1
            [Differentiable]
            public static float SteepFTwin(float x, float unused)
            {
                var u = 1e37f * x;
                u = u / MathF.Exp(30f * x);
                return u;
            }

            // The shape of Black–Scholes' Φ tail, exp(−x²/2)·n/d with n and d Horner chains (Φ itself, both branches:
            // Correctness/TangentBackwardAdversarialTests).
            // domain: x=0.3..6
            [Differentiable]
            public static double RationalTail(double x)
            {
                var n = (0.700383064443688 * x) + 6.37396220353165;
                n = (n * x) + 33.912866078383;
                var d = (1.75566716318264 * x) + 16.064177579207;
                d = (d * x) + 86.7807322029461;
                return Math.Exp(-0.5 * x * x) * n / d;
            }

            // A continued fraction in a loop: every step divides by the fraction just computed.
            // domain: x=0.5..3
            [Differentiable]
            public static double ContinuedFraction(double x)
            {
                var f = x + 0.65;
                for (var k = 4; k >= 1; k--)
                {
                    f = x + (k / f);
                }

                return 1.0 / f;
            }

            // A quotient of quotients, both sides active.
            // domain: x=0.5..2
            [Differentiable]
            public static double QuotientOfQuotients(double x)
            {
                var a = x / (x + 1.0);
                a = a / ((x + 2.0) / (x + 3.0));
                return a;
            }

            // Only the divisor active (no du), then only the dividend (no dv), multiplied in (the product saves y).
            // domain: x=0.5..2
            [Differentiable]
            public static double ConstantParts(double x)
            {
                var y = 3.0 / ((x * x) + 1.0);
                y = y * ((x / 7.0) + 1.0);
                return y;
            }

            // A negative divisor, and one near its pole (x = 0.4) multiplied in (the product saves y).
            // domain: x=0.5..2
            [Differentiable]
            public static double NegativeAndNearPole(double x)
            {
                var y = ((x * x) + 1.0) / (x - 3.0);
                y = y * (1.0 / (x - 0.4));
                return y;
            }

            // The quotient in float, with a compound assignment.
            // domain: x=0.5..2
            [Differentiable]
            public static float FloatRatio(float x)
            {
                var y = x * x;
                y /= (x + 1f) * (x + 2f);
                return y;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods, nullableAnalysis: false));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>Every one-input method here takes the forward-mode Backward, i.e. the tangent's quotient rule.</summary>
    [Fact]
    public void One_input_methods_run_in_forward_mode()
    {
        foreach (var key in s_methods.Select(m => m.Key).Where(k => !k.EndsWith("Twin", StringComparison.Ordinal)))
        {
            var source = s_batch.Value.GeneratedSource[key];
            Assert.True(source.Contains("// Forward mode: ", StringComparison.Ordinal), $"{key}: forward mode expected.\n{source}");
        }
    }

    /// <summary>Where (u/v)·dv overflows, forward mode agrees with the reverse sweep of the same body (its twin).</summary>
    [Theory]
    [InlineData("Q.Steep", 0.5)]
    [InlineData("Q.Steep", 1.0)]
    [InlineData("Q.Steep", 2.0)]
    [InlineData("Q.SteepF", 1.5)]
    [InlineData("Q.SteepF", 2.0)]
    public void Overflowing_product_agrees_with_the_reverse_sweep(string key, double x)
    {
        var forward = Loaded(key);
        var reverse = Loaded(key + "Twin");
        var df = new[] { new[] { 0.0 } };
        var dr = new[] { new[] { 0.0 }, new[] { 0.0 } };
        forward.Backward(new[] { new[] { x } }, df, 1.0);
        reverse.Backward(new[] { new[] { x }, new[] { 0.5 } }, dr, 1.0);
        var tolerance = (forward.Method.ReturnsFloat ? 1e-5 : 1e-12) * Math.Abs(dr[0][0]);
        Assert.True(double.IsFinite(df[0][0]) && Math.Abs(dr[0][0] - df[0][0]) <= tolerance, $"{key}({x}): forward dx {df[0][0]:R}, reverse dx {dr[0][0]:R}");
    }

    private static LoadedMethod Loaded(string key)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Loaded.TryGetValue(key, out var m), key + ": " + batch.Failures.GetValueOrDefault(key));
        return m!;
    }
}
