using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// The adjoint of a variable private to a fused iteration is assigned, not added to, by the iteration's reverse
/// (session 14: Rosenbrock's <c>dValley</c> was cleared at the end of one iteration and added to in the next). Right
/// only while the adjoint is zero at every iteration's start: the edge cases (a break, a continue, a return, the
/// variable read after the loop or set before it, a first update inside a branch, zero trips, nested loops, an index
/// near <c>int.MaxValue</c>, <c>float</c>) are compiled in one batch, each Backward compared against central finite
/// differences, and the assignments each backward makes counted.
/// </summary>
public sealed class IterationAdjointTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace ReviewIterations;

        public static partial class I
        {
            // domain: x[5]=-1..1
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

            // domain: x[6]=-1..1 z=-1..1
            [Differentiable]
            public static double BreakInside(double[] x, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    var v = x[i] * z;
                    if (x[i] > 0.5)
                    {
                        break;
                    }

                    sum += v * v;
                }

                return sum;
            }

            // domain: x[6]=-1..1 z=-1..1
            [Differentiable]
            public static double ContinueInside(double[] x, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    var v = x[i] * z;
                    if (x[i] > 0.0)
                    {
                        continue;
                    }

                    sum += v * v + v;
                }

                return sum;
            }

            // domain: x[6]=-1..1 z=-1..1
            [Differentiable]
            public static double ReadAfter(double[] x, double z)
            {
                var sum = 0.0;
                var v = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    v = x[i] * z;
                    sum += v * v;
                }

                return sum + v * z;
            }

            // domain: x[6]=-1..1 z=-1..1
            [Differentiable]
            public static double SetBefore(double[] x, double z)
            {
                var sum = 0.0;
                var v = z * z;
                for (var i = 0; i < x.Length; i++)
                {
                    sum += v * x[i];
                    v = x[i] * z;
                }

                return sum;
            }

            // domain: x[6]=-1..1 z=-1..1
            [Differentiable]
            public static double FirstUpdateInBranch(double[] x, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    var v = x[i];
                    if (x[i] > 0.0)
                    {
                        v = v * z;
                    }

                    sum += v * v;
                }

                return sum;
            }

            // domain: x[3]=-1..1 z=-1..1 n=0..0
            [Differentiable]
            public static double ZeroTrips(double[] x, double z, int n)
            {
                var sum = z * z;
                for (var i = 0; i < n; i++)
                {
                    var v = x[i] * z;
                    sum += v * v;
                }

                return sum;
            }

            // domain: x[4]=-1..1 z=-1..1
            [Differentiable]
            public static double Nested(double[] x, double z)
            {
                var total = 0.0;
                for (var t = 0; t < 3; t++)
                {
                    var sum = 0.0;
                    for (var i = 0; i < x.Length; i++)
                    {
                        var v = x[i] * z - t;
                        sum += v * v;
                    }

                    total += Math.Sin(sum);
                }

                return total;
            }

            // domain: x[4]=-1..1 z=-1..1
            [Differentiable]
            public static double NearMaxValue(double[] x, double z)
            {
                var sum = 0.0;
                for (var i = int.MaxValue - 4; i < int.MaxValue; i++)
                {
                    var v = x[i - (int.MaxValue - 4)] * z;
                    sum += v * v * z;
                }

                return sum;
            }

            // domain: x[5]=-1..1
            [Differentiable]
            public static float RosenbrockFloat(float[] x)
            {
                var sum = 0f;
                for (var i = 0; i < x.Length - 1; i++)
                {
                    var valley = x[i + 1] - (x[i] * x[i]);
                    var slope = 1f - x[i];
                    sum += (100f * valley * valley) + (slope * slope);
                }

                return sum;
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

    /// <summary>How many adjoints of iteration-private variables an iteration assigns instead of adding to.</summary>
    [Theory]
    [InlineData("I.Rosenbrock", "valley", 1)]
    [InlineData("I.Rosenbrock", "slope", 1)]
    [InlineData("I.RosenbrockFloat", "valley", 1)]
    [InlineData("I.BreakInside", "v", 0)]
    [InlineData("I.ContinueInside", "v", 0)]
    [InlineData("I.ReadAfter", "v", 0)]
    [InlineData("I.SetBefore", "v", 0)]
    [InlineData("I.ZeroTrips", "v", 1)]
    [InlineData("I.NearMaxValue", "v", 1)]
    public void Iteration_adjoints_assigned(string key, string variable, int assigned)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var adjoint = "d" + (variable.Length == 1 ? variable : char.ToUpperInvariant(variable[0]) + variable[1..]);
        var assignments = Regex.Matches(source, @"(?m)^\s*_?" + adjoint + @" = (?!0\.0;|0f;|_" + adjoint + @";)[^;]+;")
            .Count(m => !m.Value.Contains(adjoint + " = " + adjoint + ";", StringComparison.Ordinal));
        Assert.Equal(assigned, assignments);
    }
}
