using System.Globalization;
using System.Reflection;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 23 (issue 18, gmm23c): the forward of a triangle nest (GMM's <c>for (j …) { row = …j…; lower = …j…; for (col
/// &lt; j) { row += q[lower]·(x[col] − μ[col]); lower += …; } squaredNorm += row·row; }</c>) runs rows four, then two,
/// then one at a time, each row's sum in the user's column order (<c>ReverseModeTransformer.ForwardTriangleRows.cs</c>).
/// Every method sits inside a component loop whose result is not linear in the nest's sum (so the nest itself is not a
/// fused loop): triangles of 0, 1, 2, 3, 4, 5, 7, 9 and 12 rows (every mix of blocks of 4, 2 and 1), float, the same array
/// in several roles, a <c>post</c> reading j and a second post reading the first, an induction variable counting down
/// from j, none at all, a GMM-like method with points and a log-sum-exp (the accumulator's and the induction variable's
/// saves in slots; elsewhere the accumulator's on the tape), user names like the generated ones, and shapes the jam must
/// leave alone (a row start reading the previous row, a break, an integer division, exit values of col or of the
/// induction variable read after the nest, which puts their saves on the tape). One compiled
/// batch; each backward against central finite differences (the harness's tolerances, <see cref="FiniteDifferenceCheck"/>:
/// double 1e-6 relative to max(1, |fd|) plus the quotient's rounding bound, float 2e-3), the Backward's value against the
/// method's bit for bit, which methods were jammed, and, for rows out of range and null arrays, the exception.
/// </summary>
public sealed class Session23ForwardTriangleTests
{
    private const int PointsPerFunction = 3;

    private const string JamMarker = "// Rows four, then two, then one at a time";

    /// <summary>GMM's triangle per component, its diagonal and lower entries in one array of d·(d + 1)/2 per component.</summary>
    private static string Triangle(string name, int d, string t = "double", string exp = "Math.Exp", string half = "0.5")
    {
        var size = Math.Max(1, d * (d + 1) / 2);
        return string.Create(CultureInfo.InvariantCulture, $$"""

                // domain: q[{{(2 * size) + (2 * d) + 2}}]=-1..1 means[{{(2 * d) + 2}}]=-1..1 x[{{d + 2}}]=-1..1 d={{d}}..{{d}} k=2..2
                [Differentiable]
                public static {{t}} {{name}}({{t}}[] q, {{t}}[] means, [NoGrad] {{t}}[] x, int d, int k)
                {
                    {{t}} total = 0;
                    for (var c = 0; c < k; c++)
                    {
                        {{t}} squaredNorm = 0;
                        for (var j = 0; j < d; j++)
                        {
                            var row = q[c * {{size}} + j] * (x[j] - means[c * d + j]);
                            var lower = c * {{size}} + d + j - 1;
                            for (var col = 0; col < j; col++)
                            {
                                row += q[lower] * (x[col] - means[c * d + col]);
                                lower += d - col - 2;
                            }

                            squaredNorm += row * row;
                        }

                        total += {{exp}}(-{{half}} * squaredNorm);
                    }

                    return total;
                }

        """);
    }

    private static readonly string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace ForwardTriangle;

        public static partial class F
        {
        """
        + Triangle("Rows0", 0) + Triangle("Rows1", 1) + Triangle("Rows2", 2) + Triangle("Rows3", 3) + Triangle("Rows4", 4)
        + Triangle("Rows5", 5) + Triangle("Rows7", 7) + Triangle("Rows9", 9) + Triangle("Rows12", 12)
        + Triangle("FloatRows5", 5, "float", "MathF.Exp", "0.5f") + Triangle("FloatRows9", 9, "float", "MathF.Exp", "0.5f")
        + """
            // The same array as diagonal, lower entries and means.
            // domain: a[80]=-1..1 x[10]=-1..1 d=7..7 k=2..2
            [Differentiable]
            public static double SameArray(double[] a, [NoGrad] double[] x, int d, int k)
            {
                var total = 0.0;
                for (var c = 0; c < k; c++)
                {
                    var s = 0.0;
                    for (var j = 0; j < d; j++)
                    {
                        var row = a[c + j] * (x[j] - a[40 + j]);
                        var lower = c * 3 + j;
                        for (var col = 0; col < j; col++)
                        {
                            row += a[lower] * (a[40 + col] - a[c + col]);
                            lower += 2;
                        }

                        s += row * row;
                    }

                    total += Math.Log(1.0 + s);
                }

                return total;
            }

            // Two posts, the second reading the first, one reading j; the induction variable counts down from j.
            // domain: a[60]=-1..1 w[10]=0.5..1.5 v[10]=-1..1 d=9..9 k=2..2
            [Differentiable]
            public static double PostsAndDown(double[] a, [NoGrad] double[] w, double[] v, int d, int k)
            {
                var total = 0.0;
                for (var c = 0; c < k; c++)
                {
                    var s = 0.0;
                    var t = 0.0;
                    for (var j = 0; j < d; j++)
                    {
                        var row = v[j] * a[j + c];
                        var lower = 3 * d - j + c;
                        for (var col = 0; col < j; col++)
                        {
                            row += a[lower] * v[col];
                            lower += 1;
                        }

                        s += row * row * w[j];
                        t += s * 0.25 + row;
                    }

                    total += Math.Sin(s) + Math.Cos(t);
                }

                return total;
            }

            // Left alone: col's exit value is read after the nest, so col is saved on the tape before each row.
            // domain: q[130]=-1..1 v[12]=-1..1 d=11..11 k=2..2
            [Differentiable]
            public static double NoInductionExitValues(double[] q, double[] v, int d, int k)
            {
                var total = 0.0;
                for (var c = 0; c < k; c++)
                {
                    var row = 0.0;
                    var col = 0;
                    var j = 0;
                    for (j = 0; j < d; j++)
                    {
                        row = v[j] * q[c];
                        for (col = 0; col < j; col++)
                        {
                            row += q[j * d + col] * v[col];
                        }
                    }

                    total += Math.Tanh(row * (1 + col + j));
                }

                return total;
            }

            // Left alone: lower is read after the nest, so it is saved on the tape before each row (only slots are jammed).
            // domain: a[40]=-1..1 v[8]=-1..1 k=2..2
            [Differentiable]
            public static double StepFirstConstantBound(double[] a, double[] v, int k)
            {
                var total = 0.0;
                for (var c = 0; c < k; c++)
                {
                    var s = 0.0;
                    var lower = 0;
                    for (var j = 0; j < 6; j++)
                    {
                        var row = v[j];
                        lower = j + c;
                        for (var col = 0; col < j; col++)
                        {
                            lower += 1;
                            row += a[lower] * (v[col] - v[col + 1]);
                        }

                        s += row * row;
                    }

                    total += Math.Exp(-s) * (lower + 1);
                }

                return total;
            }

            // No induction variable: the term reads j; the step before the sum in a second array's row.
            // domain: q[130]=-1..1 v[12]=-1..1 d=11..11 k=2..2
            [Differentiable]
            public static double NoInduction(double[] q, double[] v, int d, int k)
            {
                var total = 0.0;
                for (var c = 0; c < k; c++)
                {
                    var s = 0.0;
                    for (var j = 0; j < d; j++)
                    {
                        var row = v[j] * q[c];
                        for (var col = 0; col < j; col++)
                        {
                            row += q[j * d + col] * (v[col] - v[col + 1]);
                        }

                        s += row * row;
                    }

                    total += Math.Tanh(s);
                }

                return total;
            }

            // A difference as the term (`row + (a − b)` must not print as `row + a − b`) and a float-like halving.
            // domain: q[60]=-1..1 v[12]=-1..1 d=9..9 k=2..2
            [Differentiable]
            public static double DifferenceTerm(double[] q, double[] v, int d, int k)
            {
                var total = 0.0;
                for (var c = 0; c < k; c++)
                {
                    var s = 0.0;
                    for (var j = 0; j < d; j++)
                    {
                        var row = v[j] - q[j + c];
                        var lower = j + c;
                        for (var col = 0; col < j; col++)
                        {
                            row += q[lower] * v[col] - v[col + 1] * 0.5;
                            lower += d - col - 2 + col;
                        }

                        s += row * row;
                    }

                    total += Math.Exp(-s);
                }

                return total;
            }

            // GMM: points, components, a log-sum-exp; the row saved before each row in a slot the loop indices number.
            // domain: icf[30]=-1..1 means[12]=-1..1 diagonal[12]=0.5..1.5 x[16]=-1..1 alphas[3]=-1..1 n=2..2 k=2..2 d=5..5
            [Differentiable]
            public static double GmmLike(double[] icf, double[] means, [NoGrad] double[] diagonal, [NoGrad] double[] x, double[] alphas, int n, int k, int d)
            {
                var icfSize = d * (d + 1) / 2;
                var mainTerm = new double[k];
                var sumLogSumExp = 0.0;
                for (var i = 0; i < n; i++)
                {
                    var point = i * d;
                    for (var c = 0; c < k; c++)
                    {
                        var mean = c * d;
                        var squaredNorm = 0.0;
                        for (var j = 0; j < d; j++)
                        {
                            var row = diagonal[mean + j] * (x[point + j] - means[mean + j]);
                            var lower = c * icfSize + d + j - 1;
                            for (var col = 0; col < j; col++)
                            {
                                row += icf[lower] * (x[point + col] - means[mean + col]);
                                lower += d - col - 2;
                            }

                            squaredNorm += row * row;
                        }

                        mainTerm[c] = alphas[c] - 0.5 * squaredNorm;
                    }

                    var max = mainTerm[0];
                    for (var c = 1; c < k; c++)
                    {
                        max = Math.Max(max, mainTerm[c]);
                    }

                    var sumExp = 0.0;
                    for (var c = 0; c < k; c++)
                    {
                        sumExp += Math.Exp(mainTerm[c] - max);
                    }

                    sumLogSumExp += Math.Log(sumExp) + max;
                }

                return sumLogSumExp;
            }

            // User names like the generated ones.
            // domain: _v[40]=-1..1 _col[10]=-1..1 dx[10]=-1..1 d=9..9 seed=2..2
            [Differentiable]
            public static double HostileNames(double[] _v, double[] _col, [NoGrad] double[] dx, int d, int seed)
            {
                var _result = 0.0;
                for (var _tape = 0; _tape < seed; _tape++)
                {
                    var _rowSaved = 0.0;
                    for (var _t0 = 0; _t0 < d; _t0++)
                    {
                        var _r0 = _v[_t0 + _tape] * (dx[_t0] - _col[_t0]);
                        var _l = _tape + _t0;
                        for (var _c = 0; _c < _t0; _c++)
                        {
                            _r0 += _v[_l] * (dx[_c] - _col[_c]);
                            _l += 2;
                        }

                        _rowSaved += _r0 * _r0;
                    }

                    _result += Math.Exp(-_rowSaved);
                }

                return _result;
            }

            // Left alone: the row start reads the previous row.
            // domain: a[40]=-1..1 v[10]=-1..1 d=9..9 k=2..2
            [Differentiable]
            public static double StartReadsPrevious(double[] a, double[] v, int d, int k)
            {
                var total = 0.0;
                for (var c = 0; c < k; c++)
                {
                    var s = 0.0;
                    var row = 0.0;
                    for (var j = 0; j < d; j++)
                    {
                        row = row * 0.5 + v[j];
                        for (var col = 0; col < j; col++)
                        {
                            row += a[col + c] * v[col];
                        }

                        s += row * row;
                    }

                    total += Math.Exp(-s);
                }

                return total;
            }

            // Left alone: a break in the column loop.
            // domain: a[40]=-1..1 v[10]=-1..1 d=9..9 k=2..2
            [Differentiable]
            public static double BreakInRow(double[] a, double[] v, int d, int k)
            {
                var total = 0.0;
                for (var c = 0; c < k; c++)
                {
                    var s = 0.0;
                    for (var j = 0; j < d; j++)
                    {
                        var row = v[j];
                        for (var col = 0; col < j; col++)
                        {
                            if (col == 5)
                            {
                                break;
                            }

                            row += a[col + c] * v[col];
                        }

                        s += row * row;
                    }

                    total += Math.Exp(-s);
                }

                return total;
            }

            // Left alone: an integer division in the column loop.
            // domain: a[40]=-1..1 v[10]=-1..1 d=9..9 k=2..2
            [Differentiable]
            public static double DivisionInRow(double[] a, double[] v, int d, int k)
            {
                var total = 0.0;
                for (var c = 0; c < k; c++)
                {
                    var s = 0.0;
                    for (var j = 0; j < d; j++)
                    {
                        var row = v[j];
                        for (var col = 0; col < j; col++)
                        {
                            row += a[(col * 7) / 3 + c] * v[col];
                        }

                        s += row * row;
                    }

                    total += Math.Exp(-s);
                }

                return total;
            }
        }

        public static partial class G
        {
            // Row 2's column loop reads q[off + 3], out of range when q has off + 3 elements, where the user's order throws;
            // the jammed order reads row 3's start x[3] first, out of range when x has 3. Both IndexOutOfRangeException.
            [Differentiable]
            public static double Thrower(double[] q, double[] x, double[] m, double[] w, int d, int off)
            {
                var total = 0.0;
                for (var c = 0; c < 2; c++)
                {
                    var s = 0.0;
                    for (var j = 0; j < d; j++)
                    {
                        var row = q[j] * (x[j] - m[j]);
                        var lower = j + off;
                        for (var col = 0; col < j; col++)
                        {
                            row += q[lower] * (x[col] - m[col]);
                            lower += 1;
                        }

                        s += row * row * w[j];
                    }

                    total += Math.Exp(-s);
                }

                return total;
            }
        }

        public static class Probe
        {
            /// <summary>The method's and the Backward's exception (type and message, or "none"), and whether the Backward left the inputs as they were.</summary>
            public static string Primal(int d, int off, int qLength, int xLength, bool nullWeights) =>
                Catch(() => G.Thrower(Q(qLength), X(xLength), M(), nullWeights ? null! : W(), d, off));

            public static string Backward(int d, int off, int qLength, int xLength, bool nullWeights)
            {
                var (q, x, m, w) = (Q(qLength), X(xLength), M(), nullWeights ? null! : W());
                var result = Catch(() => G.ThrowerBackward(q, x, m, w, d, off, new double[q.Length], new double[x.Length], new double[m.Length], new double[nullWeights ? 0 : w.Length]));
                var same = q.SequenceEqual(Q(qLength)) && x.SequenceEqual(X(xLength)) && m.SequenceEqual(M()) && (nullWeights || w.SequenceEqual(W()));
                return result + (same ? string.Empty : " (inputs changed)");
            }

            private static double[] Q(int length) => Enumerable.Range(0, length).Select(i => 0.01 * i).ToArray();

            private static double[] X(int length) => Enumerable.Range(0, length).Select(i => 0.1 * i).ToArray();

            private static double[] M() => Enumerable.Range(0, 40).Select(i => 0.05 * i).ToArray();

            private static double[] W() => Enumerable.Range(0, 40).Select(i => 1.0 + (0.1 * i)).ToArray();

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

    /// <summary>Each row's sum adds the user's terms in the user's order: the Backward's value is the method's bit for bit.</summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void Forward_value_is_the_methods_bit_for_bit(string key)
    {
        s_batch.Value.AssertForwardValueIsTheMethods(key, s_methods, key.Length + 23);
    }

    /// <summary>Which nests are jammed: every triangle of the shape (whatever its run-time row count), none of the shapes left alone.</summary>
    [Theory]
    [InlineData("F.Rows0", true)]
    [InlineData("F.Rows1", true)]
    [InlineData("F.Rows5", true)]
    [InlineData("F.Rows12", true)]
    [InlineData("F.FloatRows9", true)]
    [InlineData("F.SameArray", true)]
    [InlineData("F.PostsAndDown", true)]
    [InlineData("F.NoInduction", true)]
    [InlineData("F.DifferenceTerm", true)]
    [InlineData("F.NoInductionExitValues", false)]
    [InlineData("F.StepFirstConstantBound", false)]
    [InlineData("F.GmmLike", true)]
    [InlineData("F.HostileNames", true)]
    [InlineData("G.Thrower", true)]
    [InlineData("F.StartReadsPrevious", false)]
    [InlineData("F.BreakInRow", false)]
    [InlineData("F.DivisionInRow", false)]
    public void Triangle_nests_of_the_shape_are_jammed(string key, bool jammed)
    {
        var source = s_batch.Value.GeneratedSource[key];
        Assert.True(jammed == source.Contains(JamMarker, StringComparison.Ordinal), key + (jammed ? " not jammed" : " jammed") + "\n" + source);
    }

    /// <summary>The accumulator's saves before rows j + 1 … j + 3 go to the slots numbered j + 1 … j + 3 (GMM's _rowSaved).</summary>
    [Fact]
    public void Gmm_like_saves_each_row_in_its_own_slot()
    {
        var source = s_batch.Value.GeneratedSource["F.GmmLike"];
        Assert.Matches(@"_rowSaved\[[^\]]*\+ j \+ 3\] = _r2;", source);
    }

    /// <summary>
    /// Rows out of range: the user's order throws in row 2's column loop (q too short), the jammed order could meet row
    /// 3's start first (x too short); both are <c>IndexOutOfRangeException</c> with the same message, and the Backward
    /// writes nothing the caller sees. A null array read only by the post (w) gives the user's order a
    /// <c>NullReferenceException</c> in row 0, before any row out of range: the Backward runs the user's loop there and
    /// throws it too.
    /// </summary>
    [Theory]
    [InlineData(9, 0, 40, 12, false, false)]
    [InlineData(9, 5, 8, 3, false, true)]
    [InlineData(9, 5, 8, 12, false, true)]
    [InlineData(9, 0, 40, 3, false, true)]
    [InlineData(9, 0, 40, 8, false, true)]
    [InlineData(5, 20, 23, 12, false, true)]
    [InlineData(2, 0, 40, 2, false, false)]
    [InlineData(9, 5, 8, 3, true, true)]
    [InlineData(9, 0, 40, 12, true, true)]
    [InlineData(0, 0, 0, 0, true, false)]
    public void Rows_out_of_range_throw_what_the_method_throws(int d, int off, int qLength, int xLength, bool nullWeights, bool throws)
    {
        var primal = Call("Primal", d, off, qLength, xLength, nullWeights);
        var backward = Call("Backward", d, off, qLength, xLength, nullWeights);
        Assert.Equal(primal, backward);
        Assert.True(throws != primal.StartsWith("none", StringComparison.Ordinal), primal);
        Assert.True(!nullWeights || !throws || primal.StartsWith("NullReferenceException", StringComparison.Ordinal), primal);
    }

    private static string Call(string name, params object[] args)
    {
        var probe = s_batch.Value.Output!.Value.Assembly.GetType("ForwardTriangle.Probe")!;
        return (string)probe.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, args)!;
    }
}
