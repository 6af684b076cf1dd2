using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Innermost loops read the arrays they index from block-local copies of the references (session 14: GMM's inner
/// reverse loop reloaded and stored back <c>means</c> and <c>icf</c> from stack slots in every iteration). A copy is
/// right only while the loop does not reassign the variable: the edge cases below (zero trips, an index near
/// <c>int.MaxValue</c>, nested loops, an array created again in the loop or between two inner loops) are compiled in
/// one batch and each Backward compared against central finite differences, and the copies each backward makes are
/// counted; a break, a return and the index written in the body are <see cref="ExitResetAdversarialTests"/>' methods,
/// whose gradients that class checks, and whose copies are counted here.
/// </summary>
public sealed class ArrayReferenceCopyTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace ReviewCopies;

        public static partial class C
        {
            // domain: a[4]=-1..1 x=-1..1 n=0..0
            [Differentiable]
            public static double ZeroTrips(double[] a, double x, int n)
            {
                var s = x * x;
                for (var i = 0; i < n; i++)
                {
                    s = s * a[i] + x;
                }

                return s + a[0];
            }

            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double NearMaxValue(double[] a, double x)
            {
                var s = x;
                for (var i = int.MaxValue - 4; i < int.MaxValue; i++)
                {
                    s = s * a[i - (int.MaxValue - 4)] + x;
                }

                return s;
            }

            // domain: b[6]=-1..1 x=-1..1
            [Differentiable]
            public static double ReassignedInLoop(double[] b, double x)
            {
                var w = new double[3];
                var s = x;
                for (var i = 0; i < 5; i++)
                {
                    w[i % 3] = w[i % 3] * 0.5 + b[i] * x;
                    s = s * w[i % 3] + x * b[i];
                    if (i == 2)
                    {
                        w = new double[3];
                    }
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double NestedFreshRows(double[] a, double x)
            {
                var s = 0.0;
                for (var t = 0; t < 3; t++)
                {
                    var row = new double[4];
                    for (var i = 0; i < 4; i++)
                    {
                        row[i] = a[i + t] * x;
                    }

                    for (var i = 0; i < 4; i++)
                    {
                        s = s + row[i] * row[i] * a[i];
                    }
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double FreshBetweenLoops(double[] a, double x)
            {
                var s = x;
                var p = new double[6];
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < 6; i++)
                    {
                        p[i] = p[i] * 0.5 + a[i] * s;
                    }

                    for (var i = 0; i < 6; i++)
                    {
                        s = s * 0.5 + p[i] * a[i] * x;
                    }

                    p = new double[6];
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double SameArrayTwice(double[] a, double x)
            {
                var s = x;
                for (var i = 1; i < 6; i++)
                {
                    s = s * a[i] + a[i - 1] * a[i] * x;
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
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>
    /// How many block-local copies of each array reference a backward makes: one per innermost loop (forward and
    /// reverse) that indexes it, none of an array the loop reassigns.
    /// </summary>
    [Theory]
    [InlineData("C.ZeroTrips", "a", 2)]
    [InlineData("C.NearMaxValue", "a", 2)]
    [InlineData("C.ReassignedInLoop", "w", 0)]
    [InlineData("C.ReassignedInLoop", "b", 2)]
    [InlineData("C.NestedFreshRows", "row", 4)]
    [InlineData("C.FreshBetweenLoops", "p", 4)]
    [InlineData("C.SameArrayTwice", "a", 2)]
    [InlineData("R.BreakInner", "a", 2)]
    [InlineData("R.ReturnInner", "a", 2)]
    [InlineData("R.IndexWrittenInBody", "a", 2)]
    public void Copies_of_an_array_reference(string key, string array, int copies)
    {
        var source = (key.StartsWith("R.", StringComparison.Ordinal) ? ExitResetAdversarialTests.Batch : s_batch.Value).GeneratedSource[key];
        Assert.Equal(copies, Regex.Matches(source, @"var _" + array + @"(_\d+)? = " + array + ";").Count);
    }
}
