using System.Reflection;
using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 22 (issue 18, gmm22a): the old order of an interchangeable row/column nest (GMM's reversed triangle below
/// <c>InterchangeMinRows</c> = 12 rows) in a static local function <c>_Rows</c> from <c>OldOrderFunctionMinRows</c> = 4
/// rows, inline below (<c>ReverseModeTransformer.OldOrderSweep.cs</c>). Triangles of 0, 1, 2, 3, 4, 11 and 12 rows,
/// float at 3 and 11, constant row counts (3: inline, 5 and 9: the function without a test), rows from 2, a subtracting
/// update with a scalar, two scalars in the term (a tuple back), a remainder in the index, an early return, a break in
/// the row loop (not interchangeable: inline), user names like the generated ones (<c>_col</c>, <c>_t0</c>, <c>dx</c>,
/// <c>_tape</c>, <c>seed</c>, <c>_result</c>, <c>_Rows</c>), a row bound written by an enclosing loop (GMM's own
/// triangle, inside its point and component loops, is checked against the hand gradient by the benchmarks' --verify). Every method against central finite differences (<see cref="FiniteDifferenceCheck"/>:
/// double 1e-6 relative to max(1, |fd|) plus the quotient's rounding bound, float 2e-3); the function against the old
/// order written out (rows downwards, columns upwards, as main's inline reverse: max relative difference 1e-12), also
/// with dIcf in icf's own memory (aliasing: the same reads and writes in the same order); a generic-math method equal bit for bit to the plain one; an icf too short, a dIcf too short and a
/// remainder by zero throw in the backward what the primal or the old order throws.
/// </summary>
public sealed class Session22OldOrderSweepTests
{
    private const int PointsPerFunction = 2;

    internal const string Plain = "double[] icf, double[] mu, [NoGrad] double[] x, int d";

    internal const string Term = "icf[lower] * (x[col] - mu[col])";

    /// <summary>The domain of a triangle of <paramref name="d"/> rows: icf holds d(d + 1)/2 entries and one spare.</summary>
    internal static string Domain(int d, string extra = "") =>
        $"icf[{(d * (d + 1) / 2) + 1}]=-0.5..0.5 mu[{d + 1}]=-1..1 x[{d + 1}]=-1..1 d={d}..{d}{extra}";

    internal static string Triangle(int d, string type = "double") =>
        Session21InterchangeSweepReviewTests.Nest((type == "float" ? "FloatRows" : "Rows") + d, "A triangle of " + d + " rows.", Domain(d), Plain.Replace("double", type, StringComparison.Ordinal), Term, type: type);

    /// <summary>A nest with a constant row count (the template's rows read <c>d</c>, a parameter).</summary>
    private static string Constant(int rows) => $$"""

                // domain: {{Domain(rows)}}
                [Differentiable]
                public static double ConstantRows{{rows}}({{Plain}})
                {
                    var s = 0.0;
                    for (var j = 0; j < {{rows}}; j++)
                    {
                        var row = icf[j] * (x[j] - mu[j]);
                        var lower = d + j - 1;
                        for (var col = 0; col < j; col++)
                        {
                            row += {{Term}};
                            lower += d - col - 2;
                        }

                        s += row * row;
                    }

                    return s * s;
                }
        """;

    private static readonly string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Session22OldOrder;

        public static partial class G
        {
        """ + string.Concat(
        Triangle(0), Triangle(1), Triangle(2), Triangle(3), Triangle(4), Triangle(11), Triangle(12), Triangle(3, "float"), Triangle(11, "float"),
        Constant(3), Constant(5), Constant(9),
        Session21InterchangeSweepReviewTests.Nest("RowsFromTwo7", "Rows from 2.", Domain(7), Plain, Term, rows: "var j = 2"),
        Session21InterchangeSweepReviewTests.Nest("SubtractingScalar6", "A subtracting update with a scalar parameter: its adjoint comes back from the function.", Domain(6, " w=0.5..1.5"), Plain + ", double w", "w * " + Term, update: "-="),
        Session21InterchangeSweepReviewTests.Nest("TwoScalars6", "A local and a parameter in the term: a tuple back.", Domain(6, " w=0.5..1.5"), Plain + ", double w", "v * w * " + Term, prelude: "                var v = Math.Sin(mu[d]);\n", result: "return (s * s) + v;"),
        Session21InterchangeSweepReviewTests.Nest("RemainderIndex6", "A remainder in the index (m = 0 divides by zero).", Domain(6, " m=20..20"), Plain + ", int m", "icf[lower % m] * (x[col] - mu[col])"),
        Session21InterchangeSweepReviewTests.Nest("EarlyReturn6", "An early return after the nest.", Domain(6), Plain, Term, result: "if (s > 1e6)\n                {\n                    return 0.0;\n                }\n\n                return s * s;"),
        Session21InterchangeSweepReviewTests.Nest("HostileNames6", "User names like the generated ones (_Rows and _col locals the nest reads, passed to the function _Rows_1).", "_t0[22]=-0.5..0.5 dx[7]=-1..1 _tape[7]=-1..1 seed=0.5..1.5 d=6..6", "double[] _t0, double[] dx, [NoGrad] double[] _tape, double seed, int d", "_Rows * _t0[lower] * (_tape[col] - dx[col])", prelude: "                var _Rows = 0.5 * seed;\n                var _col = 0.25 * seed;\n                var _result = seed * seed;\n", rowInit: "(_t0[j] * (_tape[j] - dx[j])) + _col", result: "return (s * s) + _result;"),
        Session21InterchangeSweepReviewTests.Nest("BreakInRows6", "A break in the row loop: not interchangeable, inline.", Domain(6), Plain, Term, rowTail: "                    if (row > 50.0)\n                    {\n                        break;\n                    }\n")) + """

            // A row bound an enclosing loop writes: rows d, d - 1, d - 2 (6, 5, 4: the function; then 3 would be inline).
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

            private static double Worst(double[] a, double[] b)
            {
                var scale = b.Select(Math.Abs).DefaultIfEmpty(0.0).Max();
                return a.Zip(b).Select(p => Math.Abs(p.First - p.Second) / Math.Max(Math.Max(Math.Abs(p.Second), 1e-3 * scale), 1e-300)).DefaultIfEmpty(0.0).Max();
            }

            /// <summary>
            /// The old order written out (main's inline reverse of the triangle: rows downwards, each row's columns
            /// upwards, then its diagonal term), the reference G.Rows11's function is checked against; the adjoints added
            /// into <paramref name="dIcf"/> and <paramref name="dMu"/>, which may be icf's own memory.
            /// </summary>
            private static double OldOrder(double[] icf, double[] mu, double[] x, int d, Span<double> dIcf, Span<double> dMu)
            {
                var rows = new double[d];
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
                }

                return s * s;
            }

            /// <summary>
            /// G.Rows11's function (d = 6 rows through its parameter) against <see cref="OldOrder"/>: the max relative
            /// difference of value and adjoints; with <paramref name="aliased"/>, dIcf is icf's own memory in both.
            /// </summary>
            public static double AgainstOldOrder(bool aliased)
            {
                var icf = Values(22, 1, 0.5);
                var mu = Values(7, 2, 1.0);
                var x = Values(7, 3, 1.0);
                var (icf1, icf2) = ((double[])icf.Clone(), (double[])icf.Clone());
                var (a1, a2, b1, b2) = (new double[22], new double[22], new double[7], new double[7]);
                var v1 = G.Rows11Backward(icf1, mu, x, 6, aliased ? icf1 : a1, b1);
                var v2 = OldOrder(icf2, mu, x, 6, aliased ? icf2 : a2, b2);
                return Math.Max(Math.Abs(v1 - v2) / Math.Max(1.0, Math.Abs(v2)), Worst(icf1.Concat(a1).Concat(b1).ToArray(), icf2.Concat(a2).Concat(b2).ToArray()));
            }

            public static string Primal(int icfLength, int d, int m) => Catch(() => m < 0
                ? G.Rows11(Values(icfLength, 4, 0.5), Values(12, 5, 1.0), Values(12, 6, 1.0), d)
                : G.RemainderIndex6(Values(icfLength, 4, 0.5), Values(12, 5, 1.0), Values(12, 6, 1.0), d, m));

            public static string Backward(int icfLength, int dIcfLength, int d, int m) => Catch(() => m < 0
                ? G.Rows11Backward(Values(icfLength, 4, 0.5), Values(12, 5, 1.0), Values(12, 6, 1.0), d, new double[dIcfLength], new double[12])
                : G.RemainderIndex6Backward(Values(icfLength, 4, 0.5), Values(12, 5, 1.0), Values(12, 6, 1.0), d, m, new double[dIcfLength], new double[12]));

            /// <summary>The written-out old order's exception for the same short dIcf.</summary>
            public static string OldOrderBackward(int icfLength, int dIcfLength) => Catch(() =>
                OldOrder(Values(icfLength, 4, 0.5), Values(12, 5, 1.0), Values(12, 6, 1.0), 6, new double[dIcfLength], new double[12]));

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

    /// <summary>A generic-math triangle (C# 11; the harness draws no points for T[]) and its check against the plain method.</summary>
    internal static readonly string GenericSource = """
        using System;
        using System.Linq;
        using System.Numerics;
        using StaticGrad;

        namespace Session22OldOrderGeneric;

        public static partial class GG
        {
        """ + Session21InterchangeSweepReviewTests.Nest("Generic6<T>", "A generic-math triangle.", Domain(6), "T[] icf, T[] mu, [NoGrad] T[] x, int d", Term, type: "T", constraint: " where T : IFloatingPointIeee754<T>")
        + Session21InterchangeSweepReviewTests.Nest("Triangle6", "The plain method.", Domain(6), Plain, Term) + """

            /// <summary>0 when Generic6's value and adjoints equal Triangle6's bit for bit.</summary>
            public static double GenericCheck()
            {
                var random = new Random(5);
                var icf = Enumerable.Range(0, 22).Select(_ => random.NextDouble() - 0.5).ToArray();
                var mu = Enumerable.Range(0, 7).Select(_ => random.NextDouble() - 0.5).ToArray();
                var x = Enumerable.Range(0, 7).Select(_ => random.NextDouble() - 0.5).ToArray();
                var (a1, b1, a2, b2) = (new double[22], new double[7], new double[22], new double[7]);
                var v1 = Generic6Backward<double>(icf, mu, x, 6, a1, b1);
                var v2 = Triangle6Backward(icf, mu, x, 6, a2, b2);
                return v1 == v2 && a1.SequenceEqual(a2) && b1.SequenceEqual(b2) ? 0.0 : 1.0;
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

    /// <summary>
    /// How many old-order functions each method has, and how many of them sit behind the row-count test (a constant row
    /// count decides at compile time: 3 inline, 5 and 9 the function alone).
    /// </summary>
    [Theory]
    [InlineData("G.Rows0", 1, 1)]
    [InlineData("G.Rows3", 1, 1)]
    [InlineData("G.Rows11", 1, 1)]
    [InlineData("G.Rows12", 1, 1)]
    [InlineData("G.FloatRows3", 1, 1)]
    [InlineData("G.ConstantRows3", 0, 0)]
    [InlineData("G.ConstantRows5", 1, 0)]
    [InlineData("G.ConstantRows9", 1, 0)]
    [InlineData("G.RowsFromTwo7", 1, 1)]
    [InlineData("G.SubtractingScalar6", 1, 1)]
    [InlineData("G.TwoScalars6", 1, 1)]
    [InlineData("G.RemainderIndex6", 1, 1)]
    [InlineData("G.EarlyReturn6", 1, 1)]
    [InlineData("G.BreakInRows6", 0, 0)]
    [InlineData("G.HostileNames6", 1, 1)]
    [InlineData("G.ShrinkingRows6", 1, 1)]
    public void Old_order_in_a_function_from_four_rows(string key, int functions, int tests)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var found = Regex.Matches(source, @"static [^\n]*_Rows\w*\(").Count;
        var guarded = Regex.Matches(source, @"// At least 4 rows: the old order in a function of its own").Count;
        Assert.True(found == functions && guarded == tests, $"{key}: {found} functions, {guarded} row-count tests (expected {functions}, {tests})\n{source}");
    }

    private static string Call(string name, params object[] args)
    {
        var probe = s_batch.Value.Output!.Value.Assembly.GetType("Session22OldOrder.Probe")!;
        return Convert.ToString(probe.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, args), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    /// <summary>The function against the old order written out, plain and with dIcf in icf's memory (the same reads and writes in the same order).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Function_matches_the_old_order(bool aliased)
    {
        var worst = double.Parse(Call("AgainstOldOrder", aliased), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(worst <= 1e-12, $"AgainstOldOrder({aliased}): max relative difference {worst}");
    }

    /// <summary>
    /// Rows11 at d rows reads icf[0 … d(d + 1)/2 − 1]; RemainderIndex6 divides by m. An icf too short or m = 0: the
    /// backward throws the primal's exception with its message; a dIcf too short: the function throws what the inline
    /// old order throws; in range: nothing.
    /// </summary>
    [Theory]
    [InlineData(22, 22, 6, -1)]
    [InlineData(20, 22, 6, -1)]
    [InlineData(5, 22, 6, -1)]
    [InlineData(22, 20, 6, -1)]
    [InlineData(22, 6, 6, -1)]
    [InlineData(10, 10, 4, -1)]
    [InlineData(9, 10, 4, -1)]
    [InlineData(22, 22, 6, 0)]
    [InlineData(22, 22, 6, 20)]
    public void Out_of_range_and_division_by_zero_throw_what_the_method_throws(int icfLength, int dIcfLength, int d, int m)
    {
        var primal = Call("Primal", icfLength, d, m);
        var backward = Call("Backward", icfLength, dIcfLength, d, m);
        if (!primal.StartsWith("none", StringComparison.Ordinal))
        {
            Assert.Equal(primal, backward);
        }
        else if (dIcfLength < d * (d + 1) / 2)
        {
            Assert.StartsWith("IndexOutOfRangeException", backward, StringComparison.Ordinal);
            if (d == 6 && m < 0)
            {
                Assert.Equal(Call("OldOrderBackward", icfLength, dIcfLength), backward);
            }
        }
        else
        {
            Assert.Equal(primal, backward);
        }

        Assert.Equal(icfLength >= d * (d + 1) / 2 && m != 0, primal.StartsWith("none", StringComparison.Ordinal));
    }

    /// <summary>The generic-math method compiles without a diagnostic, its old order in the function, equal bit for bit to the plain one.</summary>
    [Fact]
    public void Generic_method_equals_the_plain_one()
    {
        var output = GeneratorHarness.Run(GenericSource);
        GeneratorHarness.AssertClean(output);
        var generated = string.Join("\n", output.Sources.Where(g => g.HintName.Contains("Generic6", StringComparison.Ordinal)).Select(g => g.Source));
        Assert.True(Regex.Matches(generated, @"static [^\n]*_Rows\w*\(").Count == 1, generated);
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
