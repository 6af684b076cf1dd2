using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 18 (issue 18): adjoint elements carried across the iterations of a fused loop in registers
/// (<c>ReverseModeTransformer.CarriedElements.cs</c>: the shares of <c>dA[i]</c> and <c>dA[i + 1]</c> in locals, one
/// update of <c>dA</c> per iteration). Cases that try to break it: offsets i − 1, i + 2 and <c>1 + i</c> beside i and
/// i + 1, zero trips, two carried arrays, an element passed to a helper, the array passed whole, a reverse loop, a step
/// of two, two parameters bound to the same array, writes to the array, <c>break</c>/<c>continue</c>, nested loops, the
/// element read only under a condition (the exit update would be out of bounds), an index copied to a local, float.
/// One compiled batch; each backward compared against central finite differences (tolerances of
/// <see cref="FiniteDifferenceCheck"/>), and the carried ones named.
/// </summary>
public sealed class CarriedElementsAdversarialTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Carried18;

        public static partial class C
        {
            // domain: x[7]=-1.5..1.5
            [Differentiable]
            public static double Rosenbrock(double[] x)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length - 1; i++)
                {
                    var valley = x[i + 1] - (x[i] * x[i]);
                    var slope = 1.0 - x[i];
                    sum += (100.0 * valley * valley) + (slope * slope);
                }

                return sum;
            }

            // domain: x[6]=-1.5..1.5
            [Differentiable]
            public static float RosenbrockFloat(float[] x)
            {
                var sum = 0f;
                for (var i = 0; i < x.Length - 1; i++)
                {
                    var valley = x[i + 1] - (x[i] * x[i]);
                    sum += (10f * valley * valley) + ((1f - x[i]) * (1f - x[i]));
                }

                return sum * 0.5f;
            }

            // i - 1 beside i and i + 1: the i - 1 updates go to dA directly.
            // domain: a[7]=-1..1
            [Differentiable]
            public static double OffsetMinusOne(double[] a)
            {
                var s = 0.0;
                for (var i = 1; i < a.Length - 1; i++)
                {
                    var d = a[i + 1] - (2.0 * a[i]) + a[i - 1];
                    s += d * d * a[i];
                }

                return s;
            }

            // i + 2 beside i and i + 1, the bound i + 2 < n.
            // domain: a[8]=-1..1
            [Differentiable]
            public static double OffsetPlusTwo(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i + 2 < a.Length; i++)
                {
                    var t = Math.Sin(a[i + 2] * a[i]) + (a[i + 1] * a[i + 1]);
                    s -= t * a[i + 1];
                }

                return 3.0 * s;
            }

            // 1 + i, and the element read twice in one statement.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double OnePlusI(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    s += a[1 + i] * a[i] * a[1 + i];
                }

                return s;
            }

            // The start a parameter: no trip when k >= n - 1 (the exit update must not run).
            // domain: a[5]=-1..1 k=3..5
            [Differentiable]
            public static double ZeroTrips(double[] a, int k)
            {
                var s = a[0];
                for (var i = k; i < a.Length - 1; i++)
                {
                    s += Math.Exp(a[i + 1] - a[i]);
                }

                return s;
            }

            // Two carried arrays, and a scalar parameter.
            // domain: a[6]=-1..1 b[6]=-1..1 w=-2..2
            [Differentiable]
            public static double TwoArrays(double[] a, double[] b, double w)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var u = (a[i] * b[i + 1]) - (w * a[i + 1] * b[i]);
                    s += u * u;
                }

                return s;
            }

            // The element passed to a helper (its adjoint passed by ref to the helper's backward).
            // domain: a[6]=-1..1
            [Differentiable]
            public static double ElementToHelper(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var v = Sq(a[i + 1]) - a[i];
                    s += v * Sq(a[i]);
                }

                return s;
            }

            [Differentiable]
            public static double Sq(double v) => v * v * 0.5 + v;

            // The array passed whole to a helper in the loop: not carried.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double WholeToHelper(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    s += (a[i + 1] - a[i]) * Pick(a, i);
                }

                return s;
            }

            [Differentiable]
            public static double Pick(double[] a, int i) => a[i] * a[0];

            // A reverse loop (step -1): not carried.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double ReverseLoop(double[] a)
            {
                var s = 0.0;
                for (var i = a.Length - 2; i >= 0; i--)
                {
                    var v = a[i + 1] - (a[i] * a[i]);
                    s += v * v;
                }

                return s;
            }

            // A step of two: not carried.
            // domain: a[7]=-1..1
            [Differentiable]
            public static double StepTwo(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i += 2)
                {
                    var v = a[i + 1] - (a[i] * a[i]);
                    s += v * v;
                }

                return s;
            }

            // Two parameters bound to the same array by the caller: the callee's backward gets one adjoint twice.
            // domain: x[6]=-1..1
            [Differentiable]
            public static double Aliased(double[] x) => Pair(x, x) + x[0];

            [Differentiable]
            public static double Pair(double[] a, double[] b)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var v = b[i + 1] - (a[i] * b[i]) + a[i + 1];
                    s += v * v;
                }

                return s;
            }

            // The array written in the loop (a local copy): not fused, so not carried.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double WrittenInLoop(double[] a)
            {
                var t = new double[a.Length];
                for (var k = 0; k < a.Length; k++)
                {
                    t[k] = a[k];
                }

                var s = 0.0;
                for (var i = 0; i < t.Length - 1; i++)
                {
                    var v = t[i + 1] - (t[i] * t[i]);
                    t[i + 1] = v * 0.5;
                    s += v * v;
                }

                return s;
            }

            // An early break: not fused.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double EarlyBreak(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    if (a[i] > 0.7)
                    {
                        break;
                    }

                    var v = a[i + 1] - (a[i] * a[i]);
                    s += v * v;
                }

                return s;
            }

            // continue: not fused.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double Continues(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    if (a[i] < -0.3)
                    {
                        continue;
                    }

                    var v = a[i + 1] - (a[i] * a[i]);
                    s += v * v;
                }

                return s;
            }

            // An inner loop in the carried iteration reading another array.
            // domain: a[5]=-1..1 b[3]=-1..1
            [Differentiable]
            public static double NestedInner(double[] a, double[] b)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var v = a[i + 1] * a[i];
                    var w = 0.0;
                    for (var j = 0; j < b.Length; j++)
                    {
                        w = (w * v) + b[j];
                    }

                    s += w * a[i + 1];
                }

                return s;
            }

            // The inner loop reads the carried array at its own index: not carried.
            // domain: a[5]=-1..1
            [Differentiable]
            public static double NestedSameArray(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var v = a[i + 1] - a[i];
                    for (var j = 0; j < 2; j++)
                    {
                        v = (v * a[j]) + 0.5;
                    }

                    s += v * v;
                }

                return s;
            }

            // The carried loop inside an outer loop (not top level): not carried; the inner updates go to dA directly.
            // domain: a[5]=-1..1
            [Differentiable]
            public static double InsideOuterLoop(double[] a)
            {
                var s = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    for (var i = 0; i < a.Length - 1; i++)
                    {
                        s += (a[i + 1] - a[i]) * (a[i + 1] + r);
                    }
                }

                return s;
            }

            // a[i + 1] read only when it exists: the loop runs to n, so the exit update would be out of bounds (not carried).
            // domain: a[5]=-1..1
            [Differentiable]
            public static double ConditionalNext(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    var next = i + 1 < a.Length ? a[i + 1] : 0.0;
                    s += (next - a[i]) * (next - a[i]);
                }

                return s;
            }

            // a[i + 1] read in a branch of an if, the loop to n: not carried.
            // domain: a[5]=-1..1
            [Differentiable]
            public static double BranchNext(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    var v = a[i];
                    if (i + 1 < a.Length)
                    {
                        v = v - a[i + 1];
                    }

                    s += v * v;
                }

                return s;
            }

            // a[i + 1] read unconditionally and again under a condition: carried.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double AlwaysAndBranch(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var v = a[i + 1] * a[i];
                    if (a[i] > 0.0)
                    {
                        v = v + (a[i + 1] * a[i + 1]);
                    }

                    s += v * v;
                }

                return s;
            }

            // The next index copied to a local: not carried (the updates of a[j] go to dA directly).
            // domain: a[6]=-1..1
            [Differentiable]
            public static double IndexCopy(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var j = i + 1;
                    var v = a[j] - (a[i] * a[i]);
                    s += v * v;
                }

                return s;
            }

            // A while loop counted by hand, the result scaled after the loop.
            // domain: a[6]=-1..1 c=0.5..2
            [Differentiable]
            public static double WhileCounted(double[] a, double c)
            {
                var s = 0.0;
                var i = 0;
                while (i < a.Length - 1)
                {
                    s += Math.Cos(a[i] * c) * a[i + 1];
                    i++;
                }

                return s / c;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    /// <summary>The methods whose fused loop carries an adjoint element (all others must not).</summary>
    private static readonly HashSet<string> s_carried = new(StringComparer.Ordinal)
    {
        "C.Rosenbrock", "C.RosenbrockFloat", "C.OffsetMinusOne", "C.OffsetPlusTwo", "C.OnePlusI", "C.ZeroTrips", "C.TwoArrays",
        "C.ElementToHelper", "C.Pair", "C.NestedInner", "C.AlwaysAndBranch",
    };

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    [Fact]
    public void Carries_exactly_the_expected_loops()
    {
        var batch = s_batch.Value;
        var carried = batch.GeneratedSource.Where(p => p.Value.Contains("per iteration: the share of [i + 1] waits", StringComparison.Ordinal)).Select(p => p.Key).Order(StringComparer.Ordinal);
        Assert.Equal(string.Join(", ", s_carried.Order(StringComparer.Ordinal)), string.Join(", ", carried));
    }
}
