using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 21 (issue 18, gmm21): a forward row loop whose bound an enclosing loop writes (GMM's triangle
/// <c>for (col = 0; col &lt; j; col++) row += icf[lower]·(x[point + col] − means[mean + col])</c>, jagged rows) runs over
/// spans only from <c>ForwardRowMinLength</c> = 8 iterations (<c>if (8 &lt;= j &amp;&amp; …)</c>); shorter rows, and rows out of
/// range, run the indexed loop (<c>ReverseModeTransformer.ForwardRowSpans.cs</c>). A bound no enclosing loop writes keeps
/// the plain guard. The methods take both copies at run time: triangles of 0, 1, 2, 3, 8, 9 and 12 rows (rows 8–11 on
/// spans), float, offsets, jagged rows from an outer index or from arithmetic on it, a bound written two loops out, a
/// negative bound, the same array read as two rows, a row the loop writes, an early return in the outer loop, user
/// names like the generated ones. One compiled batch; each backward against central finite differences (the
/// harness's tolerances, <see cref="FiniteDifferenceCheck"/>: double 1e-6 relative to max(1, |fd|) plus the
/// quotient's rounding bound, float 2e-3), the Backward's value against the method's bit for bit, which guards were
/// emitted, and, for rows out of range or an integer division by zero in a row, the exception (type and message) and
/// the point where the Backward's forward stopped (a counter and a log written per element, read back from the
/// Backward's own copies through the result).
/// </summary>
public sealed class Session21GmmShortRowsTests
{
    private const int PointsPerFunction = 3;

    /// <summary>GMM's triangle for one component: row j = e^{q_j}·(x_j − μ_j) + Σ_{col &lt; j} l·(x_col − μ_col).</summary>
    private static string Triangle(string name, int d, string t = "double", string exp = "Math.Exp") =>
        string.Create(CultureInfo.InvariantCulture, $$"""

                // domain: icf[{{Math.Max(1, d * (d + 1) / 2)}}]=-1..1 means[{{Math.Max(1, d + 1)}}]=-1..1 x[{{Math.Max(1, d + 2)}}]=-1..1 d={{d}}..{{d}} off=1..1
                [Differentiable]
                public static {{t}} {{name}}({{t}}[] icf, {{t}}[] means, [NoGrad] {{t}}[] x, int d, int off)
                {
                    {{t}} norm = 0;
                    for (var j = 0; j < d; j++)
                    {
                        var row = {{exp}}(icf[j]) * (x[off + j] - means[j]);
                        var lower = d + j - 1;
                        for (var col = 0; col < j; col++)
                        {
                            row += icf[lower] * (x[off + col] - means[col]);
                            lower += d - col - 2;
                        }

                        norm += row * row;
                    }

                    return norm;
                }

        """);

    private static readonly string Source = """
        using System;
        using StaticGrad;

        namespace ShortRows;

        public static partial class F
        {
        """
        + Triangle("Rows0", 0) + Triangle("Rows1", 1) + Triangle("Rows2", 2) + Triangle("Rows3", 3) + Triangle("Rows8", 8)
        + Triangle("Rows9", 9) + Triangle("Rows12", 12) + Triangle("FloatRows3", 3, "float", "MathF.Exp") + Triangle("FloatRows10", 10, "float", "MathF.Exp")
        + """
            // domain: a[80]=-1..1 x[12]=-1..1 rows=12..12
            [Differentiable]
            public static double Jagged(double[] a, double[] x, int rows)
            {
                var total = 0.0;
                var start = 0;
                for (var r = 0; r < rows; r++)
                {
                    var length = r + 1;
                    var s = 0.0;
                    for (var i = 0; i < length; i++)
                    {
                        s += a[start + i] * x[i];
                    }

                    start += length;
                    total += Math.Sin(s);
                }

                return total;
            }

            // domain: a[40]=-1..1 x=-1..1 rows=6..6
            [Differentiable]
            public static double JaggedArithmetic(double[] a, double x, int rows)
            {
                var total = 0.0;
                for (var r = 0; r < rows; r++)
                {
                    var length = (r * 5) % 11;
                    var s = x;
                    for (var i = 0; i < length; i++)
                    {
                        s = s * 0.5 + a[(r * 3) + i];
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[24]=-1..1 x=-1..1 outer=3..3 inner=4..4
            [Differentiable]
            public static double BoundTwoLoopsOut(double[] a, double x, int outer, int inner)
            {
                var total = 0.0;
                for (var p = 0; p < outer; p++)
                {
                    var n = p * 4 + 3;
                    for (var q = 0; q < inner; q++)
                    {
                        var s = x * q;
                        for (var i = 0; i < n; i++)
                        {
                            s += a[p + i] * a[q + i];
                        }

                        total += Math.Tanh(s);
                    }
                }

                return total;
            }

            // domain: a[16]=-1..1 x=-1..1 rows=11..11
            [Differentiable]
            public static double NegativeBound(double[] a, double x, int rows)
            {
                var total = x;
                for (var r = 0; r < rows; r++)
                {
                    var m = r - 5;
                    var s = 0.0;
                    for (var i = 0; i < m; i++)
                    {
                        s += a[r + i] * total;
                    }

                    total += s * 0.25;
                }

                return total;
            }

            // domain: a[24]=-1..1 d=10..10
            [Differentiable]
            public static double SameArrayTwice(double[] a, int d)
            {
                var norm = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var row = a[j];
                    for (var col = 0; col < j; col++)
                    {
                        row += a[col] * a[d + col];
                    }

                    norm += row * row;
                }

                return norm;
            }

            // domain: a[12]=-1..1 x=0.5..1.5 d=11..11
            [Differentiable]
            public static double WritesItsRow(double[] a, double x, int d)
            {
                var t = new double[d + 1];
                var total = 0.0;
                for (var j = 0; j < d; j++)
                {
                    for (var col = 0; col < j; col++)
                    {
                        t[col + 1] = t[col] * 0.5 + a[col] * x;
                    }

                    total += t[j];
                }

                return total;
            }

            // domain: a[66]=-1..1 x=-1..1 d=11..11
            [Differentiable]
            public static double WhileRows(double[] a, double x, int d)
            {
                var norm = 0.0;
                var j = 0;
                var lower = 0;
                while (j < d)
                {
                    var row = x;
                    for (var col = 0; col < j; col++)
                    {
                        row += a[lower + col] * Math.Sin(row);
                    }

                    lower += j;
                    norm += row * row;
                    j++;
                }

                return norm;
            }

            // domain: a[66]=-1..1 x=-1..1 d=11..11 limit=1.5..2.5
            [Differentiable]
            public static double EarlyReturn(double[] a, double x, int d, double limit)
            {
                var norm = 0.0;
                var lower = 0;
                for (var j = 0; j < d; j++)
                {
                    var row = x;
                    for (var col = 0; col < j; col++)
                    {
                        row += a[lower + col] * x;
                    }

                    lower += j;
                    norm += row * row;
                    if (norm > limit * 10.0)
                    {
                        return norm * 0.5;
                    }
                }

                return norm;
            }

            // domain: _xRow[12]=-1..1 xRow[12]=-1..1 seed=-1..1 _tape=10..10
            [Differentiable]
            public static double HostileNames(double[] _xRow, [NoGrad] double[] xRow, double seed, int _tape)
            {
                var _result = 0.0;
                for (var dx = 0; dx < _tape; dx++)
                {
                    var _col = seed;
                    for (var _t0 = 0; _t0 < dx; _t0++)
                    {
                        _col += _xRow[_t0 + 1] * xRow[_t0];
                    }

                    _result += _col * _col;
                }

                return _result;
            }

            // domain: a[20]=-1..1 x=-1..1 n=10..10
            [Differentiable]
            public static double InvariantBound(double[] a, double x, int n)
            {
                var total = 0.0;
                for (var r = 0; r < 3; r++)
                {
                    var s = x * r;
                    for (var i = 0; i < n; i++)
                    {
                        s += a[r + i] * x;
                    }

                    total += s * s;
                }

                return total;
            }
        }

        public static partial class G
        {
            // A counter and a log written per element before the row is read, returned through the result so the
            // Backward's forward writes its copies: the value tells where the forward stopped.
            [Differentiable]
            public static double Logged(double[] a, [NoGrad] double[] log, int rows, int off, int zeroAt)
            {
                var s = 0.0;
                for (var r = 0; r < rows; r++)
                {
                    for (var i = 0; i < r; i++)
                    {
                        log[0] = log[0] + 1.0;
                        var q = 12 / (zeroAt - (r * 100) - i);
                        s += a[off + i] * q;
                    }
                }

                return s;
            }
        }

        public static class Probe
        {
            /// <summary>The method's and the Backward's exception (type and message, or "none") and how many elements each counted.</summary>
            public static string Primal(int length, int rows, int off, int zeroAt)
            {
                var log = new double[1];
                return Catch(() => G.Logged(new double[length], log, rows, off, zeroAt)) + " after " + log[0];
            }

            public static string Backward(int length, int rows, int off, int zeroAt)
            {
                var log = new double[1];
                var result = Catch(() => G.LoggedBackward(new double[length], log, rows, off, zeroAt, new double[length]));
                return result + " caller's log " + log[0];
            }

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

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => m.TypeName == "F"));

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>Both copies read and write the same elements in the same order: the Backward's value is the method's bit for bit.</summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void Forward_value_is_the_methods_bit_for_bit(string key)
    {
        s_batch.Value.AssertForwardValueIsTheMethods(key, s_methods, key.Length + 21);
    }

    /// <summary>
    /// Guards asking for 8 iterations (a bound an enclosing loop writes) and plain guards (<c>0 &lt; n</c> first). The triangles'
    /// other forward loops have no row (or a constant or parameter bound), so each has exactly its column loop's guard.
    /// </summary>
    [Theory]
    [InlineData("F.Rows0", 1, 0)]
    [InlineData("F.Rows1", 1, 0)]
    [InlineData("F.Rows3", 1, 0)]
    [InlineData("F.Rows12", 1, 0)]
    [InlineData("F.FloatRows10", 1, 0)]
    [InlineData("F.Jagged", 1, 0)]
    [InlineData("F.JaggedArithmetic", 1, 0)]
    [InlineData("F.BoundTwoLoopsOut", 1, 0)]
    [InlineData("F.NegativeBound", 1, 0)]
    [InlineData("F.SameArrayTwice", 1, 0)]
    [InlineData("F.WritesItsRow", 1, 0)]
    [InlineData("F.HostileNames", 1, 0)]
    [InlineData("F.InvariantBound", 0, 1)]
    [InlineData("G.Logged", 1, 0)]
    public void Loop_dependent_bounds_ask_for_eight_iterations(string key, int atLeastEight, int plain)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var eight = Regex.Matches(source, @"if \(8 <= \w+ && ").Count;
        var first = Regex.Matches(source, @"// Over row spans where every row is in range[^\n]*\n\s*\w+ = 0;\n\s*if \((\w+) < ").Count;
        Assert.True(atLeastEight == eight && plain == first, $"{key}: {eight} guards asking for 8 iterations (expected {atLeastEight}), {first} plain (expected {plain})\n{source}");
    }

    /// <summary>
    /// Rows out of range (offset negative or past the end in a short row, in a row of at least 8, or only in the last
    /// row) and an integer division by zero in a short row or a long one: the Backward throws what the method throws,
    /// with its message; a run with no row out of range throws nothing. The caller's log is untouched by the Backward
    /// (it writes copies), so the count where the method stopped is compared through the method alone.
    /// </summary>
    [Theory]
    [InlineData(12, 12, 1, -1)]
    [InlineData(12, 12, 0, -1)]
    [InlineData(12, 12, 2, -1)]
    [InlineData(12, 4, 9, -1)]
    [InlineData(12, 10, 4, -1)]
    [InlineData(12, 12, -1, -1)]
    [InlineData(8, 9, 0, -1)]
    [InlineData(9, 10, 0, -1)]
    [InlineData(12, 12, 0, 902)]
    [InlineData(12, 12, 0, 301)]
    [InlineData(12, 1, 50, -1)]
    [InlineData(0, 1, -7, -1)]
    public void Rows_out_of_range_throw_what_the_method_throws(int length, int rows, int off, int zeroAt)
    {
        var primal = Call("Primal", length, rows, off, zeroAt);
        var backward = Call("Backward", length, rows, off, zeroAt);
        Assert.Equal(primal[..primal.IndexOf(" after ", StringComparison.Ordinal)], backward[..backward.IndexOf(" caller's log ", StringComparison.Ordinal)]);
        Assert.EndsWith(" caller's log 0", backward, StringComparison.Ordinal);
        var inRange = rows <= 1 || (off >= 0 && off + rows - 1 <= length);
        var divides = zeroAt >= 0 && zeroAt / 100 < rows && zeroAt % 100 < zeroAt / 100;
        Assert.True(inRange && !divides ? primal.StartsWith("none", StringComparison.Ordinal) : !primal.StartsWith("none", StringComparison.Ordinal), primal);
    }

    private static string Call(string name, params object[] args)
    {
        var probe = s_batch.Value.Output!.Value.Assembly.GetType("ShortRows.Probe")!;
        return (string)probe.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, args)!;
    }
}
