using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// The quotient rule from the saved quotient (session 17, <c>Derivatives/QuotientRule.cs</c>): for <c>q = u / v</c> the
/// reverse takes ∂u = g / v once and ∂v = −(g / v)·q from the statement's target, instead of −g·u / (v·v). The
/// adversarial shapes: the target overwritten by the quotient of itself, stores into the array the quotient reads
/// (aliasing), the quotient as a sub-expression (no target), only the denominator active, [NoGrad] numerators, break,
/// continue, early return, zero trips, nested loops, <c>x / Math.Sqrt(r)</c>, float, denominators near 0 of both signs
/// and hostile names. Every method is checked against central finite differences with the tolerances of
/// <see cref="FiniteDifferenceCheck"/> (double |g − fd| ≤ 1e-6·max(1, |fd|) plus the rounding bound, float 2e-3); all
/// methods share one generator run and one compilation. The range test evaluates the backward where the old form's
/// v·v underflowed or overflowed.
/// </summary>
public sealed class QuotientRuleTests
{
    private const int PointsPerFunction = 4;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Quotients
        {
            // domain: u=-2..2 v=0.5..2
            [Differentiable]
            public static double Plain(double u, double v)
            {
                var q = u / v;
                return q * q + q;
            }

            // Denominators near 0, negative side; the numerator's partial and the quotient both large.
            // domain: u=-2..2 v=-0.05..-0.01
            [Differentiable]
            public static double NearZeroNegative(double u, double v)
            {
                var q = u / v;
                return q + 0.001 * q * q;
            }

            // domain: u=-2..2 v=0.01..0.05
            [Differentiable]
            public static double NearZeroPositive(double u, double v)
            {
                var q = (u + v) / (v * v);
                return q;
            }

            // Only the denominator active: −g·q / v.
            // domain: v=0.5..2 c=1..2
            [Differentiable]
            public static double Reciprocal(double v, [NoGrad] double c)
            {
                var r = c / v;
                var s = 1.0 / (v + r);
                return r + s;
            }

            // The target is the quotient's own operand, saved and restored; the quotient of itself in a loop.
            // domain: a[5]=0.5..2 x=0.5..2
            [Differentiable]
            public static double SelfQuotient(double[] a, double x)
            {
                for (int i = 0; i < a.Length; i++)
                {
                    x = x / a[i];
                    x = (x + a[i]) / x;
                }

                return x;
            }

            // Stores into the array the quotient reads, element aliasing a[i] and a[j].
            // domain: a[6]=0.5..2 x=0.5..2
            [Differentiable]
            public static double Stores(double[] a, double x)
            {
                var b = new double[a.Length];
                for (int i = 0; i < a.Length; i++)
                    b[i] = a[i];
                for (int i = 0; i < b.Length; i++)
                {
                    var j = (i * 3) % b.Length;
                    b[i] = b[i] / b[j];
                    b[j] = x / (b[i] + 1.0);
                }

                return b[0] + b[b.Length - 1] * x;
            }

            // Quotients as sub-expressions (no target holds them), break, continue, early return, nested loops.
            // domain: a[6]=-1..1 x=0.5..2 n=0..6
            [Differentiable]
            public static double Control(double[] a, double x, int n)
            {
                double total = 0;
                for (int i = 0; i < n; i++)
                {
                    if (a[i] > 0.8) break;
                    if (a[i] < -0.8) continue;
                    total += a[i] / (x + 1.0) + x / (a[i] + 2.0);
                    for (int j = 0; j < 2; j++)
                    {
                        var t = (total + j) / (x * x + 1.0);
                        total = t;
                    }

                    if (total > 4) return total;
                }

                return total / x;
            }

            // n-body's shape: a quotient by a square root, the square root's partial from its value.
            // domain: p[6]=-1..1
            [Differentiable]
            public static double Field(double[] p)
            {
                double energy = 0;
                for (int i = 0; i < 3; i++)
                {
                    var dx = p[i] - p[i + 3] + 2.0;
                    var r = dx * dx + 0.5;
                    var inv = dx / Math.Sqrt(r);
                    energy += inv;
                }

                return energy;
            }

            // Locals named like the temporaries the rule binds (_t, _y).
            // domain: a[4]=0.5..2 _t0=0.5..2
            [Differentiable]
            public static double HostileNames(double[] a, double _t0)
            {
                double _y0 = 0, _t1 = 1;
                for (int i = 0; i < a.Length; i++)
                {
                    _y0 = _t0 / a[i];
                    _t1 += _y0 * a[i] / (_y0 + 1.0);
                }

                return _t1;
            }

            // domain: u=-2..2 v=0.1..0.3
            [Differentiable]
            public static float FloatNearZero(float u, float v)
            {
                var q = u / v;
                var p = u / -v;
                return q + p * q * 0.01f;
            }

            // domain: a[5]=0.5..2 x=0.5..2
            [Differentiable]
            public static float FloatLoop(float[] a, float x)
            {
                float total = 1;
                for (int i = 0; i < a.Length; i++)
                {
                    var g = x / a[i];
                    total *= g + 1f / a[i];
                }

                return total;
            }

            // NormalCdf's shape: the target assigned in each arm of an if, so each arm's quotient is read from it.
            // domain: x=-2..2 v=0.5..2
            [Differentiable]
            public static double Branches(double x, double v)
            {
                double tail;
                if (x > 0.5) tail = x / v;
                else if (x > -1) tail = v / (x + 2.0);
                else tail = 0.5 / v;
                return x > 0 ? 1.0 - tail : tail;
            }

            // Arms of an if again, but a later assignment outside them overwrites the target, and the arms in a loop.
            // domain: x=-2..2 v=0.5..2 a[4]=-1..1
            [Differentiable]
            public static double BranchesOverwritten(double x, double v, double[] a)
            {
                double tail;
                if (x > 0) tail = x / v;
                else tail = v / (x - 3.0);
                var y = tail * tail;
                tail = y / v;
                for (int i = 0; i < a.Length; i++)
                {
                    if (a[i] > 0) y = a[i] / (y + 1.0);
                    else y = (y - a[i]) / (v + 1.0);
                }

                return tail + y;
            }

            // Range: evaluated directly at magnitudes where v·v underflows or overflows.
            [Differentiable]
            public static double Range(double u, double v) => u / v;

            [Differentiable]
            public static float RangeF(float u, float v) => u / v;

            [Differentiable]
            public static double RangeOnlyV([NoGrad] double u, double v) => u / v;
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);
    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => !m.Name.StartsWith("Range", StringComparison.Ordinal)).ToList());

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertGradientMatchesFiniteDifferences(s_methods.Single(m => m.Key == key), PointsPerFunction);
    }

    /// <summary>
    /// Where −g·u / (v·v) under- or overflowed in v·v although ∂v = −u / v² is finite (double |v| = 1e-160 and 1e200,
    /// float |v| = 1e-25), the partials are finite and equal the closed form to 1e-14 (float 1e-6) relative; both signs.
    /// </summary>
    [Theory]
    [InlineData("Quotients.Range", 1e-200, 1e-160)]
    [InlineData("Quotients.Range", -1e-200, -1e-160)]
    [InlineData("Quotients.Range", 1e300, 1e200)]
    [InlineData("Quotients.Range", 3.0, -1e200)]
    [InlineData("Quotients.RangeF", 1e-30, 1e-25)]
    [InlineData("Quotients.RangeF", 1e-30, -1e-25)]
    [InlineData("Quotients.RangeF", 1e30, 1e25)]
    [InlineData("Quotients.RangeOnlyV", 1e-200, -1e-160)]
    public void Partials_stay_finite_where_the_square_did_not(string key, double u, double v)
    {
        var loaded = s_batch.Value.Loaded[key];
        var isFloat = key.EndsWith('F');
        var adjoints = new[] { new double[1], new double[1] };
        loaded.Backward(new[] { new[] { u }, new[] { v } }, adjoints, 1.0);
        var du = 1.0 / v;
        var dv = -(u / v) / v;
        var tolerance = isFloat ? 1e-6 : 1e-14;
        var onlyV = key.EndsWith("OnlyV", StringComparison.Ordinal);
        Assert.True(double.IsFinite(adjoints[1][0]), $"{key}({u}, {v}): ∂v = {adjoints[1][0]}, expected {dv}");
        Assert.True(Math.Abs(adjoints[1][0] - dv) <= tolerance * Math.Abs(dv), $"{key}({u}, {v}): ∂v = {adjoints[1][0]}, expected {dv}");
        if (!onlyV)
        {
            Assert.True(Math.Abs(adjoints[0][0] - du) <= tolerance * Math.Abs(du), $"{key}({u}, {v}): ∂u = {adjoints[0][0]}, expected {du}");
        }
    }

    /// <summary>
    /// Where a statement's target holds the quotient, the reverse divides once per quotient and squares no denominator:
    /// the counts are the whole backward's (forward sweep included; HostileNames' loop is fused and its second quotient
    /// is a sub-expression, which divides twice).
    /// </summary>
    [Theory]
    [InlineData("Quotients.Plain", 2)]
    [InlineData("Quotients.Reciprocal", 4)]
    [InlineData("Quotients.HostileNames", 5)]
    [InlineData("Quotients.Branches", 6)]
    public void Backward_divides_once_per_saved_quotient(string key, int divisions)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var body = source.Substring(source.IndexOf("// Forward sweep", StringComparison.Ordinal));
        Assert.True(Regex.Matches(body, @" / ").Count == divisions, $"{key}: expected {divisions} divisions.\n{source}");
        Assert.DoesNotMatch(@"\((\w+) \* \1\)", body);
    }
}
