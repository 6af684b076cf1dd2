using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Review of session 20's loop interchange (<c>ReverseModeTransformer.LoopInterchange.cs</c>, branch gmm20): nests that
/// meet every stated condition but read, at reverse time, what the stated conditions do not protect — the row bound or
/// the row start written after the nest (read by the run-time guard, the buffer index and the columns), the stepped
/// integer or the column index declared before the nest and read by a statement before it (the columns pass leaves
/// them at its own values), the stepped integer read after the nest; and nests near the conditions: rows from -2, rows
/// walked backwards in memory with a step reading a parameter, a rectangle bound written after the nest, a constant
/// bound with a variable start, a constant 11 rows (refused) next to 12 rows from -1, a term reading the row index and
/// a stepped integer outside the column-invariant parts. Every method at 13 or more rows (the interchanged order)
/// against central finite differences (tolerances of <see cref="FiniteDifferenceCheck"/>: double 1e-6 relative plus
/// the rounding bound). Refused (old order, still checked): the row start written in the row loop, the stepped integer
/// or column index read before the nest or after it, an accumulator or a stepped integer carried across rows.
/// </summary>
public sealed class Session20LoopInterchangeReviewTests
{
    private const int PointsPerFunction = 2;

    private static readonly string Source = $$"""
        using System;
        using StaticGrad;

        namespace Session20InterchangeReview;

        public static partial class G
        {
            // The row bound is a local written after the nest (the reverse reads it when the guard and the columns run).
            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double BoundWrittenAfter(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                var n = d;
                {{Nest(bound: "n")}}
                n = 20;
                return s * s + n;
            }

            // The row start is a local written after the nest (the reverse reads it for the buffer index and the columns' first row).
            // domain: icf[137]=-0.5..0.5 mu[17]=-1..1 x[17]=-1..1 d=16..16
            [Differentiable]
            public static double StartWrittenAfter(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                var t = 3;
                {{Nest(start: "t")}}
                t = 4;
                return s * s + t;
            }

            // The row start is a local written inside the row loop.
            // domain: icf[137]=-0.5..0.5 mu[17]=-1..1 x[17]=-1..1 d=16..16
            [Differentiable]
            public static double StartWrittenInside(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                var t = 3;
                {{Nest(start: "t", more: "t = 4;")}}
                return s * s + t;
            }

            // The stepped integer is declared before the nest and read by a statement before it (its value after the reverse of the nest).
            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double SteppedReadBefore(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                var lower = 2;
                var q = icf[lower] * icf[lower + 1];
                {{Nest(lower: "lower = d + j - 1;")}}
                return s * s + q * q;
            }

            // The column index is declared before the nest and read by a statement before it.
            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double ColumnReadBefore(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                var col = 2;
                var q = icf[col] * mu[col];
                {{Nest(col: "col = 0; col < j; col++")}}
                return s * s + q * q;
            }

            // The stepped integer read after the nest (its forward final value).
            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double SteppedReadAfter(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                var lower = 0;
                {{Nest(lower: "lower = d + j - 1;")}}
                var q = icf[lower] * mu[1];
                return s * s + q * q;
            }

            // An early return before the nest.
            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double EarlyReturnBefore(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                if (d < 0)
                {
                    return icf[0];
                }

                var s = 0.0;
                {{Nest()}}
                return s * s;
            }

            // Rows from -2 (the first rows have no column), a term reading mu[j + 2].
            // domain: icf[100]=-0.5..0.5 mu[16]=-1..1 x[16]=-1..1 d=13..13
            [Differentiable]
            public static double NegativeStart(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                {{Nest(start: "-2", row: "var row = mu[j + 2];", lower: "var lower = d + j + 1;", update: "row += icf[lower] * (x[col] - mu[j + 2]);")}}

                return s * s;
            }

            // Rows walked backwards in memory (stride -1), a step reading a scalar parameter k.
            // domain: icf[200]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13 k=14..14
            [Differentiable]
            public static double NegativeStride(double[] icf, double[] mu, [NoGrad] double[] x, int d, int k)
            {
                var s = 0.0;
                {{Nest(row: "var row = mu[j];", lower: "var lower = 20 - j;", step: "lower += k - col;")}}

                return s * s;
            }

            // The rectangle bound is a local written after the nest.
            // domain: a[200]=-0.5..0.5 mu[14]=-1..1 n=13..13
            [Differentiable]
            public static double RectangleBoundWrittenAfter(double[] a, double[] mu, int n)
            {
                var s = 0.0;
                var m = 5;
                {{Nest(bound: "n", row: "var row = mu[j];", lower: "var k = j;", col: "var col = 0; col < m; col++", update: "row += a[k] * mu[col] * mu[col];", step: "k += n;")}}

                m = 9;
                return s * s + m;
            }

            // The row bound is a constant, the start a parameter (rows = 20 - t).
            // domain: icf[200]=-0.5..0.5 mu[21]=-1..1 x[21]=-1..1 t=2..2
            [Differentiable]
            public static double ConstantBoundVariableStart(double[] icf, double[] mu, [NoGrad] double[] x, int t)
            {
                var s = 0.0;
                {{Nest(start: "t", bound: "20", lower: "var lower = 20 + j;", step: "lower += 3;")}}

                return s * s;
            }

            // A constant row count of 11 (refused at compile time) next to 12 from a start of -1 (kept).
            // domain: icf[200]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1
            [Differentiable]
            public static double ConstantRows(double[] icf, double[] mu, [NoGrad] double[] x)
            {
                var s = 0.0;
                {{Nest(start: "1", bound: "12", row: "var row = mu[j];", lower: "var lower = 12 + j;", step: "lower += 2;")}}

                {{Nest(start: "-1", bound: "11", row: "var row = mu[j + 1];", lower: "var lower = 40 + j;", step: "lower += 2;")}}

                return s * s;
            }

            // The column term reads a stepped integer through a cast of the row (not column-invariant).
            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double TermReadsRow(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                {{Nest(update: "row += icf[lower] * (x[col] - mu[col]) * j + (mu[col] - x[col]) * lower;")}}

                return s * s;
            }

            // A step that wraps around int (big * 4 + 1 is 1 modulo 2^32): the offset wraps as the forward's index does.
            // domain: icf[200]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13 big=1073741824..1073741824
            [Differentiable]
            public static double WrappingStep(double[] icf, double[] mu, [NoGrad] double[] x, int d, int big)
            {
                var s = 0.0;
                {{Nest(row: "var row = mu[j];", lower: "var lower = j + 1;", step: "lower += big * 4 + 1;")}}

                return s * s;
            }

            // Float, a step of a product, a constant rectangle bound.
            // domain: a[200]=-0.5..0.5 mu[14]=-1..1 n=13..13 k=2..2
            [Differentiable]
            public static float FloatRectangle(float[] a, float[] mu, int n, int k)
            {
                var s = 0.0f;
                {{Nest(bound: "n", row: "var row = mu[j];", lower: "var i = j;", col: "var col = 0; col < 4; col++", update: "row += a[i] * (mu[col] - a[col + 150]);", step: "i += k * 7;")}}

                return s * s;
            }

            // The accumulator is not reset per row: it carries across rows, read after the column loop.
            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double AccumulatorAcrossRows(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                var acc = 0.5;
                for (var j = 0; j < d; j++)
                {
                    var lower = d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        acc += icf[lower] * (x[col] - mu[col]);
                        lower += d - col - 2;
                    }

                    s += acc * acc * mu[j];
                }

                return s * s;
            }

            // The stepped integer starts before the row loop and carries across rows (no start f(j) in the row loop).
            // domain: icf[200]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double SteppedAcrossRows(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                var lower = 3;
                for (var j = 0; j < d; j++)
                {
                    var row = mu[j];
                    for (var col = 0; col < j; col++)
                    {
                        row += icf[lower] * (x[col] - mu[col]);
                        lower += 1;
                    }

                    s += row * row;
                }

                return s * s;
            }

            // Two interchanged nests in one method, the second inside an outer loop with rows from k + 1 (the start
            // written by the outer loop, not the row loop), the generated names of both in one scope.
            // domain: icf[200]=-0.5..0.5 mu[17]=-1..1 x[17]=-1..1 d=15..15
            [Differentiable]
            public static double TwoNests(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                {{Nest(row: "var row = mu[j];", lower: "var lower = j + 1;", step: "lower += 2;")}}

                for (var k = 0; k < 2; k++)
                {
                    {{Nest(start: "k + 1", row: "var row = mu[j] * k;", lower: "var lower = j + 40;", step: "lower += d - col;")}}
                }

                return s * s;
            }
        }
        """;

    /// <summary>A row loop over <c>j</c> with one column loop (GMM's triangle unless told), then <c>s += tail</c>.</summary>
    private static string Nest(
        string start = "0",
        string bound = "d",
        string row = "var row = icf[j] * (x[j] - mu[j]);",
        string lower = "var lower = d + j - 1;",
        string col = "var col = 0; col < j; col++",
        string update = "row += icf[lower] * (x[col] - mu[col]);",
        string step = "lower += d - col - 2;",
        string tail = "row * row;",
        string more = "") =>
        $"for (var j = {start}; j < {bound}; j++) {{ {row} {lower} for ({col}) {{ {update} {step} }} s += {tail} {more} }}";

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>Which nests are interchanged (at compile time; the row count is tested at run time).</summary>
    [Theory]
    [InlineData("G.BoundWrittenAfter", 1)]
    [InlineData("G.StartWrittenAfter", 1)]
    [InlineData("G.StartWrittenInside", 0)]
    [InlineData("G.SteppedReadBefore", 0)]
    [InlineData("G.ColumnReadBefore", 0)]
    [InlineData("G.SteppedReadAfter", 0)]
    [InlineData("G.EarlyReturnBefore", 1)]
    [InlineData("G.NegativeStart", 1)]
    [InlineData("G.NegativeStride", 1)]
    [InlineData("G.RectangleBoundWrittenAfter", 1)]
    [InlineData("G.ConstantBoundVariableStart", 1)]
    [InlineData("G.ConstantRows", 1)]
    [InlineData("G.TermReadsRow", 1)]
    [InlineData("G.WrappingStep", 1)]
    [InlineData("G.FloatRectangle", 1)]
    [InlineData("G.AccumulatorAcrossRows", 0)]
    [InlineData("G.TwoNests", 2)]
    [InlineData("G.SteppedAcrossRows", 0)]
    public void Nests_interchanged(string key, int nests)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var found = Regex.Matches(source, "the row and column loops interchanged").Count;
        Assert.True(nests == found, $"{key}: {found} nests interchanged (expected {nests})\n{source}");
    }

    [Fact]
    public void Generated_code_compiles_without_warnings_and_the_generator_does_not_throw()
    {
        var batch = s_batch.Value;
        Assert.Null(batch.GeneratorException);
        Assert.True(batch.Output is not null, string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
    }
}
