using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// Adversarial shapes for loops in registers (issue 18, session 12): loops written the way users write them that sit
/// at the edge of the conditions under which a counted loop's reverse runs until its index is back at its start
/// (index written in the body, break / continue / early return, a bound or start that changes, an index read or
/// reused after the loop, nested loops whose inner start is the outer index, decrementing loops, steps of 2, zero
/// trips, long indices near the top of their range, float), and scalars moved to block-local copies and read after a
/// break. Each is checked against central finite differences, Backward and Tangent, with the tolerances of
/// <see cref="FiniteDifferenceCheck"/> (double: step 1e-6·max(1,|x|), |g − fd| ≤ 1e-6·max(1,|fd|) + rounding;
/// float: step 1e-3, relative 2e-3). Branches depend on integers or on values far from their thresholds, so the
/// finite differences never straddle one.
/// </summary>
public sealed class RegisterLoopAdversarialTests
{
    private const int PointsPerFunction = 5;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Adversarial
        {
            // The body skips an element: the index is written in the body as well as by the step.
            // domain: a[7]=-1..1 n=1..3
            [Differentiable]
            public static double IndexInBody(double[] a, int n)
            {
                var s = 1.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s = s * 0.5 + a[i] * s;
                    if (i % 3 == n % 3)
                    {
                        i++;
                    }
                }

                return s;
            }

            // continue: the step still runs, the loop stays counted.
            // domain: a[7]=-1..1 n=1..3
            [Differentiable]
            public static double ContinueInFor(double[] a, int n)
            {
                var s = 0.5;
                for (var i = 0; i < a.Length; i++)
                {
                    if (i % 2 == n % 2)
                    {
                        continue;
                    }

                    s = s * a[i] + a[i] * a[i];
                }

                return s * s;
            }

            // break: the index declared outside and read after the loop, where it is the break's or the bound's.
            // domain: a[6]=-1..1 n=1..8
            [Differentiable]
            public static double BreakIndexAfter(double[] a, int n)
            {
                var s = 0.25;
                int i;
                for (i = 0; i < a.Length; i++)
                {
                    s = s * 0.5 + a[i] * a[i] * s + a[i];
                    if (i >= n)
                    {
                        break;
                    }
                }

                return s * a[Math.Min(i, a.Length - 1)];
            }

            // An early return inside a counted-looking loop, inside an outer loop.
            // domain: a[6]=-1..1 x=0.5..1.5 n=0..7
            [Differentiable]
            public static double EarlyReturn(double[] a, double x, int n)
            {
                var s = x;
                for (var k = 0; k < 2; k++)
                {
                    for (var i = 0; i < a.Length; i++)
                    {
                        s = s * x * 0.5 + a[i];
                        if ((k * a.Length) + i == n)
                        {
                            return s * s;
                        }
                    }
                }

                return s;
            }

            // The bound shrinks in the body: the trip count is still the index's distance from its start.
            // domain: a[7]=-1..1 n=0..4
            [Differentiable]
            public static double BoundChanged(double[] a, int n)
            {
                var s = 1.0;
                var m = a.Length;
                for (var i = 0; i < m; i++)
                {
                    s = s * a[i] + 0.5 * s;
                    if (i == n)
                    {
                        m = m - 2;
                    }
                }

                return s;
            }

            // The start is a local the loop changes (trip counter), then a parameter changed after the loop: kept by
            // the reverse sweep, which undoes n = n + 1 before the loops' reverses, so both run back to it (session 15).
            // domain: a[7]=-1..1 n=0..3
            [Differentiable]
            public static double StartChanged(double[] a, int n)
            {
                var s = 1.0;
                var k = n;
                for (var i = k; i < a.Length; i++)
                {
                    s = s * a[i] + s * 0.25;
                    k = k + 1;
                }

                for (var i = n; i < a.Length; i++)
                {
                    s = s * 0.5 + a[i] * a[k - 1];
                }

                n = n + 1;
                for (var i = n; i < a.Length; i++)
                {
                    s = s * a[i] + 0.125;
                }

                return s;
            }

            // The inner start is the outer index (kept by the reverse sweep, so run back to it since session 15), a
            // parameter, zero with the outer index as bound.
            // domain: a[5]=-1..1 n=0..3
            [Differentiable]
            public static double Triangles(double[] a, int n)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    for (var j = i; j < a.Length; j++)
                    {
                        s = s * 0.5 + a[i] * a[j];
                    }

                    for (var j = n; j < a.Length; j++)
                    {
                        s = s * 0.75 + a[j] * a[i] * s;
                    }

                    for (var j = 0; j < i; j++)
                    {
                        s = s + a[j] * a[i - j - 1] * s * 0.5;
                    }
                }

                return s;
            }

            // Decrementing loops and steps of 2, 3 and i += 1 / ++i written out.
            // domain: a[7]=-1..1
            [Differentiable]
            public static double Steps(double[] a)
            {
                var s = 1.0;
                for (var i = a.Length - 1; i >= 0; i--)
                {
                    s = s * a[i] + 0.5 * s;
                }

                for (var i = 0; i < a.Length; i += 2)
                {
                    s = s * 0.5 + a[i] * s;
                }

                for (var i = 1; i < a.Length; i += 3)
                {
                    s = s * a[i] + 0.25;
                }

                for (var i = 0; i < a.Length; i += 1)
                {
                    s = s * 0.5 + a[i] * a[i];
                }

                for (var i = 2; i < a.Length; ++i)
                {
                    s = s * a[i] + s * 0.5;
                }

                return s;
            }

            // No trips: a start above the bound, a start equal to it, a start from a parameter that may pass it.
            // domain: a[4]=-1..1 n=1..6
            [Differentiable]
            public static double ZeroTrips(double[] a, int n)
            {
                var s = a[0];
                for (var i = 9; i < a.Length; i++)
                {
                    s = s * a[i] + 1.0;
                }

                for (var i = a.Length; i < a.Length; i++)
                {
                    s = s * a[i] + 2.0;
                }

                for (var i = n; i < a.Length; i++)
                {
                    s = s * a[i] + 0.5 * s;
                }

                for (var i = 0; i < n - 3; i++)
                {
                    s = s * a[i] + a[i];
                }

                return s * s;
            }

            // One index for three loops, read between them: each later reassignment must give it back.
            // domain: a[6]=-1..1 n=1..5
            [Differentiable]
            public static double SharedIndex(double[] a, int n)
            {
                var s = 0.5;
                var i = 0;
                for (; i < n; i++)
                {
                    s = s * a[i] + a[i];
                }

                s = s * a[i];
                for (i = 0; i < a.Length; i++)
                {
                    s = s * 0.5 + a[i] * s;
                }

                s = s * a[i - 1];
                i = i / 2;
                s = s * a[i];
                for (i = 1; i < a.Length; i++)
                {
                    s = s * a[i] + s * 0.25;
                }

                return s * a[i - 2];
            }

            // An inner while loop counting like a for, its index halved after it and read by the outer loop.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double WhileCounting(double[] a)
            {
                var s = 1.0;
                var o = 0;
                while (o < 3)
                {
                    var j = 0;
                    while (j < a.Length)
                    {
                        s = s * 0.5 + a[j] * a[o] * s;
                        j++;
                    }

                    j = j / 4;
                    s = s * a[j] + 0.25;
                    j = 2;
                    while (j < a.Length)
                    {
                        s = s * a[j] + s * 0.125;
                        j += 1;
                    }

                    o = o + 1;
                }

                return s;
            }

            // A while loop that breaks before its increment, and one that continues after it.
            // domain: a[6]=-1..1 n=0..7
            [Differentiable]
            public static double WhileJumps(double[] a, int n)
            {
                var s = 1.0;
                var i = 0;
                while (i < a.Length)
                {
                    if (i == n)
                    {
                        break;
                    }

                    s = s * a[i] + 0.5 * s;
                    i = i + 1;
                }

                var j = 0;
                while (j < a.Length)
                {
                    j = j + 1;
                    if (j % 2 == 0)
                    {
                        continue;
                    }

                    s = s * 0.5 + a[j - 1] * s;
                }

                return s * a[Math.Min(i, a.Length - 1)];
            }

            // Long indices near the top of their range, a negative start, a bound of int.MaxValue reached by a break.
            // domain: a[5]=-1..1 n=1..4
            [Differentiable]
            public static double Bounds(double[] a, int n)
            {
                var s = 1.0;
                for (var i = int.MaxValue - 4; i < int.MaxValue; i++)
                {
                    s = s * a[i - (int.MaxValue - 4)] + 0.5 * s;
                }

                for (long i = long.MaxValue - 3; i < long.MaxValue; i++)
                {
                    s = s * 0.5 + a[(int)(i - (long.MaxValue - 3))] * s;
                }

                for (var i = -3; i < 2; i++)
                {
                    s = s * a[i + 3] + 0.25;
                }

                for (var i = n - 1; i < int.MaxValue; i++)
                {
                    s = s * a[i] + s * 0.5;
                    if (i + 1 >= a.Length)
                    {
                        break;
                    }
                }

                for (long i = 0; i < n; i++)
                {
                    s = s * a[(int)i] + 0.125;
                }

                return s;
            }

            // Float: a counted dot product, a nested triangle and a decrementing loop.
            // domain: a[6]=-1..1 x=0.5..1.5 n=0..3
            [Differentiable]
            public static float FloatLoops(float[] a, float x, int n)
            {
                var s = x;
                for (var i = n; i < a.Length; i++)
                {
                    s = s * 0.5f + a[i] * x;
                }

                for (var i = 0; i < a.Length; i++)
                {
                    for (var j = i; j < a.Length; j++)
                    {
                        s = s * 0.75f + a[i] * a[j] * 0.5f;
                    }
                }

                for (var i = a.Length - 1; i >= n; i--)
                {
                    s = s * a[i] + x;
                }

                return s;
            }

            // Arrays written in the loop and scalars read after it.
            // domain: a[6]=-1..1 x=0.5..1.5
            [Differentiable]
            public static double ArraysAndScalars(double[] a, double x)
            {
                var b = new double[a.Length];
                var s = x;
                var last = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    b[i] = s;
                    last = a[i] * s;
                    s = s * 0.5 + last;
                }

                var t = 0.0;
                for (var i = 1; i < a.Length; i++)
                {
                    b[i] = b[i] * b[i - 1] + t;
                    t = t * 0.5 + b[i];
                }

                return s * b[a.Length - 1] + last * last + t;
            }

            // A scalar in a block-local copy read after a break of the loop and after the loop's enclosing loop.
            // domain: a[6]=-1..1 x=0.5..1.5 n=0..5
            [Differentiable]
            public static double CopiedAfterBreak(double[] a, double x, int n)
            {
                var s = x;
                var last = 0.0;
                var kept = 0.0;
                for (var k = 0; k < 2; k++)
                {
                    for (var i = 0; i < a.Length; i++)
                    {
                        last = a[i] * s + x;
                        s = s * 0.5 + last * 0.25;
                        if (i == n)
                        {
                            kept = last * s;
                            break;
                        }
                    }

                    s = s + last * kept;
                }

                return s + (last * last) + kept;
            }

            // A local function whose parameter has the name of the method's, used as a loop start.
            // domain: a[6]=-1..1 n=0..3
            [Differentiable]
            public static double LocalStart(double[] a, int n)
            {
                double Tail(double[] v, int n)
                {
                    var t = 0.0;
                    for (var i = n; i < v.Length; i++)
                    {
                        t = t * 0.5 + v[i] * v[i];
                    }

                    return t;
                }

                return Tail(a, n + 1) * Tail(a, n) + Tail(a, 0);
            }

            // A start cast from a differentiable parameter that is never assigned.
            // domain: a[6]=-1..1 x=1.2..2.8
            [Differentiable]
            public static double CastStart(double[] a, double x)
            {
                var s = x;
                for (var i = (int)x; i < a.Length; i++)
                {
                    s = s * a[i] + x * 0.5;
                }

                for (var i = (int)(x * 2.0) - 1; i < a.Length; i++)
                {
                    s = s * 0.5 + a[i] * s;
                }

                return s;
            }

            // foreach with continue and break (lowered to a hidden index), then an index bumped by a local function.
            // domain: a[6]=-1..1 n=0..5
            [Differentiable]
            public static double ForeachAndLocal(double[] a, int n)
            {
                var s = 1.0;
                var seen = 0;
                foreach (var v in a)
                {
                    seen++;
                    if (seen % 2 == 0)
                    {
                        continue;
                    }

                    s = s * v + 0.5 * s;
                }

                foreach (var v in a)
                {
                    s = s * 0.5 + v * s;
                    if (seen++ >= 6 + n)
                    {
                        break;
                    }
                }

                for (var i = 0; i < a.Length; i++)
                {
                    void Skip() => i++;
                    s = s * a[i] + 0.25 * s;
                    if (i == n)
                    {
                        Skip();
                    }
                }

                return s;
            }

            // A post-increment inside the index expression, locals named like the copies, and a copy read in the guard.
            // domain: a[6]=-1..1 x=0.5..1.5
            [Differentiable]
            public static double PostIncrement(double[] a, double x)
            {
                var s = x;
                var _s = 0.5;
                var __s = 0.25;
                var i = 0;
                while (i < a.Length && s < 1e6)
                {
                    s = s * a[i++] + _s * x;
                    _s = _s * 0.5 + __s;
                    __s = __s + s * 0.01;
                }

                return s + (_s * __s);
            }

            // After a counted loop its index is reset under NoGrad, conditionally, and by a loop of its own.
            // domain: a[6]=-1..1 n=1..5
            [Differentiable]
            public static double IndexReassigned(double[] a, int n)
            {
                var s = 0.5;
                var i = 0;
                for (; i < n; i++)
                {
                    s = s * a[i] + a[i] * 0.5;
                }

                using (Autograd.NoGrad())
                {
                    i = 0;
                }

                s = s * a[i];
                for (i = 1; i < a.Length; i++)
                {
                    s = s * 0.5 + a[i] * s;
                }

                if (n % 2 == 0)
                {
                    i = n;
                }

                s = s * a[i - 1];
                for (i = 0; i < n; i++)
                {
                    s = s + a[i] * s * 0.25;
                }

                while (i > 1)
                {
                    i = i - 2;
                    s = s * a[i] + 0.125;
                }

                return s * a[i];
            }

            // An outer loop with a local array written whole in each iteration (reversed iteration by iteration),
            // inner counted loops reading it, and a ref local into another array.
            // domain: a[5]=-1..1 x=0.5..1.5
            [Differentiable]
            public static double PrivateArrays(double[] a, double x)
            {
                var s = x;
                var b = new double[a.Length];
                for (var k = 0; k < 3; k++)
                {
                    var tmp = new double[a.Length];
                    for (var i = 0; i < a.Length; i++)
                    {
                        tmp[i] = a[i] * s;
                    }

                    for (var i = 0; i < a.Length; i++)
                    {
                        s = s * 0.5 + tmp[i] * tmp[i] * 0.25;
                    }

                    ref var r = ref b[k];
                    for (var i = 0; i < a.Length; i++)
                    {
                        r = r * 0.5 + a[i] * s;
                        b[k] = b[k] * x;
                    }
                }

                return s + b[0] * b[1] + b[2];
            }

            // Locals named with contextual keywords the generated text also uses (global::, var), written in a loop.
            // domain: a[5]=-1..1 x=0.5..1.5
            [Differentiable]
            public static double ContextualNames(double[] a, double x)
            {
                double global = x;
                double var = 0.5;
                for (int i = 0; i < a.Length; i++)
                {
                    global = global * 0.5 + Math.Sqrt(a[i] * a[i] + 1.0) * var;
                    var = var * x + Math.Exp(a[i]) * Math.Exp(a[i]) * 0.1;
                }

                return global * var;
            }

            // A counted loop whose index runs on in an uncounted loop, then in loops with no derivative work at all.
            // domain: a[6]=-1..1 n=0..4 m=0..3
            [Differentiable]
            public static double IndexRunsOn(double[] a, int n, int m)
            {
                var s = 1.0;
                var i = 0;
                for (; i < n; i++)
                {
                    s = s * a[i] + 0.5 * s;
                }

                for (; i < a.Length; i++)
                {
                    s = s * 0.5 + a[i] * a[i];
                }

                var j = 0;
                for (; j < m; j++)
                {
                    s = s * a[j] + a[j + 1] * s;
                }

                var count = 0;
                for (; j < a.Length; j++)
                {
                    count = count + 1;
                }

                while (j > 2)
                {
                    j = j - 3;
                }

                return s * (1.0 + (0.125 * count)) * a[j];
            }

            // The index is a parameter the loop starts over, and a parameter named like the backward's seed is a start.
            // domain: a[6]=-1..1 i=0..5 seed=0..4
            [Differentiable]
            public static double ParameterIndex(double[] a, int i, int seed)
            {
                var s = a[i];
                for (i = 1; i < a.Length; i++)
                {
                    s = s * a[i] + 0.5 * s;
                }

                for (var k = seed; k < a.Length; k++)
                {
                    s = s * 0.5 + a[k] * s;
                }

                return s * a[i - 1];
            }

            // A two-variable loop: the index and a second counter advanced in the step.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double TwoCounters(double[] a)
            {
                var s = 1.0;
                for (int i = 0, j = a.Length - 1; i < a.Length; i++, j--)
                {
                    s = s * a[i] + a[j] * 0.5;
                }

                return s;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertGradientMatchesFiniteDifferences(s_methods.Single(m => m.Key == key), PointsPerFunction);
    }

    private const string HessianSource = """
        using System;
        using StaticGrad;

        namespace Samples;

        public static partial class CountedLoops
        {
            [Differentiable(Hessian = true)]
            public static double F(double[] a, double x, int n)
            {
                var s = x;
                for (var i = 0; i < a.Length; i++)
                {
                    for (var j = i; j < a.Length; j++)
                    {
                        s = s * 0.5 + a[i] * a[j] * x;
                    }
                }

                var k = 0;
                for (; k < n; k++)
                {
                    s = s * a[k] + x * s * 0.25;
                }

                s = s * a[k];
                for (k = n; k < a.Length; k++)
                {
                    s = s + Math.Sin(a[k] * s);
                }

                var t = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    t = t * x + a[i];
                    if (i == n + 1)
                    {
                        break;
                    }
                }

                return s * t;
            }
        }

        public static class Check
        {
            public static void G(double[] p, double[] g) => CountedLoops.FBackward(p[..4], p[4], 2, g.AsSpan(0, 4), ref g[4]);
            public static double Hv(double[] p, double[] v, double[] hv) => CountedLoops.FHessianVector(p[..4], p[4], 2, v.AsSpan(0, 4), v[4], hv.AsSpan(0, 4), ref hv[4]);
        }
        """;

    /// <summary>
    /// Second order over counted loops (the Hessian differentiates the backward, block-local copies and index-driven
    /// reverse loops included): H·v against central differences of the generated gradient, step 1e-5, tolerance
    /// 1e-6·max(1, |fd|), as <c>HessianTests</c>.
    /// </summary>
    [Fact]
    public void Hessian_vector_product_over_counted_loops_matches_finite_differences_of_the_gradient()
    {
        var output = StaticGrad.Generator.Tests.Infrastructure.GeneratorHarness.Run(HessianSource);
        StaticGrad.Generator.Tests.Infrastructure.GeneratorHarness.AssertClean(output);
        var check = StaticGrad.Generator.Tests.Infrastructure.GeneratorHarness.Load(output.OutputCompilation).GetType("Samples.Check")!;
        double[] Gradient(double[] point)
        {
            var g = new double[point.Length];
            check.GetMethod("G")!.Invoke(null, new object[] { point, g });
            return g;
        }

        var p = new[] { 0.3, -0.7, 0.5, 0.9, 0.8 };
        var random = new Random(29);
        const double step = 1e-5;
        const double tolerance = 1e-6;
        for (var trial = 0; trial < 3; trial++)
        {
            var v = p.Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var hv = new double[p.Length];
            check.GetMethod("Hv")!.Invoke(null, new object[] { p, v, hv });
            var plus = Gradient(p.Zip(v, (q, d) => q + (step * d)).ToArray());
            var minus = Gradient(p.Zip(v, (q, d) => q - (step * d)).ToArray());
            for (var i = 0; i < p.Length; i++)
            {
                var fd = (plus[i] - minus[i]) / (2 * step);
                Assert.True(Math.Abs(hv[i] - fd) <= tolerance * Math.Max(1, Math.Abs(fd)), $"(H·v)[{i}] = {hv[i]:R} but finite differences of the gradient give {fd:R}");
            }
        }
    }

    private const string InitializerSource = """
        using System;
        using StaticGrad;

        namespace Samples;

        public struct P
        {
            public double x;
            public double y;
        }

        public static partial class Orbits
        {
            [Differentiable]
            public static P Step(P p, double h)
            {
                var half = p.y - (h * p.x);
                return new P { x = p.x + (h * half), y = half };
            }

            // Scalar locals named like the struct's fields, written in the loop that builds the struct.
            [Differentiable]
            public static double Orbit(double[] a, double h)
            {
                var x = 1.0;
                var y = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    var q = Step(new P { x = x + a[i], y = y * a[i] }, h);
                    x = q.x;
                    y = q.y;
                }

                return (x * x) + y;
            }
        }

        public static class Check
        {
            public static double F(double[] p) => Orbits.Orbit(p[..4], p[4]);
            public static void G(double[] p, double[] g) => Orbits.OrbitBackward(p[..4], p[4], g.AsSpan(0, 4), ref g[4]);
        }
        """;

    /// <summary>
    /// Locals named like the members of an object initializer (and a named argument's name) in a loop's text: the
    /// generated code compiles and the gradient matches central differences, step 1e-6, tolerance 1e-6·max(1, |fd|).
    /// </summary>
    [Fact]
    public void Locals_named_like_initializer_members_keep_a_loop_that_compiles_and_differentiates()
    {
        var output = StaticGrad.Generator.Tests.Infrastructure.GeneratorHarness.Run(InitializerSource);
        StaticGrad.Generator.Tests.Infrastructure.GeneratorHarness.AssertClean(output);
        var check = StaticGrad.Generator.Tests.Infrastructure.GeneratorHarness.Load(output.OutputCompilation).GetType("Samples.Check")!;
        var p = new[] { 0.3, -0.7, 0.5, 0.9, 0.2 };
        var g = new double[p.Length];
        check.GetMethod("G")!.Invoke(null, new object[] { p, g });
        const double step = 1e-6;
        for (var i = 0; i < p.Length; i++)
        {
            var plus = (double[])p.Clone();
            var minus = (double[])p.Clone();
            plus[i] += step;
            minus[i] -= step;
            var fd = ((double)check.GetMethod("F")!.Invoke(null, new object[] { plus })! - (double)check.GetMethod("F")!.Invoke(null, new object[] { minus })!) / (2 * step);
            Assert.True(Math.Abs(g[i] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"g[{i}] = {g[i]:R} but central differences give {fd:R}");
        }
    }

    /// <summary>
    /// That the shapes above do reach the optimisation: how many loops of the backward keep a trip counter and how
    /// many reverse loops run until their index is back at its start (<c>while (i &gt; start)</c>).
    /// </summary>
    [Theory]
    [InlineData("Adversarial.ContinueInFor", 0, 1)]
    [InlineData("Adversarial.BoundChanged", 0, 1)]
    [InlineData("Adversarial.IndexInBody", 1, 0)]
    [InlineData("Adversarial.StartChanged", 1, 2)]
    [InlineData("Adversarial.Triangles", 0, 4)]
    [InlineData("Adversarial.SharedIndex", 0, 3)]
    [InlineData("Adversarial.WhileCounting", 0, 3)]
    [InlineData("Adversarial.ZeroTrips", 1, 3)]
    [InlineData("Adversarial.Bounds", 1, 4)]
    [InlineData("Adversarial.CastStart", 0, 2)]
    [InlineData("Adversarial.IndexReassigned", 1, 3)]
    public void Backward_counts_by_index_where_it_may(string key, int counters, int byIndex)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var body = source[source.IndexOf("// Reverse sweep", StringComparison.Ordinal)..];
        var counterLoops = Regex.Matches(body, @"for \(; _n\d+(?:_\d+)? > 0; _n\d+(?:_\d+)?--\)").Count;
        var indexLoops = Regex.Matches(body, @"while \([A-Za-z_][A-Za-z0-9_]* > .+\)\r?\n\s*\{\r?\n\s*[A-Za-z_][A-Za-z0-9_]* -= 1L?;").Count;
        Assert.True(counterLoops == counters && indexLoops == byIndex, $"{key}: {counterLoops} loops with a trip counter (expected {counters}), {indexLoops} run by their index (expected {byIndex}).\n{body}");
    }
}
