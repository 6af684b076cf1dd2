using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 17 (issue 18): a value saved inside the loops of a fused iteration goes to a slot numbered by those loops'
/// indices (a buffer rented per fused loop) instead of onto the tape, when every such loop is counted from a constant
/// start to a bound of constants and never-assigned parameters. Right only when each run of the saving statement has its
/// own slot and the indices hold their forward values where the value is read back; these methods break one condition
/// at a time (a bound parameter overwritten, break, return, a start read from another index, a bound read from an
/// index) and probe the rest (GMM's rows, three nested loops, a start of 1 and a bound <c>d + 1</c>, a save under a
/// branch, continue, zero and negative trips, an <c>int</c> save, [NoGrad] arrays, aliasing of a local array, hostile
/// names equal to the generated ones). Compiled in one batch; each backward compared against central finite
/// differences (tolerances of <see cref="FiniteDifferenceCheck"/>) and, per method, how many buffers are rented and
/// whether values are still pushed.
/// </summary>
public sealed class IterationSlotsAdversarialTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace ReviewIterationSlots;

        public static partial class F
        {
            // domain: q[20]=-1..1 m[6]=-1..1 x[6]=-1..1 d=3..3 k=2..2
            [Differentiable]
            public static double Rows(double[] q, double[] m, [NoGrad] double[] x, int d, int k)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 0; c < k; c++)
                    {
                        var norm = 0.0;
                        for (var j = 0; j < d; j++)
                        {
                            var row = q[(c * 10) + j] * (x[(i * d) + j] - m[(c * d) + j]);
                            var lower = (c * 10) + d + j - 1;
                            for (var col = 0; col < j; col++)
                            {
                                row += q[lower] * (x[(i * d) + col] - m[(c * d) + col]);
                                lower += d - col - 2;
                            }

                            norm += row * row;
                        }

                        total += Math.Exp(-0.5 * norm);
                    }
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double ThreeDeep(double[] a, double x, int n)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 0; c < n; c++)
                    {
                        for (var j = 1; j < n + 1; j++)
                        {
                            var s = x;
                            for (var t = 0; t < 2; t++)
                            {
                                s = Math.Sin(s * a[c + j + t]);
                            }

                            total += s * s;
                        }
                    }
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 d=2..3
            [Differentiable]
            public static double BoundOverwritten(double[] a, double x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    var row = x;
                    for (var j = 0; j < d; j++)
                    {
                        row = Math.Sin(row * a[j]);
                    }

                    total += row * row;
                    d = d - 1;
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 d=3..4
            [Differentiable]
            public static double BreakInRow(double[] a, double x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    var row = x;
                    for (var j = 0; j < d; j++)
                    {
                        row = Math.Sin(row * a[j]);
                        if (row > 0.3)
                        {
                            break;
                        }
                    }

                    total += row * row;
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 d=3..4
            [Differentiable]
            public static double ContinueInRow(double[] a, double x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    var row = x;
                    for (var j = 0; j < d; j++)
                    {
                        if (a[j] > 0.5)
                        {
                            continue;
                        }

                        row = Math.Sin(row * a[j + i]);
                    }

                    total += row * row;
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 d=3..4
            [Differentiable]
            public static double ReturnInRow(double[] a, double x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    var row = x;
                    for (var j = 0; j < d; j++)
                    {
                        row = Math.Cos(row * a[j + i]);
                        if (j == 5)
                        {
                            return total;
                        }
                    }

                    total += row * row;
                }

                return total;
            }

            // domain: a[12]=-1..1 x=-1..1 d=3..3
            [Differentiable]
            public static double StartFromIndex(double[] a, double x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 0; c < d; c++)
                    {
                        var row = x;
                        for (var j = c; j < d; j++)
                        {
                            row = Math.Sin(row * a[c + j]);
                        }

                        total += row * row;
                    }
                }

                return total;
            }

            // domain: a[12]=-1..1 x=-1..1 d=3..3
            [Differentiable]
            public static double BoundFromIndex(double[] a, double x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 0; c < d; c++)
                    {
                        var row = x;
                        for (var j = 0; j < c; j++)
                        {
                            row = Math.Sin(row * a[c + j]);
                        }

                        total += row * row;
                    }
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 d=3..4
            [Differentiable]
            public static double SaveUnderBranch(double[] a, double x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    var row = x;
                    for (var j = 0; j < d; j++)
                    {
                        if (a[j] > 0.0)
                        {
                            row = Math.Tanh(row + a[j + i]);
                        }

                        total += row * a[j];
                    }
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 n=0..2
            [Differentiable]
            public static double ZeroAndNegativeTrips(double[] a, double x, int n)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var e = 0; e < 2; e++)
                    {
                        var row = x;
                        for (var c = 0; c < n - 1; c++)
                        {
                            row = Math.Sin(row * a[c + e]);
                        }

                        total += row * row;
                    }

                    total += a[i] * x;
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 d=3..4
            [Differentiable]
            public static double IntegerSaved(double[] a, double x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    var at = 0;
                    var row = x;
                    for (var j = 0; j < d; j++)
                    {
                        at = (at * 3 + j + i) % 5;
                        row = (row * a[at]) + a[j];
                    }

                    total += row;
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 d=3..3
            [Differentiable]
            public static double LocalArrayAccumulated(double[] a, double x, int d)
            {
                var total = 0.0;
                var w = new double[8];
                for (var i = 0; i < 2; i++)
                {
                    var row = x;
                    for (var j = 0; j < d; j++)
                    {
                        row = Math.Sin(row * a[j]);
                        w[j] = w[j] + (row * row);
                        total += w[j] * a[j + i];
                    }
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 d=3..3
            [Differentiable]
            public static double HostileNames(double[] a, double x, int d)
            {
                var _rowSaved = 0.0;
                for (var _j = 0; _j < 2; _j++)
                {
                    for (var _c = 0; _c < 2; _c++)
                    {
                        var row = x;
                        for (var j = 0; j < d; j++)
                        {
                            var _rowSaved_1 = j;
                            row = Math.Sin(row * a[_rowSaved_1 + _j + _c]);
                        }

                        _rowSaved += row * row;
                    }
                }

                return _rowSaved;
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

    /// <summary>How many slot buffers each backward rents, and whether it still pops floating values from the tape (branch decisions and trip counts stay there).</summary>
    [Theory]
    [InlineData("F.Rows", 1, true)]
    [InlineData("F.ThreeDeep", 2, false)]
    [InlineData("F.BoundOverwritten", 0, true)]
    [InlineData("F.BreakInRow", 0, true)]
    // Session 23 (gmm23d): a leaf loop one deep in the fused iteration takes slots too (IsIterationStack): row and the
    // kept Sin side by side; under a branch, row alone (the branch decision stays on the tape); the int and the double
    // saves of IntegerSaved in a buffer each. Before, all three kept the tape.
    [InlineData("F.ContinueInRow", 1, false)]
    [InlineData("F.ReturnInRow", 0, true)]
    [InlineData("F.StartFromIndex", 0, true)]
    [InlineData("F.BoundFromIndex", 0, true)]
    [InlineData("F.SaveUnderBranch", 1, false)]
    [InlineData("F.ZeroAndNegativeTrips", 1, true)]
    [InlineData("F.IntegerSaved", 2, false)]
    // Not fused (a local array stored in the iteration), but since session 19 its outer loop is a root of slots:
    // row and w[j], under (i, j), side by side in one buffer; row's save under i alone stays on the tape.
    [InlineData("F.LocalArrayAccumulated", 1, true)]
    [InlineData("F.HostileNames", 1, true)]
    public void Saves_in_fused_iterations_use_slots(string key, int buffers, bool pops) =>
        AssertSlotBuffers(key, s_batch.Value.GeneratedSource[key], buffers, pops);

    /// <summary>Asserts how many slot buffers a backward rents and whether it pops floating values from the tape.</summary>
    internal static void AssertSlotBuffers(string key, string source, int buffers, bool pops)
    {
        var rented = Regex.Matches(source, @"AdTape\.Rent<").Count;
        var popped = Regex.IsMatch(source, @"\.Pop(Double|Single)\(\)");
        Assert.True(buffers == rented && pops == popped,
            $"{key}: {rented} slot buffers (expected {buffers}), tape pops {popped} (expected {pops})\n{source}");
    }
}
