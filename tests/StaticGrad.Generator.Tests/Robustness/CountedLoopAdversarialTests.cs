using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 15 (issue 18): the spring chain's loops. Two changes, each right only under conditions these methods
/// break one at a time: (1) a value at the top of a loop body read from an array is recomputed by the reverse sweep
/// even when the loop stores into another array or calls a helper, provided no store may alias the array it reads
/// (a fresh local array cannot alias; written array and span parameters are copied into fresh locals by the backward,
/// so the reads of another parameter cannot see their stores, which these methods check against finite differences)
/// and no callee gets an array; (2) a counted loop under <c>i + c &lt; bound</c>, or starting at a value the reverse keeps
/// (<c>j = i + 1</c>), runs its reverse back to its start instead of counting its trips (break, return, index written
/// in the body, zero trips, an index near <c>int.MaxValue</c>, <c>long</c>, nested loops, a start whose variable the
/// loop writes; a loop left by a return, a parameter start under an offset and a start <c>i + 1</c> under an offset
/// keep their trip counters: the return's flag guards the increment, and <c>start + c</c> could wrap). Compiled in one batch; each Backward compared against central finite differences (tolerances of
/// <see cref="FiniteDifferenceCheck"/>), and the pushes and trip counters each backward keeps counted.
/// </summary>
public sealed class CountedLoopAdversarialTests
{
    private const int PointsPerFunction = 3;

    // The helper is not a method under test (its result is a tuple); it is compiled with the callers.
    private const string Helpers = """
        using System;
        using StaticGrad;

        namespace ReviewLoops;

        public static partial class L
        {
            [Differentiable]
            public static (double X, double Y) Pull(double ax, double ay, double bx, double by, double k)
            {
                var dx = bx - ax;
                var dy = by - ay;
                var length = Math.Sqrt((dx * dx) + (dy * dy) + 0.1);
                return (k * dx * (length - 0.5) / length, k * dy * (length - 0.5) / length);
            }
        }
        """;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace ReviewLoops;

        public static partial class L
        {
            // domain: p[8]=-1..1 k=0.5..2
            [Differentiable]
            public static double ChainFresh(double[] p, double k)
            {
                var n = p.Length / 2;
                var f = new double[n];
                var e = 0.0;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i + 1 < n; i++)
                    {
                        var r = Pull(p[2 * i], p[(2 * i) + 1], p[(2 * i) + 2], p[(2 * i) + 3], k);
                        f[i] += r.X;
                        f[i + 1] -= r.Y;
                    }

                    for (var i = 0; i < n; i++)
                    {
                        p[2 * i] = p[2 * i] + (0.1 * f[i]);
                        e += f[i] * p[(2 * i) + 1];
                    }
                }

                return e;
            }

            // domain: p[8]=-1..1 q[4]=-1..1 k=0.5..2
            [Differentiable]
            public static double ChainIntoParameter(double[] p, double[] q, double k)
            {
                var e = 0.0;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i + 1 < q.Length; i++)
                    {
                        var r = Pull(p[2 * i], p[(2 * i) + 1], p[(2 * i) + 2], p[(2 * i) + 3], k);
                        q[i] += r.X;
                        q[i + 1] -= r.Y;
                    }

                    for (var i = 0; i < q.Length; i++)
                    {
                        e += q[i] * q[i] * p[(2 * i) + 1];
                    }
                }

                return e;
            }

            // domain: p[8]=-1..1 q[4]=-1..1 k=0.5..2
            [Differentiable]
            public static double ChainIntoSpan(double[] p, Span<double> q, double k)
            {
                for (var i = 0; i + 1 < q.Length; i++)
                {
                    var r = Pull(p[2 * i], p[(2 * i) + 1], p[(2 * i) + 2], p[(2 * i) + 3], k);
                    q[i + 1] -= r.X * r.Y;
                }

                return (q[3] * q[2]) + p[0];
            }

            // domain: p[8]=-1..1 k=0.5..2
            [Differentiable]
            public static double ChainReadsWhatItStores(double[] p, double k)
            {
                var f = new double[p.Length];
                var e = 0.0;
                for (var i = 0; i < f.Length; i++)
                {
                    f[i] = p[i] * p[i];
                }

                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i + 2 < f.Length; i++)
                    {
                        var r = Pull(f[i], f[i + 1], p[i], p[i + 1], k);
                        f[i + 1] = r.X + r.Y;
                        e += f[i] * r.Y;
                    }
                }

                return e + f[3];
            }

            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double OffsetBreak(double[] a, double x)
            {
                var s = x;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i + 1 < a.Length; i++)
                    {
                        if (i == 3 - t)
                        {
                            break;
                        }

                        s = (s * a[i]) + (a[i + 1] * x);
                    }

                    s = Math.Sin(s);
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double OffsetReturn(double[] a, double x)
            {
                var s = x;
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i + 1 < a.Length; i++)
                    {
                        if (t == 1 && i == 2)
                        {
                            return s * x;
                        }

                        s = (s * a[i + 1]) + (0.5 * x);
                    }
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double OffsetIndexWrittenInBody(double[] a, double x)
            {
                var s = x;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i + 1 < a.Length; i++)
                    {
                        s = (s * a[i]) + x;
                        if (i == t)
                        {
                            i++;
                        }
                    }
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1 n=0..3
            [Differentiable]
            public static double OffsetZeroTrips(double[] a, double x, int n)
            {
                var s = x;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i + 1 < n; i++)
                    {
                        s = (s * a[i]) + (a[i + 1] * x);
                    }

                    s = s * s;
                }

                return s + x;
            }

            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double OffsetNearMaxValue(double[] a, double x)
            {
                var s = x;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = int.MaxValue - 5; i + 2 < int.MaxValue; i++)
                    {
                        s = (s * a[i - (int.MaxValue - 5)]) + x;
                    }
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1 n=0..5
            [Differentiable]
            public static double OffsetLong(double[] a, double x, int n)
            {
                long bound = n;
                var s = x;
                for (var t = 0; t < 2; t++)
                {
                    for (long k = 1; k + 1L < bound; k++)
                    {
                        s = (s * a[(int)k]) + x;
                    }
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1 m=0..3
            [Differentiable]
            public static double OffsetParameterStart(double[] a, double x, int m)
            {
                var s = x;
                for (var t = 0; t < 2; t++)
                {
                    for (var k = m; k + 1 < a.Length; k++)
                    {
                        s = (s * a[k]) + (0.5 * x);
                    }
                }

                return s;
            }

            // domain: p[5]=-1..1 w[5]=0.5..1.5
            [Differentiable]
            public static double PairsFromNext(double[] p, double[] w)
            {
                var e = 0.0;
                for (var i = 0; i < p.Length; i++)
                {
                    for (var j = i + 1; j < p.Length; j++)
                    {
                        var r = p[i] - p[j];
                        e -= w[i] * w[j] / Math.Sqrt((r * r) + 0.1);
                    }
                }

                return e;
            }

            // domain: p[6]=-1..1 x=-1..1
            [Differentiable]
            public static double PairsOffsetNested(double[] p, double x)
            {
                var s = x;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i + 1 < p.Length; i++)
                    {
                        for (var j = i + 1; j + 1 < p.Length; j++)
                        {
                            s = (s * p[j]) + (p[i] * x);
                        }

                        s = Math.Sin(s);
                    }
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double StartVariableWrittenInLoop(double[] a, double x)
            {
                var s = x;
                var m = 0;
                for (var t = 0; t < 3; t++)
                {
                    for (var j = m + 1; j < a.Length; j++)
                    {
                        s = (s * a[j]) + x;
                        m = j % 3;
                    }

                    s = Math.Cos(s);
                }

                return s;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Helpers, Source }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>
    /// How many values the reverse sweep recomputes from an array at the start of a reversed iteration (a line
    /// <c>name = array[…];</c> after the index is stepped back), and how many loops still count their trips.
    /// </summary>
    [Theory]
    [InlineData("L.ChainFresh", 4, 0)]
    [InlineData("L.ChainIntoParameter", 4, 0)]
    [InlineData("L.ChainIntoSpan", 4, 0)]
    // Session 16: the two arguments read from f, which the loop stores into, are read again right before Pull's
    // backward (after the store is undone) rather than at the iteration's start: 2 + 2.
    [InlineData("L.ChainReadsWhatItStores", 4, 0)]
    [InlineData("L.OffsetBreak", 0, 1)]
    [InlineData("L.OffsetReturn", 0, 2)]
    [InlineData("L.OffsetIndexWrittenInBody", 0, 1)]
    [InlineData("L.OffsetZeroTrips", 0, 0)]
    [InlineData("L.OffsetNearMaxValue", 0, 0)]
    [InlineData("L.OffsetLong", 0, 0)]
    [InlineData("L.OffsetParameterStart", 0, 1)]
    [InlineData("L.PairsFromNext", 0, 0)]
    [InlineData("L.PairsOffsetNested", 0, 1)]
    [InlineData("L.StartVariableWrittenInLoop", 0, 1)]
    public void Recomputed_values_and_trip_counters(string key, int recomputedFromArrays, int tripCounters)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var reverse = source[source.IndexOf("// Reverse sweep", StringComparison.Ordinal)..];
        var recomputed = Regex.Matches(reverse, @"(?m)^\s*_?_?argument\w* = \w+\[[^\]]+\];").Count;
        var counters = Regex.Matches(source, @"(?m)^\s*_n\d+(_\d+)?\+\+;").Count;
        Assert.True(recomputedFromArrays == recomputed && tripCounters == counters,
            $"{key}: {recomputed} values recomputed from arrays (expected {recomputedFromArrays}), {counters} trip counters (expected {tripCounters})\n{source}");
    }
}
