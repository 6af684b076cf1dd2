using System.Reflection;
using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 20 (issue 18, mlp20): the forward sweep of a counted innermost loop reads row spans behind a guard
/// (<c>ReverseModeTransformer.ForwardRowSpans.cs</c>): <c>if (0 &lt; n &amp;&amp; 0 &lt;= off &amp;&amp; n &lt;= a.Length − off …)</c>
/// the span copy, else the indexed loop. Right only if the guard covers every row: these methods break one
/// condition at a time (offsets negative, past the end, at the end with no trips; jagged partial rows; the same
/// array twice; a row the loop writes and reads shifted; float; nested and conditional loops; <c>break</c>,
/// <c>continue</c>, a bound changed in the body; an integer division that throws midway; a null array). One compiled
/// batch; each backward of <c>F</c> against central finite differences (tolerances of <see cref="FiniteDifferenceCheck"/>:
/// double 1e-6 relative to max(1, |fd|) plus the quotient's rounding bound, float 2e-3), the Backward's value against
/// the plain method's bit for bit, how many loops take the span copy, and for inputs out of range the exception type,
/// message from the Backward as from the method, and which of two exceptions comes first (an integer division by zero
/// at iteration k or the row's end), which shows the iteration where the Backward's forward stopped (the Backward
/// writes copies of the parameter arrays, so a counter and a log written before the throw are the method's to show).
/// </summary>
public sealed class Session20ForwardRowSpansTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace ForwardRows;

        public static partial class F
        {
            // domain: w1[6]=-1..1 b1[2]=-1..1 w2[4]=-1..1 b2[2]=-1..1 x[6]=-1..1 y[4]=-1..1 batch=2..2 inputs=3..3 hidden=2..2 outputs=2..2
            [Differentiable]
            public static double Mlp(double[] w1, double[] b1, double[] w2, double[] b2, [NoGrad] double[] x, [NoGrad] double[] y, int batch, int inputs, int hidden, int outputs)
            {
                var h = new double[batch * hidden];
                for (var b = 0; b < batch; b++)
                {
                    for (var j = 0; j < hidden; j++)
                    {
                        var z = b1[j];
                        for (var i = 0; i < inputs; i++)
                        {
                            z += w1[(j * inputs) + i] * x[(b * inputs) + i];
                        }

                        h[(b * hidden) + j] = Math.Tanh(z);
                    }
                }

                var loss = 0.0;
                for (var b = 0; b < batch; b++)
                {
                    for (var o = 0; o < outputs; o++)
                    {
                        var prediction = b2[o];
                        for (var j = 0; j < hidden; j++)
                        {
                            prediction += w2[(o * hidden) + j] * h[(b * hidden) + j];
                        }

                        var error = prediction - y[(b * outputs) + o];
                        loss += error * error;
                    }
                }

                return loss / (batch * outputs);
            }

            // domain: w1[6]=-1..1 b1[2]=-1..1 x[6]=-1..1 batch=2..2 inputs=3..3 hidden=2..2
            [Differentiable]
            public static float MlpFloat(float[] w1, float[] b1, [NoGrad] float[] x, int batch, int inputs, int hidden)
            {
                var loss = 0f;
                for (var b = 0; b < batch; b++)
                {
                    for (var j = 0; j < hidden; j++)
                    {
                        var z = b1[j];
                        for (var i = 0; i < inputs; i++)
                        {
                            z += w1[(j * inputs) + i] * x[(b * inputs) + i];
                        }

                        var a = MathF.Tanh(z);
                        loss += a * a;
                    }
                }

                return loss;
            }

            // domain: w[8]=-1..1 x=-1..1 n=4..4 off=0..0
            [Differentiable]
            public static double Offset(double[] w, [NoGrad] double x, int n, int off)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = x;
                    for (var i = 0; i < n; i++)
                    {
                        s += w[off + (r * 2) + i] * x;
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[8]=-1..1 n=3..3 off=3..3
            [Differentiable]
            public static double ShiftedBack(double[] a, int n, int off)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    s += a[off - 2 + i] * a[i];
                }

                return s * s;
            }

            // domain: a[10]=-1..1 x[4]=-1..1 rows=4..4
            [Differentiable]
            public static double JaggedRows(double[] a, double[] x, int rows)
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

            // domain: a[6]=-1..1 b[6]=-1..1 n=3..3
            [Differentiable]
            public static double TwoArrays(double[] a, double[] b, int n)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        s += a[(r * n) + i] * b[(r * n) + i] + a[i];
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[4]=-1..1 x=-1..1 n=4..4
            [Differentiable]
            public static double ReadsRowItWrites(double[] a, double x, int n)
            {
                var t = new double[n + 1];
                t[0] = x;
                for (var i = 0; i < n; i++)
                {
                    t[1 + i] = (t[i] * 0.5) + a[i];
                }

                var s = 0.0;
                for (var i = 0; i < n + 1; i++)
                {
                    s += t[i] * t[i];
                }

                return s;
            }

            // domain: a[6]=-1..1 x[3]=-1..1 n=3..3
            [Differentiable]
            public static double UnderConditional(double[] a, double[] x, int n)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        s += x[i] > 0.0 ? a[(r * n) + i] * x[i] : x[i];
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[6]=-1..1 x=0.5..1.5 n=3..3
            [Differentiable]
            public static double WithContinue(double[] a, double x, int n)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = x;
                    for (var i = 0; i < n; i++)
                    {
                        if (a[(r * n) + i] < 0.0)
                        {
                            continue;
                        }

                        s += a[(r * n) + i] * x;
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[6]=-1..1 x=0.5..1.5 n=3..3
            [Differentiable]
            public static double WithBreak(double[] a, double x, int n)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = x;
                    for (var i = 0; i < n; i++)
                    {
                        s += a[(r * n) + i] * x;
                        if (s > 1.2)
                        {
                            break;
                        }
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[9]=-1..1 x=-1..1 n=3..3
            [Differentiable]
            public static double BoundChangedInBody(double[] a, double x, int n)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var m = n;
                    var s = x;
                    for (var i = 0; i < m; i++)
                    {
                        s += a[(r * n) + i] * x;
                        m = i < 1 ? m : m - 1;
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 n=4..4 k=9..9
            [Differentiable]
            public static double IntegerDivision(double[] a, double x, int n, int k)
            {
                var s = x;
                for (var i = 0; i < n; i++)
                {
                    var q = 12 / (k - i);
                    s += a[n + i] * q * x;
                }

                return s * s;
            }

            // domain: a[8]=-1..1 x=-1..1 n=4..4 off=2..2 k=9..9
            [Differentiable]
            public static double DivisionOrRow(double[] a, double x, int n, int off, int k)
            {
                var s = x;
                for (var i = 0; i < n; i++)
                {
                    var q = 12 / (k - i);
                    s += a[off + i] * q * x;
                }

                return s * s;
            }

            // domain: a[6]=0.5..1.5 x=-1..1 n=3..3
            [Differentiable]
            public static double SavesInLoop(double[] a, double x, int n)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var p = 1.0;
                    for (var i = 0; i < n; i++)
                    {
                        p = (p * a[(r * n) + i]) + Math.Sin(a[(r * n) + i] * x);
                    }

                    total += p;
                }

                return total;
            }

            // domain: a[8]=-1..1 b[4]=-1..1
            [Differentiable]
            public static double ConstantBound(double[] a, double[] b)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = 0.0;
                    for (var i = 0; i < 4; i++)
                    {
                        s += a[(r * 4) + i] * b[i];
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[6]=-1..1 x=-1..1 n=3..3
            [Differentiable]
            public static double InnerUnderBranch(double[] a, double x, int n)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    if (r % 2 == 0 || x > 0.0)
                    {
                        var s = x;
                        for (var i = 0; i < n; i++)
                        {
                            s += a[(r * n) + i] * a[(r * n) + i];
                        }

                        total += s * x;
                    }
                }

                return total;
            }

            // domain: a[6]=-1..1 x=0.1..0.4 n=3..3
            [Differentiable]
            public static double OuterWhile(double[] a, double x, int n)
            {
                var total = x;
                var r = 0;
                while (total < 3.0 && r < 2)
                {
                    var s = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        s += a[(r * n) + i] * total;
                    }

                    total += s * s + 0.5;
                    r++;
                }

                return total;
            }

            // domain: a[6]=-1..1 b[3]=-1..1 n=3..3
            [Differentiable]
            public static double MixedPrecision(float[] a, double[] b, int n)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        s += a[(r * n) + i] * b[i];
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: _wRow[6]=-1..1 wRow[6]=-1..1 _i=3..3 seed=-1..1
            [Differentiable]
            public static double HostileNames(double[] _wRow, [NoGrad] double[] wRow, int _i, double seed)
            {
                var dx = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var _tape = seed;
                    for (var i = 0; i < _i; i++)
                    {
                        _tape += _wRow[(r * _i) + i] * wRow[(r * _i) + i];
                    }

                    dx += _tape * _tape;
                }

                return dx;
            }
        }

        public static partial class G
        {
            // A counter and a log in parameter arrays, written before the row is read (and read by the result, so the
            // Backward's forward writes them too): what the user sees after an exception.
            [Differentiable]
            public static double Logged(double[] a, [NoGrad] double[] log, [NoGrad] double[] count, int n, int off)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    count[0] = count[0] + 1.0;
                    log[i] = log[i] + count[0];
                    s += a[off + i] * log[i];
                }

                return s;
            }

            [Differentiable]
            public static double Aliased(double[] a, double[] b, int n, int off)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    s += a[off + i] * b[i];
                }

                return s * s;
            }
        }

        public static class Probe
        {
            /// <summary>The exception type and message the method throws (or "none") and the log and counter after it.</summary>
            public static string LoggedPrimal(int length, int n, int off) => Logged(length, n, off, (a, log, count) => G.Logged(a, log, count, n, off));

            /// <summary>The same from the Backward.</summary>
            public static string LoggedBackward(int length, int n, int off) => Logged(length, n, off, (a, log, count) => G.LoggedBackward(a, log, count, n, off, new double[a.Length]));

            public static string OffsetPrimal(int length, int n, int off) => Catch(() => F.Offset(length < 0 ? null! : new double[length], 0.5, n, off));

            public static string OffsetBackward(int length, int n, int off) => Catch(() => F.OffsetBackward(length < 0 ? null! : new double[length], 0.5, n, off, new double[Math.Max(length, 0)]));

            public static string FirstThrowPrimal(int off, int k) => Catch(() => F.DivisionOrRow(Filled(8), 0.5, 4, off, k));

            public static string FirstThrowBackward(int off, int k) => Catch(() =>
            {
                var dx = 0.0;
                return F.DivisionOrRowBackward(Filled(8), 0.5, 4, off, k, new double[8], ref dx);
            });

            public static string DivisionPrimal(int k) => Catch(() => F.IntegerDivision(Filled(8), 0.5, 4, k));

            public static string DivisionBackward(int k) => Catch(() =>
            {
                var dx = 0.0;
                return F.IntegerDivisionBackward(Filled(8), 0.5, 4, k, new double[8], ref dx);
            });

            /// <summary>The Backward of the same array passed twice against a copy: value and both adjoints, bit for bit.</summary>
            public static string Aliasing(int n, int off)
            {
                var a = Filled(8);
                double[] da1 = new double[8], db1 = new double[8], da2 = new double[8], db2 = new double[8];
                var v1 = G.AliasedBackward(a, a, n, off, da1, db1);
                var v2 = G.AliasedBackward(a, (double[])a.Clone(), n, off, da2, db2);
                var primal = G.Aliased(a, a, n, off);
                return v1 == v2 && v1 == primal && Same(da1, da2) && Same(db1, db2) ? "same" : $"{v1} {v2} {primal}";
            }

            private static bool Same(double[] x, double[] y)
            {
                for (var i = 0; i < x.Length; i++)
                {
                    if (BitConverter.DoubleToInt64Bits(x[i]) != BitConverter.DoubleToInt64Bits(y[i]))
                    {
                        return false;
                    }
                }

                return true;
            }

            private static double[] Filled(int length)
            {
                var a = new double[length];
                for (var i = 0; i < length; i++)
                {
                    a[i] = 0.25 + (0.125 * i);
                }

                return a;
            }

            private static string Logged(int length, int n, int off, Func<double[], double[], double[], double> f)
            {
                var a = Filled(length);
                var log = new double[Math.Max(n, 0)];
                var count = new double[1];
                var result = Catch(() => f(a, log, count));

                return result + " | log " + string.Join(",", log) + " | count " + count[0];
            }

            private static string Catch(Func<double> f)
            {
                try
                {
                    return "none " + BitConverter.DoubleToInt64Bits(f());
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

    /// <summary>
    /// The Backward's value is the plain method's bit for bit: the span copy reads and writes the same elements in the
    /// same order (the points of the finite-difference check, each method's first differentiable array scaled).
    /// </summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void Forward_value_is_the_methods_bit_for_bit(string key)
    {
        s_batch.Value.AssertForwardValueIsTheMethods(key, s_methods, key.Length);
    }

    /// <summary>How many forward loops take the span copy behind a guard.</summary>
    [Theory]
    [InlineData("F.Mlp", 2)]
    [InlineData("F.MlpFloat", 1)]
    [InlineData("F.Offset", 1)]
    [InlineData("F.ShiftedBack", 1)]
    [InlineData("F.JaggedRows", 1)]
    [InlineData("F.TwoArrays", 1)]
    [InlineData("F.ReadsRowItWrites", 1)]
    [InlineData("F.UnderConditional", 1)]
    [InlineData("F.WithContinue", 1)]
    [InlineData("F.WithBreak", 0)]
    [InlineData("F.BoundChangedInBody", 0)]
    [InlineData("F.IntegerDivision", 1)]
    [InlineData("F.DivisionOrRow", 1)]
    [InlineData("F.SavesInLoop", 1)]
    [InlineData("F.ConstantBound", 1)]
    [InlineData("F.InnerUnderBranch", 1)]
    [InlineData("F.OuterWhile", 1)]
    [InlineData("F.MixedPrecision", 1)]
    [InlineData("F.HostileNames", 1)]
    [InlineData("G.Logged", 1)]
    [InlineData("G.Aliased", 1)]
    public void Forward_loops_over_row_spans(string key, int expected)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var found = Regex.Matches(source, "// Over row spans where every row is in range").Count;
        Assert.True(expected == found, $"{key}: {found} forward loops over row spans (expected {expected})\n{source}");
    }

    /// <summary>
    /// Out of range, the Backward throws what the method throws, with its message (each iteration counts and logs in
    /// parameter arrays before it reads the row); a loop that runs no iteration throws nothing at any offset.
    /// </summary>
    [Theory]
    [InlineData(8, 4, 0)]
    [InlineData(8, 4, 4)]
    [InlineData(8, 4, 3)]
    [InlineData(8, 4, -1)]
    [InlineData(8, 4, 9)]
    [InlineData(8, 0, 8)]
    [InlineData(8, 0, 50)]
    [InlineData(8, 0, -7)]
    [InlineData(2, 4, 0)]
    [InlineData(0, 3, 0)]
    public void Logged_loop_throws_what_the_method_throws(int length, int n, int off)
    {
        var primal = Call("LoggedPrimal", length, n, off);
        var backward = Call("LoggedBackward", length, n, off);
        Assert.Equal(primal.Split(" | ")[0], backward.Split(" | ")[0]);

        // The Backward writes copies of the parameter arrays (inputs untouched, its contract), so the caller sees the
        // method's side effects from the method only; its own stop point is checked by The_first_exception_of_the_loop_is_thrown.
        Assert.EndsWith("| log " + string.Join(",", new double[Math.Max(n, 0)]) + " | count 0", backward, StringComparison.Ordinal);
        Assert.True(off >= 0 && off + n <= length ? primal.StartsWith("none", StringComparison.Ordinal) : primal.StartsWith("IndexOutOfRangeException", StringComparison.Ordinal) || n == 0, primal);
    }

    /// <summary>Offsets negative, past the end, at the end with no trips, a null array with and without trips.</summary>
    [Theory]
    [InlineData(8, 4, 0)]
    [InlineData(8, 4, 2)]
    [InlineData(8, 4, 3)]
    [InlineData(8, 4, -1)]
    [InlineData(8, 0, 8)]
    [InlineData(8, 0, 50)]
    [InlineData(8, 0, -50)]
    [InlineData(8, 7, 0)]
    [InlineData(-1, 0, 0)]
    [InlineData(-1, 2, 0)]
    public void Offsets_out_of_range_throw_what_the_method_throws(int length, int n, int off)
    {
        Assert.Equal(Call("OffsetPrimal", length, n, off), Call("OffsetBackward", length, n, off));
    }

    /// <summary>An integer division by zero midway (k = 2: the third iteration) throws from the span copy as from the method.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    [InlineData(9)]
    public void A_division_by_zero_midway_throws_what_the_method_throws(int k)
    {
        var primal = Call("DivisionPrimal", k);
        Assert.Equal(primal, Call("DivisionBackward", k));
        Assert.Equal(k is >= 0 and < 4, primal.StartsWith("DivideByZeroException", StringComparison.Ordinal));
    }

    /// <summary>
    /// Which comes first, a division by zero at iteration k or the row's end at iteration 8 − off (the division first
    /// within an iteration): the exception type shows the iteration where the Backward's forward stopped. A guard that
    /// threw before the loop, or a span copy that ran past a division, would change it.
    /// </summary>
    [Theory]
    [InlineData(6, 1, "DivideByZeroException")]
    [InlineData(6, 2, "DivideByZeroException")]
    [InlineData(6, 3, "IndexOutOfRangeException")]
    [InlineData(5, 9, "IndexOutOfRangeException")]
    [InlineData(-1, 9, "IndexOutOfRangeException")]
    [InlineData(-1, 0, "DivideByZeroException")]
    [InlineData(4, 3, "DivideByZeroException")]
    [InlineData(4, 9, "none")]
    public void The_first_exception_of_the_loop_is_thrown(int off, int k, string expected)
    {
        var primal = Call("FirstThrowPrimal", off, k);
        Assert.StartsWith(expected, primal, StringComparison.Ordinal);
        Assert.Equal(primal, Call("FirstThrowBackward", off, k));
    }

    [Theory]
    [InlineData(4, 0)]
    [InlineData(4, 2)]
    [InlineData(8, 0)]
    public void The_same_array_twice_gives_what_two_copies_give(int n, int off)
    {
        Assert.Equal("same", Call("Aliasing", n, off));
    }

    private static string Call(string name, params object[] args)
    {
        var probe = s_batch.Value.Output!.Value.Assembly.GetType("ForwardRows.Probe")!;
        return (string)probe.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, args)!;
    }
}
