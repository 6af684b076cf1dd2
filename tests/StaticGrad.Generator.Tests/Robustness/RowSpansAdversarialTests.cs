using System.Reflection;
using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 19 (issue 18, mlp19b): the reverse of a counted loop <c>i = 0; while (i &lt; n)</c> reads row spans
/// <c>a[off..off + n]</c> instead of <c>a[off + i]</c>, upwards (<c>ReverseModeTransformer.RowSpans.cs</c>). Right
/// only where the forward sweep read every element of the row; these methods break one condition at a time: the
/// element read under <c>?:</c> or <c>&amp;&amp;</c>, an offset whose variable changes after the loop, a local array
/// created again in a loop or assigned, a bound changed in the body, <c>break</c>, zero trips with an offset out of
/// range, the same array at two offsets, float, a local array's adjoint row inside a fused iteration (LSTM's shape),
/// hostile names. One compiled batch; each backward against central finite differences (tolerances of
/// <see cref="FiniteDifferenceCheck"/>), per method how many loops read rows, and an out-of-range index or a short
/// adjoint: the same exception type from the Backward as from the method (or as before the change).
/// </summary>
public sealed class RowSpansAdversarialTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace ReviewRows;

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

            // domain: a[6]=-1..1 x[6]=-1..1 n=3..3
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

            // domain: a[6]=-1..1 x[6]=-1..1 n=3..3
            [Differentiable]
            public static double UnderShortCircuit(double[] a, double[] x, int n)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        s += (r > 0 && x[(r * n) + i] > 0.0 ? 1.0 : 0.5) * a[i];
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[12]=-1..1 x=-1..1 n=3..3
            [Differentiable]
            public static double OffsetChangedAfterLoop(double[] a, double x, int n)
            {
                var total = 0.0;
                var k = 0;
                for (var r = 0; r < 2; r++)
                {
                    var s = x;
                    for (var i = 0; i < n; i++)
                    {
                        s += a[k + i] * x;
                    }

                    k = k + n + 3;
                    total += s * s;
                }

                return total;
            }

            // domain: a[6]=-1..1 n=3..3
            [Differentiable]
            public static double LocalRecreatedInLoop(double[] a, int n)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var t = new double[n];
                    for (var i = 0; i < n; i++)
                    {
                        t[i] = a[(r * n) + i] * (r + 1.0);
                    }

                    var s = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        s += t[i] * a[i];
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[6]=-1..1 n=3..3
            [Differentiable]
            public static double LocalAssigned(double[] a, int n)
            {
                var t = new double[n];
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    for (var i = 0; i < n; i++)
                    {
                        t[i] = a[(r * n) + i] + r;
                    }

                    var s = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        s += t[i] * a[i];
                    }

                    total += s * s;
                    t = new double[n + 1];
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

            // domain: a[6]=-1..1 x=-1..1 n=3..3
            [Differentiable]
            public static double BreakInLoop(double[] a, double x, int n)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = x;
                    for (var i = 0; i < n; i++)
                    {
                        if (a[(r * n) + i] > 0.5)
                        {
                            break;
                        }

                        s += a[(r * n) + i] * x;
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[4]=-1..1 x=-1..1 n=0..0
            [Differentiable]
            public static double ZeroTripsOffsetOutOfRange(double[] a, double x, int n)
            {
                var total = x * a[0];
                for (var r = 0; r < 2; r++)
                {
                    var s = x;
                    for (var i = 0; i < n; i++)
                    {
                        s += a[100 + (r * 7) + i] * x;
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 n=4..4
            [Differentiable]
            public static double SameArrayTwoOffsets(double[] a, double x, int n)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = x;
                    for (var i = 0; i < n - r; i++)
                    {
                        s += a[i] * a[r + i] * x;
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[6]=-1..1 x[6]=-1..1 n=3..3
            [Differentiable]
            public static float FloatRows(float[] a, float[] x, int n)
            {
                var total = 0.0f;
                for (var r = 0; r < 2; r++)
                {
                    var s = 0.0f;
                    for (var i = 0; i < n; i++)
                    {
                        s += a[(r * n) + i] * x[(r * n) + i];
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: w[6]=-1..1 seq[9]=-1..1 hidden=3..3
            [Differentiable]
            public static double LocalAdjointRowsFused(double[] w, [NoGrad] double[] seq, int hidden)
            {
                var p = new double[hidden];
                var loss = 0.0;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < hidden; i++)
                    {
                        p[i] = Math.Tanh(w[(t * hidden) + i] + seq[(t * hidden) + i]);
                    }

                    var total = 0.0;
                    for (var i = 0; i < hidden; i++)
                    {
                        total += seq[((t + 1) * hidden) + i] * p[i];
                    }

                    loss += total;
                }

                return loss;
            }

            // domain: _xRow[6]=-1..1 xRow[6]=-1..1 _i=3..3
            [Differentiable]
            public static double HostileNames(double[] _xRow, [NoGrad] double[] xRow, int _i)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var _dXRow = 0.0;
                    for (var i = 0; i < _i; i++)
                    {
                        _dXRow += _xRow[(r * _i) + i] * xRow[(r * _i) + i];
                    }

                    total += _dXRow * _dXRow;
                }

                return total;
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
        }

        public static class Probe
        {
            /// <summary>The exception type the method throws, or "none".</summary>
            public static string Primal(int length, int n, int off) => Catch(() => F.Offset(new double[length], 0.5, n, off));

            /// <summary>The exception type the Backward throws with adjoints of the given length, or "none".</summary>
            public static string Backward(int length, int adjoint, int n, int off) => Catch(() => F.OffsetBackward(new double[length], 0.5, n, off, new double[adjoint]));

            private static string Catch(Func<double> f)
            {
                try
                {
                    f();
                    return "none";
                }
                catch (Exception e)
                {
                    return e.GetType().Name;
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
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>How many reversed loops read row spans, and an array that must not get one (the local <c>t</c> is not one array).</summary>
    [Theory]
    [InlineData("F.Mlp", 2, "")]
    [InlineData("F.UnderConditional", 0, "")]
    [InlineData("F.UnderShortCircuit", 0, "")]
    [InlineData("F.LocalRecreatedInLoop", 1, "t")]
    [InlineData("F.LocalAssigned", 1, "t")]
    [InlineData("F.BoundChangedInBody", 0, "")]
    [InlineData("F.BreakInLoop", 0, "")]
    [InlineData("F.SameArrayTwoOffsets", 0, "")]
    [InlineData("F.FloatRows", 1, "")]
    [InlineData("F.LocalAdjointRowsFused", 1, "")]
    [InlineData("F.HostileNames", 1, "")]
    [InlineData("F.Offset", 1, "")]
    public void Loops_reversed_over_row_spans(string key, int rows, string unsliced)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var found = Regex.Matches(source, "// Reversed in forward order over row spans").Count;
        // The reverse sweep's rows only: since session 20 the forward sweep slices rows of its own behind a guard (Session20ForwardRowSpansTests).
        var reverse = source[Math.Max(0, source.IndexOf("// Reverse sweep", StringComparison.Ordinal))..];
        var sliced = unsliced.Length > 0 && Regex.IsMatch(reverse, "_(d)?" + unsliced + "Row", RegexOptions.IgnoreCase);
        Assert.True(rows == found && !sliced, $"{key}: {found} loops reversed over row spans (expected {rows}), {unsliced} sliced: {sliced}\n{source}");
    }

    /// <summary>
    /// An index out of range in the user's loop throws from the Backward's forward sweep what it throws from the
    /// method; a short adjoint throws IndexOutOfRangeException (the signature's adjoints are not sliced); no trips, no throw.
    /// </summary>
    [Theory]
    [InlineData(8, 8, 4, 0, "none", "none")]
    [InlineData(8, 8, 4, 3, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(8, 8, 7, 0, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(8, 8, 4, -1, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(8, 8, 0, 50, "none", "none")]
    [InlineData(8, 5, 4, 0, "none", "IndexOutOfRangeException")]
    [InlineData(8, 0, 4, 0, "none", "IndexOutOfRangeException")]
    public void Out_of_range_indices_throw_what_the_method_throws(int length, int adjoint, int n, int off, string primal, string backward)
    {
        var probe = s_batch.Value.Output!.Value.Assembly.GetType("ReviewRows.Probe")!;
        string Call(string name, params object[] args) => (string)probe.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, args)!;

        Assert.Equal(primal, Call("Primal", length, n, off));
        Assert.Equal(backward, Call("Backward", length, adjoint, n, off));
    }
}
