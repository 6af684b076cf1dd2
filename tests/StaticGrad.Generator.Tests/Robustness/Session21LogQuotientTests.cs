using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial cases for session 21's rule ∂log(a/b) = da/a − db/b (<c>Derivatives/LogQuotientRule.cs</c>), in the
/// reverse sweep, the forward-mode Backward, the Tangent and the Hessian (the reverse of the tangent): one side active,
/// both, float, compound and shared operands, quotients of quotients, loops with early returns; against central finite
/// differences (<see cref="FiniteDifferenceCheck"/>: double |g − fd| ≤ 1e-6·max(1, |fd|) + rounding bound, float
/// 2e-3). Then the ranges the chain through the quotient got wrong: a/b overflowing or underflowing (the primal ±∞,
/// the partials finite), a = 0, a and b of opposite signs (NaN primal: the partials of log|a/b|), tiny and subnormal
/// operands, each against the exact partials 1/a and −1/b. Hessians against central differences of the Backward
/// gradient (<see cref="HessianProbeCheck"/>: h = 1e-5, 1e-5·max(1, |fd|)). One compilation.
/// </summary>
public sealed class Session21LogQuotientTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Review21;

        public static partial class L
        {
            // domain: a=0.5..3 b=0.5..3
            [Differentiable]
            public static double Ratio(double a, double b) => Math.Log(a / b);

            // domain: a=0.5..3 b=0.5..3
            [Differentiable]
            public static double NumeratorOnly(double a, [NoGrad] double b) => Math.Log(a / b) * a;

            // domain: a=0.5..3 b=0.5..3
            [Differentiable]
            public static double DenominatorOnly([NoGrad] double a, double b) => Math.Log(a / b) * b;

            // domain: a=0.5..3 b=0.5..3
            [Differentiable]
            public static float RatioF(float a, float b) => MathF.Log(a / b) + (a * b);

            // Compound operands sharing a variable.
            // domain: a=0.5..3 b=0.5..3
            [Differentiable]
            public static double Compound(double a, double b) => Math.Log((a + (b * b)) / ((a * b) + 1.0));

            // log(x/x) = 0: the partials cancel.
            // domain: a=0.5..3 b=0.5..3
            [Differentiable]
            public static double SameOperand(double a, double b) => Math.Log(a / a) + b;

            // A quotient of quotients and a logarithm of a logarithm's quotient.
            // domain: a=1.5..3 b=0.5..1.2 c=0.5..2
            [Differentiable]
            public static double Nested(double a, double b, double c) => Math.Log((a / b) / c) + Math.Log(Math.Log(a) / b);

            // In a loop over an array, with an early return.
            // domain: x[6]=0.5..2 limit=1..50
            [Differentiable]
            public static double InLoop(double[] x, [NoGrad] double limit)
            {
                var s = 0.0;
                for (var i = 0; i + 1 < x.Length; i++)
                {
                    s += Math.Log(x[i] / x[i + 1]) * x[i];
                    if (s > limit)
                    {
                        return s * 2.0;
                    }
                }

                return s;
            }

            // One input, overwritten (forward mode with the unit tangent), log of a compound quotient in a loop.
            // domain: x=0.5..2
            [Differentiable]
            public static double ForwardMode(double x)
            {
                var y = x;
                for (var k = 1; k <= 3; k++)
                {
                    y = y + Math.Log((x + k) / ((x * k) + 1.0));
                }

                return y;
            }

            // domain: x=0.5..2
            [Differentiable]
            public static float ForwardModeF(float x)
            {
                var y = x;
                y = (y * x) + MathF.Log((x + 2f) / ((x * x) + 1f));
                return y;
            }

            // Tiny operands (1e-300): the quotient is ordinary, the partials 1/a, −1/b large.
            // domain: a=0.5..2 b=0.5..2
            [Differentiable]
            public static double Tiny(double a, double b) => Math.Log((1e-300 * a) / (1e-300 * b));

            // Huge numerator, tiny denominator: a/b overflows for these ranges (the primal is +∞).
            // domain: a=0.5..2 b=0.5..2
            [Differentiable]
            public static double Overflowing(double a, double b) => Math.Log((1e300 * a) / (1e-10 * b));

            // The log's argument divided in float.
            // domain: a=0.5..2 b=0.5..2
            [Differentiable]
            public static float OverflowingF(float a, float b) => MathF.Log((1e30f * a) / (1e-10f * b));

            // An integer quotient: not the rule's (no derivative flows through it), a double one beside it.
            // domain: a=0.5..2 n=1..5
            [Differentiable]
            public static double IntegerQuotient(double a, int n) => Math.Log(n / 2 + 1.0) * a + Math.Log(a / n);

            // Log10 of a quotient keeps the table's chain rule (not this rule), as a control.
            // domain: a=0.5..3 b=0.5..3
            [Differentiable]
            public static double Log10Control(double a, double b) => Math.Log10(a / b);

            // A Tangent (Forward = true) and a Hessian over log(a/b).
            // domain: a=0.5..3 b=0.5..3
            [Differentiable(Forward = true, Hessian = true)]
            public static double Hess(double a, double b) => (Math.Log(a / b) * a * b) + Math.Log(a / (b + 1.0));

            // domain: x[3]=0.5..2
            [Differentiable(Hessian = true)]
            public static double HessLoop(double[] x)
            {
                var s = 0.0;
                for (var i = 0; i + 1 < x.Length; i++)
                {
                    s += Math.Log(x[i] / (x[i + 1] * x[i + 1])) * x[i + 1];
                }

                return s;
            }

            public static double[] ProbeGradient(double[] p)
            {
                double da = 0, db = 0;
                HessBackward(p[0], p[1], ref da, ref db);
                return new[] { da, db };
            }

            public static double[] ProbeHessian(double[] p)
            {
                var h = new double[4];
                HessHessian(p[0], p[1], h);
                return h;
            }

            public static double ProbeTangent(double[] p, double ta, double tb) => HessTangent(p[0], p[1], ta, tb).Tangent;

            public static double[] ProbeLoopGradient(double[] p)
            {
                var g = new double[p.Length];
                HessLoopBackward(p, g);
                return g;
            }

            public static double[] ProbeLoopHessian(double[] p)
            {
                var h = new double[p.Length * p.Length];
                HessLoopHessian(p, h);
                return h;
            }
        }
        """;

    private static readonly string[] s_rangeCases = { "Overflowing", "OverflowingF" };

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods, nullableAnalysis: false));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => !s_rangeCases.Contains(m.Name)));

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>The rule is taken: the reverse sweep divides the adjoint by each operand, not by the quotient.</summary>
    [Theory]
    [InlineData("L.Ratio", "/ a;", "/ b;")]
    [InlineData("L.ForwardMode", "1.0 / (x + (double)k)", null)]
    public void Rule_is_taken(string key, string first, string? second)
    {
        var source = s_batch.Value.GeneratedSource[key];
        Assert.True(source.Contains(first, StringComparison.Ordinal) && (second is null || source.Contains(second, StringComparison.Ordinal)), key + ":\n" + source);
        Assert.DoesNotContain("/ (a / b)", source, StringComparison.Ordinal);
    }

    /// <summary>
    /// The exact partials 1/a and −1/b where the chain through the quotient failed or the primal is not finite:
    /// a/b overflowing (+∞ primal), underflowing to 0 (−∞), a = 0, opposite signs (NaN), subnormal operands.
    /// </summary>
    [Theory]
    [InlineData(1e300, 1e-10)]
    [InlineData(1e-200, 1e200)]
    [InlineData(0.0, 2.0)]
    [InlineData(2.0, -3.0)]
    [InlineData(-2.0, 3.0)]
    [InlineData(1e-310, 3e-310)]
    [InlineData(5e-324, 1.0)]
    [InlineData(1e308, 1e308)]
    public void Exact_partials_where_the_quotient_is_out_of_range(double a, double b)
    {
        var loaded = Loaded("L.Ratio");
        var adjoints = new[] { new[] { 0.0 }, new[] { 0.0 } };
        loaded.Backward(new[] { new[] { a }, new[] { b } }, adjoints, 1.0);
        Assert.Equal(1.0 / a, adjoints[0][0]);
        Assert.Equal(-1.0 / b, adjoints[1][0]);
    }

    /// <summary>The scaled cases: a/b overflows in the method (1e310/b, float 1e40/b), the partials are 1/a and −1/b.</summary>
    [Theory]
    [InlineData("L.Overflowing", 1.5, 0.75, 1e-6)]
    [InlineData("L.OverflowingF", 1.5, 0.75, 1e-6)]
    public void Overflowing_quotient_has_finite_partials(string key, double a, double b, double tolerance)
    {
        var loaded = Loaded(key);
        Assert.True(double.IsPositiveInfinity(loaded.Primal(new[] { new[] { a }, new[] { b } })));
        var adjoints = new[] { new[] { 0.0 }, new[] { 0.0 } };
        loaded.Backward(new[] { new[] { a }, new[] { b } }, adjoints, 1.0);
        Assert.True(Math.Abs(adjoints[0][0] - (1.0 / a)) <= tolerance && Math.Abs(adjoints[1][0] + (1.0 / b)) <= tolerance, key + ": " + adjoints[0][0] + ", " + adjoints[1][0]);
    }

    /// <summary>The Hessians against central differences of the Backward gradient, and the Tangent against the gradient.</summary>
    [Theory]
    [InlineData(0.7, 1.3)]
    [InlineData(2.5, 0.6)]
    [InlineData(1.0, 1.0)]
    public void Hessian_and_tangent_match(double a, double b)
    {
        var type = s_batch.Value.Output!.Value.Assembly.GetType("Review21.L")!;
        double[] Call(string name, double[] p) => (double[])type.GetMethod(name)!.Invoke(null, new object[] { p })!;
        var point = new[] { a, b };
        var problems = HessianProbeCheck.Problems(p => Call("ProbeGradient", p), point, Call("ProbeHessian", point));
        var loop = new[] { a, b, a * b };
        problems.AddRange(HessianProbeCheck.Problems(p => Call("ProbeLoopGradient", p), loop, Call("ProbeLoopHessian", loop)));
        var gradient = Call("ProbeGradient", point);
        var tangent = (double)type.GetMethod("ProbeTangent")!.Invoke(null, new object[] { point, 0.3, -1.1 })!;
        var expected = (0.3 * gradient[0]) - (1.1 * gradient[1]);
        Assert.True(problems.Count == 0 && Math.Abs(tangent - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), string.Join("\n", problems) + $"\ntangent {tangent:R}, expected {expected:R}");
    }

    private static LoadedMethod Loaded(string key)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Loaded.TryGetValue(key, out var m), key + ": " + batch.Failures.GetValueOrDefault(key));
        return m!;
    }
}
