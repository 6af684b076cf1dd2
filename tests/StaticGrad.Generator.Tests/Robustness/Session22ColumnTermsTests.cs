using System.Reflection;
using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 22 (issue 18, gmm22d): the old order's column terms once per column (<c>ReverseModeTransformer.OldOrderColumnTerms.cs</c>):
/// in the old order's function <c>_Rows</c> (4 to 11 rows), each term of the inner update that reads only the column
/// index and values the nest does not write (GMM's <c>x[col] − mu[col]</c>) is filled into a buffer before the rows,
/// behind a test that no adjoint span overlaps an array a term reads. Triangles of 0, 1, 3, 4 and 11 rows (double and
/// float), a constant row count, rows from 2, a bare element (not buffered), a subtracting update with a scalar, two terms, an active x, a term also
/// reading the row (only its column part buffered), a term through Math.Exp (nothing buffered), a row loop storing into an
/// array (not interchangeable: inline), an early return, a row bound an enclosing loop writes, user names like the
/// generated ones (<c>_col</c>, <c>_t0</c>, <c>dx</c>, <c>_tape</c>, <c>seed</c>, <c>_result</c>, <c>_Rows</c>,
/// <c>_column0s</c>). Every method against central finite differences (<see cref="FiniteDifferenceCheck"/>: double 1e-6
/// relative to max(1, |fd|) plus the quotient's rounding bound, float 2e-3); the buffered reverse against main's old order
/// written out, bit for bit (the same operations on the same values), also with mu passed as dMu, with x passed as dIcf
/// (the test sends both to the inline old order) and with x in icf's memory; a generic-math method bit for bit equal to
/// the plain one; an x, an icf or a dIcf too short throws in the backward what the primal or main's old order throws.
/// <para>
/// Session 23 (gmm23a): a jagged, two-dimensional or struct adjoint of a term's scalar type in the signature buffers
/// nothing (its memory can be a term's array and <c>Overlaps</c> cannot be asked about it): batch 20262890's P60
/// minimised (<c>Batch20262890P60</c>, whose test <c>Overlaps(dm, a)</c> did not compile), a jagged adjoint whose first
/// row is mu's memory equal to the old order bit for bit, a two-dimensional one, a [NoGrad] jagged one (no adjoint:
/// buffered); a local alias of a parameter array (<c>var m = mu;</c>) is refused by the lowering (SG1010) for the old
/// order's function and the interchanged sweep alike.
/// </para>
/// </summary>
public sealed class Session22ColumnTermsTests
{
    private const int PointsPerFunction = 2;

    private const string Plain = Session22OldOrderSweepTests.Plain;

    private const string Term = Session22OldOrderSweepTests.Term;

    private const string Buffered = "// The column terms of the columns the forward read, once per column.";

    private static string Domain(int d, string extra = "") => Session22OldOrderSweepTests.Domain(d, extra);

    private static string Triangle(int d, string type = "double") => Session22OldOrderSweepTests.Triangle(d, type);

    private static readonly string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Session22ColumnTerms;

        public static partial class G
        {
        """ + string.Concat(
        Triangle(0), Triangle(1), Triangle(3), Triangle(4), Triangle(11), Triangle(4, "float"), Triangle(11, "float"),
        Session21InterchangeSweepReviewTests.Nest("RowsFromTwo7", "Rows from 2.", Domain(7), Plain, Term, rows: "var j = 2"),
        Session21InterchangeSweepReviewTests.Nest("SubtractingScalar6", "A subtracting update with a scalar parameter.", Domain(6, " w=0.5..1.5"), Plain + ", double w", "w * " + Term, update: "-="),
        Session21InterchangeSweepReviewTests.Nest("TwoTerms6", "Two column terms: two buffers.", Domain(6), Plain, Term + " + (mu[col] * x[col])"),
        Session21InterchangeSweepReviewTests.Nest("ActiveX6", "x active too: the term's adjoint goes into dX and dMu.", Domain(6), "double[] icf, double[] mu, double[] x, int d", Term),
        Session21InterchangeSweepReviewTests.Nest("RowTerm6", "A term also reading the row: only 2x[col] is a column term.", Domain(6), Plain, "icf[lower] * ((2.0 * x[col]) - mu[j])"),
        Session21InterchangeSweepReviewTests.Nest("ExpTerm6", "The difference inside Math.Exp: no column term.", Domain(6), Plain, "icf[lower] * Math.Exp(x[col] - mu[col])"),
        Session21InterchangeSweepReviewTests.Nest("StoresRows6", "The row loop stores into an array the term reads: not interchangeable, inline.", Domain(6), Plain, "icf[lower] * (x[col] - mu[col] * t[col])", prelude: "                var t = new double[d + 1];\n", rowTail: "                    t[j] = row;\n"),
        Session21InterchangeSweepReviewTests.Nest("BareElement6", "A bare element x[col]: not buffered (reading it costs what reading a buffer costs).", Domain(6), Plain, "icf[lower] * x[col] * mu[j]"),
        Session21InterchangeSweepReviewTests.Nest("EarlyReturn6", "An early return after the nest.", Domain(6), Plain, Term, result: "if (s > 1e6)\n                {\n                    return 0.0;\n                }\n\n                return s * s;"),
        Session21InterchangeSweepReviewTests.Nest("HostileNames6", "User names like the generated ones.", "_t0[22]=-0.5..0.5 dx[7]=-1..1 _tape[7]=-1..1 seed=0.5..1.5 d=6..6", "double[] _t0, double[] dx, [NoGrad] double[] _tape, double seed, int d", "_Rows * _t0[lower] * (_tape[col] - dx[col] + _column0s)", prelude: "                var _Rows = 0.5 * seed;\n                var _col = 0.25 * seed;\n                var _column0s = 0.125 * seed;\n                var _columnTermsApart = 0.0625 * seed;\n                var _result = seed * seed;\n", rowInit: "(_t0[j] * (_tape[j] - dx[j])) + _col", result: "return (s * s) + _result + _columnTermsApart;"),
        Session21InterchangeSweepReviewTests.Nest("JaggedAdjoint6", "A jagged parameter whose adjoint's rows may be mu's memory: nothing buffered.", Domain(6, " g[2x3]=-1..1"), Plain + ", double[][] g", Term, rowInit: "(icf[j] * (x[j] - mu[j])) + (0.5 * g[0][0])"),
        Session21InterchangeSweepReviewTests.Nest("GridAdjoint6", "A two-dimensional parameter of the term's type: nothing buffered.", Domain(6, " g[2x3]=-1..1"), Plain + ", double[,] g", Term, rowInit: "(icf[j] * (x[j] - mu[j])) + (0.5 * g[0, 0])"),
        Session21InterchangeSweepReviewTests.Nest("NoGradJagged6", "A [NoGrad] jagged parameter: no adjoint, buffered.", Domain(6, " g[2x3]=-1..1"), Plain + ", [NoGrad] double[][] g", Term, rowInit: "(icf[j] * (x[j] - mu[j])) + (0.5 * g[0][0])")) + """

            // Batch 20262890's P60, minimised by hand: a jagged parameter beside a 5-row triangle whose term a[c % 3] - x0 the
            // gmm22d compiler buffered behind Overlaps(dm, a), which does not compile for dm a double[][].
            // domain: a[3]=-1..1 m[3x3]=-1..1
            [Differentiable]
            public static double Batch20262890P60(double x0, double[] a, double[][] m)
            {
                double q = 0.0;
                for (int j = 0; j < 5; j++)
                {
                    double r = a[j % 3] * 0.5;
                    int s = j + 2;
                    for (int c = 0; c < j; c++)
                    {
                        r += a[s % 3] * (a[c % 3] - x0);
                        s += c + 1;
                    }

                    q += r * r * 0.25;
                }

                return Math.Sin(q) + (m[1][2] * x0);
            }

            // A constant row count of 5: the function without the row-count test, behind the overlap test.
            // domain: icf[22]=-0.5..0.5 mu[7]=-1..1 x[7]=-1..1 d=6..6
            [Differentiable]
            public static double ConstantRows5(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                for (var j = 0; j < 5; j++)
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

                return s * s;
            }

            // A row bound an enclosing loop writes: rows 6, 5, 4 (buffered), then 3 (inline).
            // domain: icf[22]=-0.5..0.5 mu[7]=-1..1 x[7]=-1..1 d=6..6 passes=4..4
            [Differentiable]
            public static double ShrinkingRows6(double[] icf, double[] mu, [NoGrad] double[] x, int d, int passes)
            {
                var total = 0.0;
                for (var p = 0; p < passes; p++)
                {
                    var rows = d - p;
                    var s = 0.0;
                    for (var j = 0; j < rows; j++)
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

                    total += Math.Sqrt(1.0 + (s * s));
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

            /// <summary>main's old order of G.Rows11 written out: rows downwards, each row's columns upwards, then its diagonal term.</summary>
            private static double OldOrder(double[] icf, double[] mu, double[] x, int d, Span<double> dIcf, Span<double> dMu) => OldOrder(icf, mu, x, d, dIcf, dMu, 0.0, Array.Empty<double>());

            /// <summary>The same with each row's start plus 0.5·g00, whose adjoint goes into dG0[0] when dG0 is not empty.</summary>
            private static double OldOrder(double[] icf, double[] mu, double[] x, int d, Span<double> dIcf, Span<double> dMu, double g00, double[] dG0)
            {
                var rows = new double[d];
                var s = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var row = icf[j] * (x[j] - mu[j]);
                    if (dG0.Length > 0)
                    {
                        row += 0.5 * g00;
                    }

                    var lower = d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        row += icf[lower] * (x[col] - mu[col]);
                        lower += d - col - 2;
                    }

                    rows[j] = row;
                    s += row * row;
                }

                var ds = 2.0 * s;
                for (var j = d - 1; j >= 0; j--)
                {
                    var dRow = 2.0 * rows[j] * ds;
                    var lower = d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        var t = icf[lower] * dRow;
                        dIcf[lower] += dRow * (x[col] - mu[col]);
                        dMu[col] -= t;
                        lower += d - col - 2;
                    }

                    var u = icf[j] * dRow;
                    dIcf[j] += dRow * (x[j] - mu[j]);
                    dMu[j] -= u;
                    if (dG0.Length > 0)
                    {
                        dG0[0] += 0.5 * dRow;
                    }
                }

                return s * s;
            }

            /// <summary>
            /// G.Rows11 at d = 6 against <see cref="OldOrder"/> under the same aliasing: 0 where value and every adjoint and
            /// array are equal bit for bit, else the largest absolute difference. Aliasing: 1 mu passed as dMu, 2 x passed
            /// as dIcf (both arrays 22 long), 3 x in icf's memory.
            /// </summary>
            public static double AgainstOldOrder(int aliasing)
            {
                var icf = Values(22, 1, 0.5);
                var mu = Values(22, 2, 1.0);
                var x = Values(22, 3, 1.0);
                double Run(bool generated, out double[] state)
                {
                    var (i, m, xx) = ((double[])icf.Clone(), (double[])mu.Clone(), (double[])x.Clone());
                    if (aliasing == 3)
                    {
                        xx = i;
                    }

                    var (dI, dM) = (aliasing == 2 ? xx : new double[22], aliasing == 1 ? m : new double[22]);
                    var v = generated ? G.Rows11Backward(i, m, xx, 6, dI, dM) : OldOrder(i, m, xx, 6, dI, dM);
                    state = i.Concat(m).Concat(xx).Concat(dI).Concat(dM).ToArray();
                    return v;
                }

                var v1 = Run(true, out var s1);
                var v2 = Run(false, out var s2);
                return Math.Max(Math.Abs(v1 - v2), s1.Zip(s2).Select(p => p.First.Equals(p.Second) ? 0.0 : Math.Max(Math.Abs(p.First - p.Second), double.Epsilon)).Max());
            }

            /// <summary>
            /// G.JaggedAdjoint6 with dg's first row mu's own memory (or not) against the old order written out with the
            /// row term 0.5·g[0][0] (its adjoint added after the row's columns): 0 where equal bit for bit.
            /// </summary>
            public static double JaggedAgainstOldOrder(bool aliased)
            {
                var icf = Values(22, 10, 0.5);
                var mu = Values(7, 11, 1.0);
                var x = Values(7, 12, 1.0);
                var g = new[] { Values(3, 13, 1.0), Values(3, 14, 1.0) };
                double Run(bool generated, out double[] state)
                {
                    var (i, m, xx) = ((double[])icf.Clone(), (double[])mu.Clone(), (double[])x.Clone());
                    var (dI, dM) = (new double[22], new double[7]);
                    var dG = new[] { aliased ? m : new double[3], new double[3] };
                    var v = generated ? G.JaggedAdjoint6Backward(i, m, xx, 6, g, dI, dM, dG) : OldOrder(i, m, xx, 6, dI, dM, g[0][0], dG[0]);
                    state = i.Concat(m).Concat(xx).Concat(dI).Concat(dM).Concat(dG[0]).Concat(dG[1]).ToArray();
                    return v;
                }

                return Difference(Run(true, out var s1), s1, Run(false, out var s2), s2);
            }

            private static double Difference(double v1, double[] s1, double v2, double[] s2) =>
                Math.Max(Math.Abs(v1 - v2), s1.Zip(s2).Select(p => p.First.Equals(p.Second) ? 0.0 : Math.Max(Math.Abs(p.First - p.Second), double.Epsilon)).Max());

            public static string Primal(int icfLength, int xLength, int d) => Catch(() => G.Rows11(Values(icfLength, 4, 0.5), Values(12, 5, 1.0), Values(xLength, 6, 1.0), d));

            public static string Backward(int icfLength, int xLength, int dIcfLength, int d) =>
                Catch(() => G.Rows11Backward(Values(icfLength, 4, 0.5), Values(12, 5, 1.0), Values(xLength, 6, 1.0), d, new double[dIcfLength], new double[12]));

            public static string OldOrderBackward(int icfLength, int xLength, int dIcfLength, int d) =>
                Catch(() => OldOrder(Values(icfLength, 4, 0.5), Values(12, 5, 1.0), Values(xLength, 6, 1.0), d, new double[dIcfLength], new double[12]));

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

    /// <summary>How many column-term fills each method has (one per old-order function with a column term) and how many buffers.</summary>
    [Theory]
    [InlineData("G.Rows0", 1, 1)]
    [InlineData("G.Rows3", 1, 1)]
    [InlineData("G.Rows11", 1, 1)]
    [InlineData("G.FloatRows4", 1, 1)]
    [InlineData("G.ConstantRows5", 1, 1)]
    [InlineData("G.RowsFromTwo7", 1, 1)]
    [InlineData("G.SubtractingScalar6", 1, 1)]
    [InlineData("G.TwoTerms6", 1, 2)]
    [InlineData("G.ActiveX6", 1, 1)]
    [InlineData("G.RowTerm6", 1, 1)]
    [InlineData("G.ExpTerm6", 0, 0)]
    [InlineData("G.BareElement6", 0, 0)]
    [InlineData("G.StoresRows6", 0, 0)]
    [InlineData("G.HostileNames6", 1, 1)]
    [InlineData("G.ShrinkingRows6", 1, 1)]
    [InlineData("G.JaggedAdjoint6", 0, 0)]
    [InlineData("G.GridAdjoint6", 0, 0)]
    [InlineData("G.NoGradJagged6", 1, 1)]
    [InlineData("G.Batch20262890P60", 0, 0)]
    public void Column_terms_buffered_where_the_old_order_has_a_function(string key, int fills, int buffers)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var found = Regex.Matches(source, Regex.Escape(Buffered)).Count;
        var rented = Regex.Matches(source, @"= global::StaticGrad\.CompilerServices\.AdTape\.Rent(Doubles|Singles)\(d - 1\);").Count
            + Regex.Matches(source, @"= global::StaticGrad\.CompilerServices\.AdTape\.Rent(Doubles|Singles)\(rows - 1\);").Count
            + Regex.Matches(source, @"= global::StaticGrad\.CompilerServices\.AdTape\.Rent(Doubles|Singles)\(5 - 1\);").Count;
        Assert.True(found == fills && rented == buffers, $"{key}: {found} fills, {rented} buffers (expected {fills}, {buffers})\n{source}");
    }

    private static string Call(string name, params object[] args)
    {
        var probe = s_batch.Value.Output!.Value.Assembly.GetType("Session22ColumnTerms.Probe")!;
        return Convert.ToString(probe.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, args), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    /// <summary>The buffered reverse against main's old order written out, bit for bit, also under aliasing (see the probe).</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Buffered_reverse_equals_the_old_order_bit_for_bit(int aliasing)
    {
        var worst = double.Parse(Call("AgainstOldOrder", aliasing), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(worst == 0.0, $"AgainstOldOrder({aliasing}): largest difference {worst}");
    }

    /// <summary>
    /// mu (or the [NoGrad] x, or a span parameter) read through a local alias, <c>var m = mu;</c>, in a nest of 6 rows
    /// (the old order's function) and of 12 (the interchanged sweep): the run-time tests compare the caller's adjoint
    /// spans with the arrays a term reads, and a local alias would hide the parameter's memory behind another name. The
    /// lowering refuses every such local (SG1010: a local array is created with <c>new T[n]</c> or <c>stackalloc</c>),
    /// so no nest reads an alias; the tests also take every array a term reads that is not a fresh local
    /// (<c>ArrayAliases</c>), should that change.
    /// </summary>
    [Theory]
    [InlineData(6, "double[] mu", "var m = mu;")]
    [InlineData(12, "double[] mu", "var m = mu;")]
    [InlineData(6, "[NoGrad] double[] mu", "var m = mu;")]
    [InlineData(12, "ReadOnlySpan<double> mu", "ReadOnlySpan<double> m = mu;")]
    public void Local_alias_of_a_parameter_array_is_refused(int d, string parameter, string alias)
    {
        var source = "using System;\nusing StaticGrad;\n\nnamespace Session22ColumnTermsAlias;\n\npublic static partial class A\n{"
            + Session21InterchangeSweepReviewTests.Nest("Alias", "A local alias.", Domain(d), "double[] icf, " + parameter + ", [NoGrad] double[] x, int d", "icf[lower] * (x[col] - m[col])", prelude: "                " + alias + "\n", rowInit: "icf[j] * (x[j] - m[j])")
            + "\n}\n";
        var diagnostics = GeneratorHarness.Run(source).LocatedDiagnostics();
        Assert.True(diagnostics.Length == 1 && diagnostics[0].Id == "SG1010" && diagnostics[0].Message.Contains("Local array 'm'", StringComparison.Ordinal), string.Join("\n", diagnostics.Select(x => x.Id + " " + x.Text + ": " + x.Message)));
    }

    /// <summary>A jagged adjoint whose first row is mu's memory: the old order, unbuffered, equal to main's bit for bit.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Jagged_adjoint_row_in_mu_equals_the_old_order(bool aliased)
    {
        var worst = double.Parse(Call("JaggedAgainstOldOrder", aliased), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(worst == 0.0, $"JaggedAgainstOldOrder({aliased}): largest difference {worst}");
    }

    /// <summary>
    /// Rows11 at d rows reads icf[0 … d(d + 1)/2 − 1] and x[0 … d − 1]. Too short: the backward throws the primal's
    /// exception with its message; a dIcf too short: what main's old order throws; in range: nothing.
    /// </summary>
    [Theory]
    [InlineData(22, 12, 22, 6)]
    [InlineData(20, 12, 22, 6)]
    [InlineData(22, 5, 22, 6)]
    [InlineData(22, 4, 22, 6)]
    [InlineData(22, 12, 20, 6)]
    [InlineData(22, 12, 6, 6)]
    [InlineData(10, 12, 10, 4)]
    [InlineData(10, 3, 10, 4)]
    public void Out_of_range_throws_what_the_method_throws(int icfLength, int xLength, int dIcfLength, int d)
    {
        var primal = Call("Primal", icfLength, xLength, d);
        var backward = Call("Backward", icfLength, xLength, dIcfLength, d);
        if (!primal.StartsWith("none", StringComparison.Ordinal) || dIcfLength >= d * (d + 1) / 2)
        {
            Assert.Equal(primal, backward);
        }
        else
        {
            Assert.StartsWith("IndexOutOfRangeException", backward, StringComparison.Ordinal);
            Assert.Equal(Call("OldOrderBackward", icfLength, xLength, dIcfLength, d), backward);
        }

        Assert.Equal(icfLength >= d * (d + 1) / 2 && xLength >= d, primal.StartsWith("none", StringComparison.Ordinal));
    }

    /// <summary>The generic-math method (the old-order tests' source) compiles without a diagnostic, its column term buffered, equal bit for bit to the plain one.</summary>
    [Fact]
    public void Generic_method_equals_the_plain_one()
    {
        var output = GeneratorHarness.Run(Session22OldOrderSweepTests.GenericSource);
        GeneratorHarness.AssertClean(output);
        var generated = string.Join("\n", output.Sources.Where(g => g.HintName.Contains("Generic6", StringComparison.Ordinal)).Select(g => g.Source));
        Assert.True(Regex.Matches(generated, Regex.Escape(Buffered)).Count == 1, generated);
        var type = GeneratorHarness.Load(output.OutputCompilation).GetType("Session22OldOrderGeneric.GG")!;
        Assert.Equal(0.0, (double)type.GetMethod("GenericCheck")!.Invoke(null, null)!);
    }

    [Fact]
    public void Generated_code_compiles_without_warnings_and_the_generator_does_not_throw()
    {
        var batch = s_batch.Value;
        Assert.Null(batch.GeneratorException);
        Assert.True(batch.Output is not null, string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
    }
}
