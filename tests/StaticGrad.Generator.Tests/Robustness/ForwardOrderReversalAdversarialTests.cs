using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 16 (issue 18): an innermost loop that steps an integer with no closed form (GMM's <c>lower += d − col − 2</c>)
/// is reversed in forward order from its start statements, so the integer's value is no longer pushed per outer
/// iteration. Right only when no reversed iteration changes what another reads and nothing else reads the stepped
/// integer; these methods break one condition at a time (the integer read after the loop, a step reading an array, an
/// accumulator reading another of the loop's accumulators, a nonlinear update, break, a parameter stepped, a start
/// whose variable is overwritten after the loop, an array stored after the loop that the loop reads, zero trips, the
/// same adjoint element updated by several iterations, a <c>long</c> offset (its start is a conversion: kept), hostile names, a [NoGrad] array). Compiled in one
/// batch; each backward compared against central finite differences (tolerances of <see cref="FiniteDifferenceCheck"/>)
/// and, per method, whether the loop is reversed in forward order and how many integers are still pushed.
/// </summary>
public sealed class ForwardOrderReversalAdversarialTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace ReviewForwardOrder;

        public static partial class F
        {
            // domain: q[10]=-1..1 m[4]=-1..1 x[8]=-1..1 d=4..4
            [Differentiable]
            public static double Rows(double[] q, double[] m, [NoGrad] double[] x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    var norm = 0.0;
                    for (var j = 0; j < d; j++)
                    {
                        var row = q[j] * (x[(i * d) + j] - m[j]);
                        var lower = d + j - 1;
                        for (var col = 0; col < j; col++)
                        {
                            row += q[lower] * (x[(i * d) + col] - m[col]);
                            lower += d - col - 2;
                        }

                        norm += row * row;
                    }

                    total += Math.Exp(-0.5 * norm);
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1
            [Differentiable]
            public static double StepReadAfterLoop(double[] a, double x)
            {
                var s = x;
                for (var j = 0; j < 3; j++)
                {
                    var row = s;
                    var at = j;
                    for (var c = 0; c < j; c++)
                    {
                        row += a[at] * x;
                        at += 2;
                    }

                    s = (row * row * 0.5) + a[at];
                }

                return s;
            }

            // domain: a[8]=-1..1 x=-1..1
            [Differentiable]
            public static double StepReadsArray(double[] a, double x)
            {
                var s = x;
                for (var j = 0; j < 3; j++)
                {
                    var row = s;
                    var at = j;
                    for (var c = 0; c < j; c++)
                    {
                        row += a[at] * x;
                        at += a[c] > 0.0 ? 1 : 2;
                    }

                    s = row * row * 0.5;
                }

                return s;
            }

            // domain: a[8]=-1..1 x=-1..1
            [Differentiable]
            public static double AccumulatorReadsAccumulator(double[] a, double x)
            {
                var s = x;
                for (var j = 0; j < 3; j++)
                {
                    var row = s;
                    var t = x;
                    var at = j;
                    for (var c = 0; c < j; c++)
                    {
                        row += a[at] * t;
                        t += a[c];
                        at += 1;
                    }

                    s = row * row * 0.5;
                }

                return s;
            }

            // domain: a[8]=-1..1 x=-1..1
            [Differentiable]
            public static double NonlinearUpdate(double[] a, double x)
            {
                var s = x;
                for (var j = 0; j < 3; j++)
                {
                    var row = s;
                    var at = j;
                    for (var c = 0; c < j; c++)
                    {
                        row = row * a[at];
                        at += 1;
                    }

                    s = row + (s * 0.5);
                }

                return s;
            }

            // domain: a[8]=-1..1 x=-1..1
            [Differentiable]
            public static double BreakInLoop(double[] a, double x)
            {
                var s = x;
                for (var j = 0; j < 4; j++)
                {
                    var row = s;
                    var at = j;
                    for (var c = 0; c < j; c++)
                    {
                        if (c == 2)
                        {
                            break;
                        }

                        row += a[at] * x;
                        at += 1;
                    }

                    s = row * row * 0.5;
                }

                return s;
            }

            // domain: a[8]=-1..1 x=-1..1 at=0..1
            [Differentiable]
            public static double ParameterStepped(double[] a, double x, int at)
            {
                var s = x;
                for (var j = 0; j < 3; j++)
                {
                    var row = s;
                    at = j;
                    for (var c = 0; c < j; c++)
                    {
                        row += a[at] * x;
                        at += 2;
                    }

                    s = row * row * 0.5;
                }

                return s;
            }

            // domain: a[12]=-1..1 x=-1..1
            [Differentiable]
            public static double StartOverwrittenAfterLoop(double[] a, double x)
            {
                var s = x;
                var origin = 1;
                for (var j = 0; j < 3; j++)
                {
                    var row = s;
                    var at = origin + j;
                    for (var c = 0; c < j; c++)
                    {
                        row += a[at] * x;
                        at += 3;
                    }

                    s = (row * row * 0.5) + (a[origin] * a[j]);
                    origin = origin + 1;
                }

                return s;
            }

            // domain: w[8]=-1..1 x=-1..1
            [Differentiable]
            public static double ArrayStoredAfterLoop(double[] w, double x)
            {
                var s = x;
                for (var j = 0; j < 4; j++)
                {
                    var row = x;
                    var at = 0;
                    for (var c = 0; c < j; c++)
                    {
                        row += w[at] * s;
                        at += 1;
                    }

                    w[j] = row * 0.5;
                    s = Math.Sin(row) + (w[j] * x);
                }

                return s + w[1];
            }

            // domain: a[8]=-1..1 x=-1..1 n=0..2
            [Differentiable]
            public static double ZeroTrips(double[] a, double x, int n)
            {
                var s = x;
                for (var j = 0; j < 3; j++)
                {
                    var row = s;
                    var at = j;
                    for (var c = 0; c < n; c++)
                    {
                        row += a[at] * x;
                        at += 2;
                    }

                    s = (row * row * 0.5) + (a[j] * x);
                }

                return s;
            }

            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double SameElementEveryIteration(double[] a, double x)
            {
                var s = x;
                for (var j = 0; j < 4; j++)
                {
                    var row = s;
                    var at = j;
                    for (var c = 0; c < 3; c++)
                    {
                        row += a[at] * a[c] * x;
                        at += c - c;
                    }

                    s = (row * row * 0.25) + (a[j] * x);
                }

                return s;
            }

            // domain: a[8]=-1..1 x=-1..1
            [Differentiable]
            public static double LongStep(double[] a, double x)
            {
                var s = x;
                for (var j = 0; j < 3; j++)
                {
                    var row = s;
                    long at = j;
                    for (var c = 0; c < j; c++)
                    {
                        row += a[(int)at] * x;
                        at += 2L;
                    }

                    s = (row * row * 0.5) + (a[j] * x);
                }

                return s;
            }

            // domain: a[8]=-1..1 x=-1..1
            [Differentiable]
            public static double HostileNames(double[] a, double x)
            {
                var _t7 = x;
                for (var _col = 0; _col < 3; _col++)
                {
                    var dRow = _t7;
                    var _lower = _col;
                    for (var col = 0; col < _col; col++)
                    {
                        dRow += a[_lower] * x;
                        _lower += 2;
                    }

                    _t7 = (dRow * dRow * 0.5) + (a[_col] * x);
                }

                return _t7;
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
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>
    /// How many loops are reversed in forward order, and how many integer values the forward sweep still pushes. F.Rows'
    /// old order is written twice since session 22 (its function from 4 rows and inline below: one loop, two texts).
    /// </summary>
    [Theory]
    [InlineData("F.Rows", 2, 0)]
    [InlineData("F.StepReadAfterLoop", 0, 1)]
    [InlineData("F.StepReadsArray", 0, 1)]
    [InlineData("F.AccumulatorReadsAccumulator", 0, 1)]
    [InlineData("F.NonlinearUpdate", 0, 1)]
    [InlineData("F.BreakInLoop", 0, 1)]
    [InlineData("F.ParameterStepped", 0, 1)]
    [InlineData("F.StartOverwrittenAfterLoop", 1, 0)]
    [InlineData("F.ArrayStoredAfterLoop", 1, 0)]
    [InlineData("F.ZeroTrips", 1, 0)]
    [InlineData("F.SameElementEveryIteration", 1, 0)]
    [InlineData("F.LongStep", 0, 1)]
    [InlineData("F.HostileNames", 1, 0)]
    public void Loops_reversed_in_forward_order(string key, int forwardOrder, int integerPushes)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var reversed = Regex.Matches(source, "// Reversed in forward order").Count;
        var pushes = Regex.Matches(source, @"\.Pop(Int32|Int64)\(\)").Count;
        Assert.True(forwardOrder == reversed && (integerPushes == 0) == (pushes == 0),
            $"{key}: {reversed} loops reversed in forward order (expected {forwardOrder}), {pushes} integer pops (expected {(integerPushes == 0 ? "none" : "some")})\n{source}");
    }
}
