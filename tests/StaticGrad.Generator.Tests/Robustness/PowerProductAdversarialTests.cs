using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 19 (issue 18): products of one value with itself and numeric constants differentiated as one term
/// (<c>Derivatives/PowerProductRule.cs</c>, <c>ReverseModeTransformer.PowerProducts.cs</c>: <c>c·v·v</c> → <c>2c·v·g</c>,
/// <c>v·v·v</c> → <c>3·v·v·g</c>). Cases that try to break it: squares, cubes and fourth powers in double and float,
/// constants on either side and between the reads, negative constants and coefficients ±1, constants whose folded
/// coefficient overflows or underflows (the product rule stays) or whose product is moderate (1e308·1e-300: folded),
/// the same value read through another local (not the same text: the product rule), elements and composite values (<c>(x[i] − x[j])²</c>, <c>(c ? u : v)²</c>,
/// <c>sin(v)²</c>), a helper's call (not pure: the product rule), fused, unfused and nested loops, Rosenbrock, and
/// Jacobian/tuple results. One compilation. Each backward is compared against central finite differences (the
/// tolerances of <see cref="FiniteDifferenceCheck"/>: double step 1e-6, 1e-6 relative; float step 1e-3, 2e-3), and
/// against its own seed-1 gradient scaled by extreme seeds (0, −1, 1e-300, 1e300; float 1e-30, 1e30): within 1e-12
/// (float 1e-5) of s·g relative, where s·g is finite; the Jacobian probes to <see cref="JacobianProbeCheck"/>'s tolerances.
/// </summary>
public sealed class PowerProductAdversarialTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Powers19;

        public static partial class P
        {
            // The benchmark's shape (a fused loop, x[i + 1] carried), the constant between the reads and the sum scaled.
            // domain: x[7]=-1.5..1.5
            [Differentiable]
            public static double Rosenbrock(double[] x)
            {
                var total = 0.0;
                for (var k = 0; k < x.Length - 1; k++)
                {
                    var valley = x[k + 1] - (x[k] * x[k]);
                    total += (valley * 100.0 * valley) + ((1.0 - x[k]) * (1.0 - x[k]));
                }

                return total * 0.5;
            }

            // domain: x[6]=-1.5..1.5
            [Differentiable]
            public static float RosenbrockFloat(float[] x)
            {
                var sum = 0f;
                for (var i = 0; i < x.Length - 1; i++)
                {
                    var valley = x[i + 1] - (x[i] * x[i]);
                    sum += (100f * valley * valley) + ((1f - x[i]) * (1f - x[i]));
                }

                return sum;
            }

            // Cubes: v·v·v, a constant first, last and between the reads.
            // domain: v=-2..2
            [Differentiable]
            public static double Cubes(double v) => (v * v * v) + (0.5 * v * v * v) + (v * 3.0 * v * v) + (v * v * v * -0.25);

            // domain: v=-2..2
            [Differentiable]
            public static float CubesFloat(float v) => (v * v * v * 2f) + (0.1f * v * 3f * v) - (v * v * v);

            // Coefficients ±1 (the literal left out), a negative constant, a constant written as an int.
            // domain: v=-2..2
            [Differentiable]
            public static double UnitCoefficients(double v) => (0.5 * v * v) - (-0.5 * v * v) + (v * -2.0 * v) + (v * 2 * v);

            // A fourth power as a square of squares, and the square of a product of two different values.
            // domain: u=-1.5..1.5 w=-1.5..1.5
            [Differentiable]
            public static double Squares(double u, double w) => ((u * u) * (u * u)) + ((u * w) * (u * w)) + (u * u * w) + (w * u * w * 7.0);

            // Extreme constants whose product is moderate: folded (the constants multiplied first, 2e8, 2, 2).
            // domain: v=0.2..0.8
            [Differentiable]
            public static double ExtremeConstants(double v) => (1e308 * v * v * 1e-300) + (1e-300 * v * v * 1e300) + (1e300 * v * v * 1e-300);

            // The folded coefficient overflows (8e308) or underflows (1e-400): the product rule stays.
            // domain: v=0.01..0.05
            [Differentiable]
            public static double OutOfRangeCoefficients(double v) => (1e308 * v * v * 4.0) + (1e-200 * v * v * 1e-200 * 1e300);

            // The same value through another local: a different text, so the product rule (still right).
            // domain: v=-2..2
            [Differentiable]
            public static double ThroughLocals(double v)
            {
                var w = v;
                var u = w;
                return (100.0 * w * v) + (u * w * v) + (u * u * 3.0);
            }

            // Composite values squared: a difference of elements, a conditional, a builtin call; a helper's call (not pure).
            // domain: x[4]=-1..1
            [Differentiable]
            public static double Composites(double[] x)
            {
                var s = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var j = 0; j < x.Length; j++)
                    {
                        s += 3.0 * (x[i] - x[j]) * (x[i] - x[j]);
                    }
                }

                var p = (x[0] > 0.0 ? x[0] : x[1]) * (x[0] > 0.0 ? x[0] : x[1]) * 2.0;
                var q = Math.Sin(x[2]) * Math.Sin(x[2]) * 0.5;
                return s + p + q + (Half(x[3]) * Half(x[3]) * 4.0);
            }

            [Differentiable]
            public static double Half(double v) => 0.5 * v * v * v;

            // A product accumulated (not linear in the accumulator: not fused), squares inside.
            // domain: a[5]=-1..1
            [Differentiable]
            public static double Unfused(double[] a)
            {
                var p = 1.0;
                for (var i = 0; i < a.Length; i++)
                {
                    p = p * (1.0 + (0.25 * a[i] * a[i])) + (a[i] * a[i] * a[i]);
                }

                return p;
            }

            // Float elements in a fused loop with a scalar weight, v·v·v of an element.
            // domain: a[5]=-1..1 w=-2..2
            [Differentiable]
            public static float FusedFloat(float[] a, float w)
            {
                var s = 0f;
                for (var i = 0; i < a.Length; i++)
                {
                    s += (w * a[i] * a[i] * 0.5f) + (a[i] * a[i] * a[i]) + (w * w);
                }

                return s * 3f;
            }

            // A nested loop whose inner reduction reads the outer element squared.
            // domain: a[4]=-1..1 b[3]=-1..1
            [Differentiable]
            public static double Nested(double[] a, double[] b)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    var t = 0.0;
                    for (var j = 0; j < b.Length; j++)
                    {
                        t += 10.0 * (a[i] - b[j]) * (a[i] - b[j]) * (a[i] - b[j]);
                    }

                    s += t * t;
                }

                return s;
            }
        }
        """;

    /// <summary>Jacobian/tuple results with squares and cubes, in the same compilation (probed, not read as methods under test).</summary>
    private const string JacobianSource = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Powers19;

        public static partial class J
        {
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) Pair(double a, double b) => ((100.0 * a * a) + (b * b * b), (a * b) * (a * b) * 0.5);

            public static double[] PairValue(double[] p) { var v = Pair(p[0], p[1]); return new[] { v.X, v.Y }; }

            public static double[] PairRows(double[] p)
            {
                var d = new double[4];
                var v = PairJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.X, v.Y }.Concat(d).ToArray();
            }

            [Differentiable(Jacobian = true)]
            public static (float X, float Y) PairFloat(float a, float b) => (a * a * a * 4f, 0.5f * b * b - a * a);

            public static double[] PairFloatValue(double[] p) { var v = PairFloat((float)p[0], (float)p[1]); return new double[] { v.X, v.Y }; }

            public static double[] PairFloatRows(double[] p)
            {
                var d = new float[4];
                var v = PairFloatJacobian((float)p[0], (float)p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.X, v.Y }.Concat(d.Select(x => (double)x)).ToArray();
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source, JacobianSource }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>Extreme seeds scale the seed-1 gradient (where the scaled value is finite): nothing is folded out of range.</summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void Extreme_seeds_scale_the_gradient(string key)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Loaded.TryGetValue(key, out var loaded), key + ": " + batch.Failures.GetValueOrDefault(key));
        var method = loaded!.Method;
        var isFloat = method.Parameters.Any(p => p.IsSinglePrecision);
        double[] seeds = isFloat ? [0.0, -1.0, 1e-30, 1e30] : [0.0, -1.0, 1e-300, 1e300];
        var point = FiniteDifferenceCheck.DrawPoint(method, new Random(19));
        var unit = FiniteDifferenceCheck.Zeros(method, point);
        loaded.Backward(FiniteDifferenceCheck.Copy(point), unit, 1.0);
        var problems = new List<string>();
        foreach (var seed in seeds)
        {
            var scaled = FiniteDifferenceCheck.Zeros(method, point);
            loaded.Backward(FiniteDifferenceCheck.Copy(point), scaled, seed);
            for (var i = 0; i < unit.Length; i++)
            {
                for (var j = 0; j < unit[i].Length; j++)
                {
                    var expected = seed * unit[i][j];
                    var slack = ((isFloat ? 1e-5 : 1e-12) * Math.Abs(expected)) + (isFloat ? 1e-40 : 1e-320);
                    if (double.IsFinite(expected) && !(Math.Abs(scaled[i][j] - expected) <= slack))
                    {
                        problems.Add($"seed {seed:R}: adjoint {i}[{j}] {scaled[i][j]:R}, expected {seed:R}·{unit[i][j]:R} = {expected:R}");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, key + ":\n" + string.Join("\n", problems) + "\n" + batch.Describe(method));
    }

    [Theory]
    // case, probe inputs, fields, is float
    [InlineData("Pair", 2, 2, false)]
    [InlineData("PairFloat", 2, 2, true)]
    public void Jacobian_rows_match_central_differences(string name, int inputs, int fields, bool isFloat)
    {
        var batch = s_batch.Value;
        Assert.Null(batch.GeneratorException);
        var problems = JacobianProbeCheck.Problems(batch.Output!.Value.Assembly.GetType("Powers19.J")!, name, 19, inputs, fields, isFloat);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The one-term partials are the ones written (the rule fires where it should, and not through another local or a helper's call).</summary>
    [Fact]
    public void Products_of_one_value_are_one_term()
    {
        var sources = s_batch.Value.GeneratedSource;
        string Of(string key) => sources[key];
        Assert.Contains("200.0 * _valley * ", Of("P.Rosenbrock"), StringComparison.Ordinal);
        Assert.Contains("200f * _valley * ", Of("P.RosenbrockFloat"), StringComparison.Ordinal);
        Assert.Contains("4.0 * u * u * u * ", Of("P.Squares"), StringComparison.Ordinal);
        Assert.DoesNotContain("1.0 * ", Of("P.UnitCoefficients"), StringComparison.Ordinal);
        Assert.Contains("200000000.0 * v * ", Of("P.ExtremeConstants"), StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", Of("P.OutOfRangeCoefficients"), StringComparison.Ordinal);
        // 1e-200·1e-200·1e300·2 is folded exactly (ExactProduct) to 2e-100, the value the product rule's reverse computes
        // too (1e300·g·1e-200·1e-200·v twice); multiplying the constants in order would have passed through zero.
        Assert.Contains("2E-100 * v * ", Of("P.OutOfRangeCoefficients"), StringComparison.Ordinal);
        Assert.DoesNotContain("200.0 * ", Of("P.ThroughLocals"), StringComparison.Ordinal);
    }
}
