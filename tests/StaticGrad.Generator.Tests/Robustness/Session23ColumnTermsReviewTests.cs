using System.Reflection;
using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Review of session 23's gmm23a (the old order's column terms once per column, <c>ReverseModeTransformer.OldOrderColumnTerms.cs</c>,
/// with its jagged / two-dimensional / struct adjoint refusal): shapes the session's tests do not have. A row tail the
/// reverse needs the row's value for (Math.Sin: the old order's text written twice, once per branch); a nest with no
/// run-time test at all (constant 5 rows, every array [NoGrad], a scalar w active) and one with only the row-count test;
/// a float array in a double term; a column index through a remainder; a rectangle (col &lt; m) with a row count from a
/// parameter; rows from −2; two nests in one method reading the same arrays; a nest inside an outer loop (GMM's points);
/// parameters named like the generated names (<c>_column0s</c>, <c>_columnTermsApart</c>) and a [Differentiable] helper
/// named <c>_Rows</c> called by the method; span parameters; a fresh local refilled before the nest in every point; the
/// row bound lowered or raised after the nest and the rectangle's column count raised after it (the fill and the
/// row-count test read them in the reverse: restored, x exactly as long as the forward read); Hessian = true (compiles);
/// a long column bound (just misses a condition: nothing buffered). Every method against central finite differences
/// (<see cref="FiniteDifferenceCheck"/>: double 1e-6 relative to max(1, |fd|) plus the quotient's rounding bound, float
/// 2e-3); the span method against its twin that buffers nothing (an extra differentiable <c>double[][]</c>, the change's
/// own refusal: the old order as 349b6c3 wrote it) bit for bit, with an adjoint span overlapping mu or x by part of
/// their memory (the test sends it inline) and adjacent to it (buffered); the rectangle's backward throws what the
/// primal throws for an x shorter than m.
/// </summary>
public sealed class Session23ColumnTermsReviewTests
{
    private const int PointsPerFunction = 2;

    private const string Plain = Session22OldOrderSweepTests.Plain;

    private const string Term = Session22OldOrderSweepTests.Term;

    private const string Buffered = "// The column terms of the columns the forward read, once per column.";

    private static string Domain(int d, string extra = "") => Session22OldOrderSweepTests.Domain(d, extra);

    private static string Nest(string name, string comment, string domain, string parameters, string term, string prelude = "", string rows = "var j = 0",
        string rowInit = "icf[j] * (x[j] - mu[j])", string lower = "var lower = d + j - 1", string step = "d - col - 2", string rowTail = "", string result = "return s * s;") =>
        Session21InterchangeSweepReviewTests.Nest(name, comment, domain, parameters, term, prelude: prelude, rows: rows, rowInit: rowInit, lower: lower, step: step, rowTail: rowTail, result: result);

    /// <summary>A rectangle of n rows and <paramref name="columns"/> columns over a column-major a; <paramref name="tail"/> runs after the nest.</summary>
    private static string Rectangle(string name, string comment, string columns, string tail) => $$"""

                // {{comment}}
                // domain: a[30]=-0.5..0.5 mu[6]=-1..1 x[6]=-1..1 n=5..5 m=6..6
                [Differentiable]
                public static double {{name}}(double[] a, double[] mu, [NoGrad] double[] x, int n, int m)
                {
                    var s = 0.0;
                    for (var j = 0; j < n; j++)
                    {
                        var row = a[j] * 0.5;
                        var k = j;
                        for (var col = 0; col < {{columns}}; col++)
                        {
                            row += a[k] * (x[col] - mu[col]);
                            k += n;
                        }

                        s += row * row;
                    }

                    {{tail}}return (s * s) + (0.01 * m);
                }
        """;

    private static readonly string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Session23ColumnTermsReview;

        public static partial class G
        {
        """ + string.Concat(
        Nest("SinTail6", "The row's value read again after the columns (Math.Sin): the old order's text is written for both branches.", Domain(6), Plain, Term, rowTail: "                    s += 0.5 * Math.Sin(row);\n"),
        Nest("RowCountOnly6", "Every array [NoGrad], scalars w and v active: no adjoint span, the row-count test alone.", Domain(6, " w=0.5..1.5 v=0.5..1.5"), "[NoGrad] double[] icf, [NoGrad] double[] mu, [NoGrad] double[] x, int d, double w, double v", "w * icf[lower] * (x[col] - (v * mu[col]))"),
        Nest("FloatX6", "A float x in a double term.", Domain(6), "double[] icf, double[] mu, [NoGrad] float[] x, int d", Term),
        Nest("FloatXActive6", "A float x with its float adjoint beside double ones.", Domain(6), "double[] icf, double[] mu, float[] x, int d", Term),
        Nest("Remainder6", "The column index through a remainder: x[(5col) % d].", Domain(6), Plain, "icf[lower] * (x[(col * 5) % d] - mu[col])"),
        Nest("NegativeStart5", "Rows from -2 to d - 1 (7 rows at d = 5): the columns of the last row are 0 … d - 2.", "icf[20]=-0.5..0.5 mu[6]=-1..1 x[6]=-1..1 d=5..5", Plain, Term, rows: "var j = -2", rowInit: "icf[j + 2] * 0.5", lower: "var lower = d + j + 2", step: "1"),
        Nest("HostileParameters6", "Parameters named like the buffer and the test, and a helper named like the old order's function.", "icf[22]=-0.5..0.5 _column0s[7]=-1..1 _columnTermsApart[7]=-1..1 d=6..6", "double[] icf, double[] _column0s, [NoGrad] double[] _columnTermsApart, int d", "icf[lower] * (_columnTermsApart[col] - _column0s[col])", rowInit: "icf[j] * (_columnTermsApart[j] - _column0s[j])", result: "return _Rows(s * s);"),
        Nest("Hessian6", "Hessian = true: the reverse of the tangent method (two floating updates per column: not interchanged) compiles.", Domain(6), Plain, Term)
            .Replace("[Differentiable]", "[Differentiable(Hessian = true)]", StringComparison.Ordinal),
        Nest("BoundLowered6", "The row bound d lowered after the nest: nothing in the old order reads d, but the fill's column count and the row-count test do.", Domain(6, " e=6..6"), Plain + ", int e", Term, lower: "var lower = e + j - 1", step: "e - col - 2", result: "d = d - 2;\n                return (s * s) + (0.01 * d);"),
        Nest("BoundRaised6", "The row bound d raised after the nest (x exactly 6 long): the fill must not read x[6].", "icf[22]=-0.5..0.5 mu[7]=-1..1 x[6]=-1..1 d=6..6 e=6..6", Plain + ", int e", Term, lower: "var lower = e + j - 1", step: "e - col - 2", result: "d = d + 1;\n                return (s * s) + (0.01 * d);"),
        Rectangle("Rectangle5", "A rectangle: n rows (a parameter), m columns (a parameter), a column-major a (k = j + col·n).", "m", string.Empty),
        Rectangle("ColumnsRaised5", "The rectangle's column count raised after the nest (x exactly m long): the fill must see the forward's m.", "m", "m = m + 3;\n                "),
        Rectangle("LongColumns5", "Just misses a condition: a long column bound (col < 6L reads (long)col, not the index): the column loop is not reversed in forward order, nothing buffered (RentDoubles(6L) would not compile).", "6L", string.Empty),
        Nest("Spans6", "Span parameters.", Domain(6), "double[] icf, ReadOnlySpan<double> mu, [NoGrad] ReadOnlySpan<double> x, int d", Term),
        Nest("SpansTwin6", "Spans6 with a differentiable jagged parameter: nothing buffered (the old order of 349b6c3).", Domain(6, " unbuffer[2x2]=-1..1"), "double[] icf, ReadOnlySpan<double> mu, [NoGrad] ReadOnlySpan<double> x, int d, double[][] unbuffer", Term, result: "return (s * s) + (0.0 * unbuffer[0][0]);")) + """

            // A helper named like the old order's function, which the method above calls.
            // domain: v=-1..1
            [Differentiable]
            public static double _Rows(double v) => (0.5 * v) + Math.Sin(v);

            // A constant 5 rows, every array [NoGrad], scalars w and v active: no run-time test at all, the fill unconditional.
            // domain: icf[16]=-0.5..0.5 mu[6]=-1..1 x[6]=-1..1 d=5..5 w=0.5..1.5 v=0.5..1.5
            [Differentiable]
            public static double NoTest5([NoGrad] double[] icf, [NoGrad] double[] mu, [NoGrad] double[] x, int d, double w, double v)
            {
                var s = 0.0;
                for (var j = 0; j < 5; j++)
                {
                    var row = w * icf[j] * (x[j] - mu[j]);
                    var lower = d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        row += w * icf[lower] * (x[col] - (v * mu[col]));
                        lower += d - col - 2;
                    }

                    s += row * row;
                }

                return s * s;
            }

            // A fresh local t (no caller's memory: no overlap test for it) refilled before the nest in every point.
            // domain: icf[22]=-0.5..0.5 mu[7]=-1..1 x[18]=-1..1 d=6..6
            [Differentiable]
            public static double FreshLocal6(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var total = 0.0;
                var t = new double[d];
                for (var p = 0; p < 3; p++)
                {
                    for (var i = 0; i < d; i++)
                    {
                        t[i] = (x[(p * d) + i] * mu[i]) + 0.25;
                    }

                    var s = 0.0;
                    for (var j = 0; j < d; j++)
                    {
                        var row = icf[j] * (t[j] - mu[j]);
                        var lower = d + j - 1;
                        for (var col = 0; col < j; col++)
                        {
                            row += icf[lower] * (t[col] - mu[col]);
                            lower += d - col - 2;
                        }

                        s += row * row;
                    }

                    total += Math.Sqrt(1.0 + s);
                }

                return total;
            }

            // Two nests reading the same arrays, the second's term through a product.
            // domain: icf[22]=-0.5..0.5 mu[7]=-1..1 x[7]=-1..1 d=6..6
            [Differentiable]
            public static double TwoNests6(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var row = icf[j] * (x[j] - mu[j]);
                    var lower = d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        row += icf[lower] * (x[col] - mu[col]);
                        lower += d - col - 2;
                    }

                    s += row * row;
                }

                var t = 0.0;
                for (var i = 0; i < d; i++)
                {
                    var row2 = mu[i];
                    var k = d + i - 1;
                    for (var c = 0; c < i; c++)
                    {
                        row2 += icf[k] * (x[c] * mu[c]);
                        k += d - c - 2;
                    }

                    t += row2 * row2;
                }

                return (s * s) + Math.Sin(t);
            }

            // GMM's shape: points × components around the triangle, the term reading x at the point's offset.
            // domain: icf[44]=-0.5..0.5 mu[12]=-1..1 x[18]=-1..1 d=6..6
            [Differentiable]
            public static double Outer6(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var total = 0.0;
                for (var p = 0; p < 3; p++)
                {
                    for (var k = 0; k < 2; k++)
                    {
                        var point = p * d;
                        var mean = k * d;
                        var ic = k * 22;
                        var s = 0.0;
                        for (var j = 0; j < d; j++)
                        {
                            var row = icf[ic + j] * (x[point + j] - mu[mean + j]);
                            var lower = ic + d + j - 1;
                            for (var col = 0; col < j; col++)
                            {
                                row += icf[lower] * (x[point + col] - mu[mean + col]);
                                lower += d - col - 2;
                            }

                            s += row * row;
                        }

                        total += Math.Log(1.0 + s);
                    }
                }

                return total;
            }
        }

        public static class Probe
        {
            private static double[] Values(int length, int seed, double scale)
            {
                var random = new Random(seed);
                return Enumerable.Range(0, length).Select(_ => scale * ((2.0 * random.NextDouble()) - 1.0)).ToArray();
            }

            /// <summary>
            /// G.Spans6 against G.SpansTwin6 (nothing buffered) with mu and x slices of one array and an adjoint span in that
            /// array: 0 where value, adjoints and the array are equal bit for bit, else the largest difference. Which: 0 dIcf
            /// over part of mu, 1 dIcf right after mu, 2 dMu over part of x, 3 dMu right after x, 4 no aliasing.
            /// </summary>
            public static double SpansAgainstTwin(int which)
            {
                var memory = Values(64, 21, 1.0);
                var icf = Values(22, 22, 0.5);
                double Run(bool twin, out double[] state)
                {
                    var m = (double[])memory.Clone();
                    var i = (double[])icf.Clone();
                    var (muAt, xAt) = (0, 30);
                    var extra = new double[22];
                    var dIcf = which switch { 0 => m.AsSpan(3, 22), 1 => m.AsSpan(7, 22), _ => extra.AsSpan() };
                    var dMuArray = new double[7];
                    var dMu = which switch { 2 => m.AsSpan(xAt + 2, 7), 3 => m.AsSpan(xAt + 7, 7), _ => dMuArray.AsSpan() };
                    var mu = new ReadOnlySpan<double>(m, muAt, 7);
                    var x = new ReadOnlySpan<double>(m, xAt, 7);
                    var v = twin
                        ? G.SpansTwin6Backward(i, mu, x, 6, new[] { new[] { 0.25, 0.5 }, new[] { 0.75, 1.0 } }, dIcf, dMu, new[] { new double[2], new double[2] })
                        : G.Spans6Backward(i, mu, x, 6, dIcf, dMu);
                    state = m.Concat(i).Concat(extra).Concat(dMuArray).ToArray();
                    return v;
                }

                var v1 = Run(false, out var s1);
                var v2 = Run(true, out var s2);
                return Math.Max(Math.Abs(v1 - v2), s1.Zip(s2).Select(p => p.First.Equals(p.Second) ? 0.0 : Math.Max(Math.Abs(p.First - p.Second), double.Epsilon)).Max());
            }

            public static string RectanglePrimal(int xLength) => Catch(() => G.Rectangle5(Values(30, 31, 0.5), Values(6, 32, 1.0), Values(xLength, 33, 1.0), 5, 6));

            public static string RectangleBackward(int xLength) => Catch(() => G.Rectangle5Backward(Values(30, 31, 0.5), Values(6, 32, 1.0), Values(xLength, 33, 1.0), 5, 6, new double[30], new double[6]));

            private static string Catch(Func<double> f)
            {
                try
                {
                    return "none " + f().ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (Exception e)
                {
                    return e.GetType().Name + ": " + e.Message;
                }
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
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>How many column-term fills each method has (so the cases test the change; LongColumns5 just misses a condition: none).</summary>
    [Theory]
    [InlineData("G.SinTail6", 1)]
    [InlineData("G.RowCountOnly6", 1)]
    [InlineData("G.NoTest5", 1)]
    [InlineData("G.FloatX6", 1)]
    [InlineData("G.FloatXActive6", 1)]
    [InlineData("G.Remainder6", 1)]
    [InlineData("G.NegativeStart5", 1)]
    [InlineData("G.HostileParameters6", 1)]
    [InlineData("G.Spans6", 1)]
    [InlineData("G.SpansTwin6", 0)]
    [InlineData("G.Rectangle5", 1)]
    [InlineData("G.TwoNests6", 2)]
    [InlineData("G.Outer6", 1)]
    [InlineData("G.BoundLowered6", 1)]
    [InlineData("G.LongColumns5", 0)]
    [InlineData("G.ColumnsRaised5", 1)]
    [InlineData("G.FreshLocal6", 1)]
    [InlineData("G.BoundRaised6", 1)]
    public void Column_terms_buffered(string key, int fills)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var found = Regex.Matches(source, Regex.Escape(Buffered)).Count;
        Assert.True(found == fills, $"{key}: {found} fills (expected {fills})\n{source}");
    }

    private static string Call(string name, params object[] args)
    {
        var probe = s_batch.Value.Output!.Value.Assembly.GetType("Session23ColumnTermsReview.Probe")!;
        return Convert.ToString(probe.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, args), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    /// <summary>The buffered span method against its unbuffered twin, bit for bit, under partial overlap and adjacency.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Spans_equal_the_unbuffered_old_order_bit_for_bit(int which)
    {
        var worst = double.Parse(Call("SpansAgainstTwin", which), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(worst == 0.0, $"SpansAgainstTwin({which}): largest difference {worst}");
    }

    /// <summary>The rectangle reads x[0 … m − 1]: an x shorter than m throws the primal's exception in the backward too.</summary>
    [Theory]
    [InlineData(6)]
    [InlineData(5)]
    public void Rectangle_out_of_range_throws_what_the_primal_throws(int xLength)
    {
        var primal = Call("RectanglePrimal", xLength);
        Assert.Equal(xLength >= 6, primal.StartsWith("none", StringComparison.Ordinal));
        Assert.Equal(primal, Call("RectangleBackward", xLength));
    }

    [Fact]
    public void Generated_code_compiles_without_warnings_and_the_generator_does_not_throw()
    {
        var batch = s_batch.Value;
        Assert.Null(batch.GeneratorException);
        Assert.True(batch.Output is not null, string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
    }

    /// <summary>The whole source with the generator at LangVersion 9 (block namespace), warnings as errors: the fills and tests compile there too.</summary>
    [Fact]
    public void Compiles_at_language_version_9()
    {
        var (output, diagnostics) = Session21InterchangeSweepReviewTests.AtLanguageVersion9(Source, "Session23ColumnTermsReview", "Review23a");
        Assert.True(output.SyntaxTrees.Any(t => t.ToString().Contains(Buffered, StringComparison.Ordinal)), "no column terms buffered");
        Assert.True(diagnostics.Count == 0, "at LangVersion 9:\n" + string.Join("\n", diagnostics.Take(10)));
    }
}
