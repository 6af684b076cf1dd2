using System.Reflection;
using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 19's mlp19b (the reverse of a counted loop runs upwards over row spans,
/// <c>ReverseModeTransformer.RowSpans.cs</c>): accumulators read after the loop, the index in arithmetic, two
/// accumulators, a carried value, writes read by the next iteration, offsets and bounds in locals reassigned after
/// the loop or read from an int array written later, nested rows with <c>off = r * cols</c>, overlapping rows of one
/// array, a local array's adjoint row (constant and variable length), float, Span/ReadOnlySpan, jagged and 2-D
/// arrays, and (probes) the same array bound to two parameters, the same adjoint span for two parameters, and the
/// exception the Backward throws for n &lt; 0, n = 0, off near int.MaxValue, off &lt; 0 and short adjoints; keyword
/// names, a static readonly bound, a local array created in a branch, an index shared by two loops, an early return,
/// and the Hessian/Tangent opt-ins on row loops (the Jvp's backward slices rows too).
/// One compiled batch; each Backward against central finite differences (tolerances of
/// <see cref="FiniteDifferenceCheck"/>); the aliasing probes against central differences with h = 1e-6, |g − fd| ≤ 1e-6;
/// the Hessian against central differences of the Backward (h = 1e-5, 1e-5 relative), the tangent against g·v.
/// No failure at 879a0a9: every case passes (kept as regression tests).
/// </summary>
public sealed class Session19RowSpansReviewTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Review19Rows;

        public static partial class G
        {
            // domain: a[8]=-1..1 w[4]=-1..1 n=4..4 off=2..2
            [Differentiable]
            public static double AccumulatorReadLater(double[] a, double[] w, int n, int off)
            {
                var s = a[0];
                for (var i = 0; i < n; i++)
                {
                    s += a[off + i] * w[i];
                }

                return (s * s) + (s * a[off]);
            }

            // domain: a[8]=-1..1 x=-1..1 n=4..4 off=1..3
            [Differentiable]
            public static double IndexInArithmetic(double[] a, double x, int n, int off)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    s += a[off + i] * (i + 1.0) * x;
                    s -= a[i] * a[i] * i;
                }

                return s * s;
            }

            // domain: a[8]=-1..1 w[8]=-1..1 x=-1..1 n=4..4 off=2..2
            [Differentiable]
            public static double TwoAccumulators(double[] a, double[] w, double x, int n, int off)
            {
                var s = x;
                var t = 0.0;
                for (var i = 0; i < n; i++)
                {
                    s += a[off + i] * x;
                    t += a[i] * w[off + i];
                }

                return s * t;
            }

            // domain: a[6]=-1..1 x=-1..1 n=4..4
            [Differentiable]
            public static double CarriedValue(double[] a, double x, int n)
            {
                var s = x;
                for (var i = 0; i < n; i++)
                {
                    s = s + (a[i + 1] * s);
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1 n=4..4
            [Differentiable]
            public static double NextIterationReadsWrite(double[] a, double x, int n)
            {
                var c = new double[n + 1];
                c[0] = x;
                for (var i = 0; i < n; i++)
                {
                    c[i + 1] = (c[i] * a[i]) + a[i + 1];
                }

                return c[n] * c[n];
            }

            // domain: a[10]=-1..1 x=-1..1 n=3..3 off=2..2
            [Differentiable]
            public static double OffsetLocalReassignedAfter(double[] a, double x, int n, int off)
            {
                var total = 0.0;
                var k = off;
                for (var r = 0; r < 2; r++)
                {
                    var s = x;
                    for (var i = 0; i < n; i++)
                    {
                        s += a[k + i] * x;
                    }

                    k = k + 4;
                    total += s * s * a[k - 1];
                }

                k = 0;
                return total + a[k];
            }

            // domain: a[8]=-1..1 x=-1..1 n=3..3
            [Differentiable]
            public static double BoundLocalReassignedAfter(double[] a, double x, int n)
            {
                var total = 0.0;
                var m = n;
                for (var r = 0; r < 2; r++)
                {
                    var s = x;
                    for (var i = 0; i < m; i++)
                    {
                        s += a[(r * 4) + i] * x;
                    }

                    total += s * s;
                    m = m - 1;
                }

                m = 7;
                return total + a[m];
            }

            // domain: a[8]=-1..1 x=-1..1
            [Differentiable]
            public static double BoundFromIntArrayWrittenLater(double[] a, double x)
            {
                var counts = new int[2];
                counts[0] = 3;
                counts[1] = 2;
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var m = counts[r];
                    var s = x;
                    for (var i = 0; i < m; i++)
                    {
                        s += a[(r * 4) + i] * x;
                    }

                    counts[r] = 0;
                    total += s * s;
                }

                return total;
            }

            // domain: a[12]=-1..1 w[4]=-1..1 rows=3..3 cols=4..4
            [Differentiable]
            public static double NestedRows(double[] a, double[] w, int rows, int cols)
            {
                var total = 0.0;
                for (var r = 0; r < rows; r++)
                {
                    var off = r * cols;
                    var s = 0.0;
                    for (var i = 0; i < cols; i++)
                    {
                        s += a[off + i] * w[i];
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[12]=-1..1 w[4]=-1..1 rows=3..3 cols=4..4
            [Differentiable]
            public static float NestedRowsFloat(float[] a, float[] w, int rows, int cols)
            {
                var total = 0.0f;
                for (var r = 0; r < rows; r++)
                {
                    var s = 0.0f;
                    for (var i = 0; i < cols; i++)
                    {
                        s += a[(r * cols) + i] * w[i];
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[6]=-1..1 x=-1..1 n=4..4 off=0..0 off2=2..2
            [Differentiable]
            public static double OverlappingRows(double[] a, double x, int n, int off, int off2)
            {
                var s = x;
                for (var i = 0; i < n; i++)
                {
                    s += a[off + i] * a[off2 + i] * x;
                }

                return s * s;
            }

            // domain: a[6]=-1..1 x=-1..1 n=3..3
            [Differentiable]
            public static double LocalArrayRow(double[] a, double x, int n)
            {
                var t = new double[2 * n];
                for (var i = 0; i < 2 * n; i++)
                {
                    t[i] = a[i] * x;
                }

                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        s += t[(r * n) + i] * t[i];
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double ConstantLocalArrayRow(double[] a, double x)
            {
                var t = new double[4];
                for (var i = 0; i < 4; i++)
                {
                    t[i] = a[i] * x;
                }

                var s = 0.0;
                for (var i = 0; i < 4; i++)
                {
                    s += t[i] * a[i];
                }

                return s * s;
            }

            // domain: a[6]=-1..1 w[6]=-1..1 n=3..3
            [Differentiable]
            public static double SpanParameters(ReadOnlySpan<double> a, Span<double> w, int n)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        s += a[(r * n) + i] * w[i];
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[3x4]=-1..1 w[4]=-1..1 cols=4..4
            [Differentiable]
            public static double JaggedRows(double[][] a, double[] w, int cols)
            {
                var total = 0.0;
                for (var r = 0; r < a.Length; r++)
                {
                    var s = 0.0;
                    for (var i = 0; i < cols; i++)
                    {
                        s += a[r][i] * w[i];
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[3x4]=-1..1 w[4]=-1..1 cols=4..4
            [Differentiable]
            public static double GridRows(double[,] a, double[] w, int cols)
            {
                var total = 0.0;
                for (var r = 0; r < 3; r++)
                {
                    var s = 0.0;
                    for (var i = 0; i < cols; i++)
                    {
                        s += a[r, i] * w[i];
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[8]=-1..1 w[8]=-1..1 n=4..4
            [Differentiable]
            public static double WhileLoopRows(double[] a, double[] w, int n)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = 0.0;
                    var i = 0;
                    while (i < n)
                    {
                        s = s + (a[(r * n) + i] * w[(r * n) + i]);
                        i = i + 1;
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[8]=-1..1 b[8]=-1..1 n=4..4 off=0..4
            [Differentiable]
            public static double Alias(double[] a, double[] b, int n, int off)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        s += a[(r * 2) + i] * b[off + i];
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: @in[6]=-1..1 @double[6]=-1..1 @int=3..3
            [Differentiable]
            public static double KeywordNames(double[] @in, [NoGrad] double[] @double, int @int)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var @ref = 0.0;
                    for (var i = 0; i < @int; i++)
                    {
                        @ref += @in[(r * @int) + i] * @double[(r * @int) + i];
                    }

                    total += @ref * @ref;
                }

                return total;
            }

            // domain: a[8]=-1..1 x[8]=-1..1 n=3..3 off=1..1
            [Differentiable]
            public static float FloatWithDoubleRow(float[] a, [NoGrad] double[] x, int n, int off)
            {
                var t = new float[2 * n];
                for (var i = 0; i < 2 * n; i++)
                {
                    t[i] = a[i] * a[i];
                }

                var s = 0.0f;
                for (var i = 0; i < n; i++)
                {
                    s += t[off + i] * (float)x[off + i] * a[i];
                }

                return s * s;
            }

            // domain: a[8]=-1..1 x=-1..1 n=3..3 off=1..1
            [Differentiable]
            public static double OffsetMinusOne(double[] a, double x, int n, int off)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = x;
                    for (var i = 0; i < n; i++)
                    {
                        s -= a[(off - 1) + (r * n) + i] * a[(off - 1) + (r * n) + i] * x;
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[6]=-1..1 x=-1..1 n=3..3
            [Differentiable]
            public static double LocalArrayInBranch(double[] a, double x, int n)
            {
                var total = x * x;
                if (x > -0.5)
                {
                    var t = new double[2 * n];
                    for (var i = 0; i < 2 * n; i++)
                    {
                        t[i] = a[i] * x;
                    }

                    for (var r = 0; r < 2; r++)
                    {
                        var s = 0.0;
                        for (var i = 0; i < n; i++)
                        {
                            s += t[(r * n) + i] * a[i];
                        }

                        total += s * s;
                    }
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 n=4..4
            [Differentiable]
            public static double SharedIndexTwoLoops(double[] a, double x, int n)
            {
                var s = x;
                var t = 0.0;
                int i;
                i = 0;
                while (i < n)
                {
                    s = s + (a[i] * x);
                    i = i + 1;
                }

                i = 0;
                while (i < n)
                {
                    t = t + (a[n + i] * a[i]);
                    i = i + 1;
                }

                return s * t;
            }

            // domain: a[8]=-1..1 x=-1..1 n=4..4
            [Differentiable]
            public static double RowLoopAfterEarlyReturn(double[] a, double x, int n)
            {
                if (x < -0.9)
                {
                    return x;
                }

                var s = x;
                for (var i = 0; i < n; i++)
                {
                    s += a[n + i] * a[i] * x;
                }

                return s * s;
            }

            // domain: a[8]=-1..1 w[4]=-1..1 x=-1..1 n=4..4 off=3..3
            [Differentiable]
            public static double DoubleMethodFloatRows(float[] a, double[] w, double x, int n, int off)
            {
                var s = x;
                for (var i = 0; i < n; i++)
                {
                    s += a[off + i] * w[i] * x;
                    s -= a[i] * x;
                }

                return s * s;
            }

            // domain: a[4]=-1..1 x=-1..1 n=3..3
            [Differentiable]
            public static double InitializedLocalRow(double[] a, double x, int n)
            {
                var t = new double[] { x, x * x, a[0] * x, a[3] };
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    s += t[1 + i] * a[i];
                }

                return s * s;
            }

            // domain: a[4]=-1..1 x=-1..1 n=3..3
            [Differentiable]
            public static double CollectionExpressionLocalRow(double[] a, double x, int n)
            {
                double[] t = [x, 2.0 * x, a[1] * a[2], x * x];
                var s = x;
                for (var i = 0; i < n; i++)
                {
                    s += t[i] * t[1 + i];
                }

                return s * a[0];
            }

            // Hessian and tangent on row loops (reverse over forward: the Jvp's backward has rows of a and its tangent).
            // domain: a[6]=-1..1 z=-1..1
            [Differentiable(Forward = true, Hessian = true)]
            public static double HessRows(double[] a, double z)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = z;
                    for (var i = 0; i < 3; i++)
                    {
                        s += a[(r * 3) + i] * a[i] * z;
                    }

                    total += s * s * a[r];
                }

                return total;
            }

            private static readonly int Cols = 3;

            // domain: a[6]=-1..1 w[3]=-1..1
            [Differentiable]
            public static double StaticFieldBound(double[] a, double[] w)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = 0.0;
                    for (var i = 0; i < Cols; i++)
                    {
                        s += a[(r * Cols) + i] * w[i];
                    }

                    total += s * s;
                }

                return total;
            }

            // domain: a[8]=-1..1 h=-1..1 n=4..4
            [Differentiable]
            public static double OuterFloatingOverwritten(double[] a, double h, int n)
            {
                var total = 0.0;
                var g = h;
                for (var r = 0; r < 2; r++)
                {
                    var s = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        s += a[(r * n) + i] * g;
                    }

                    g = g * s;
                    total += g;
                }

                return total;
            }

            // domain: a[8]=-1..1 w[8]=-1..1 n=4..4
            [Differentiable]
            public static double LocalAdjointAndSignatureRows(double[] a, double[] w, int n)
            {
                var t = new double[2 * n];
                for (var i = 0; i < 2 * n; i++)
                {
                    t[i] = Math.Sin(a[i]);
                }

                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        s += t[(r * n) + i] * w[(r * n) + i] * t[i];
                    }

                    total += s * s;
                    t[r] = t[r] * 2.0;
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 n=4..4 off=0..4
            [Differentiable]
            public static double SignatureRowOnly(double[] a, double x, int n, int off)
            {
                var s = x;
                for (var i = 0; i < n; i++)
                {
                    s += a[off + i] * x;
                }

                return s * s;
            }

            // domain: w[8]=-1..1 x=-1..1 n=4..4 off=0..4
            [Differentiable]
            public static double Bounds(double[] w, double x, int n, int off)
            {
                var total = 0.0;
                for (var r = 0; r < 2; r++)
                {
                    var s = x;
                    for (var i = 0; i < n; i++)
                    {
                        s += w[off + i] * w[i] * x;
                    }

                    total += s * s;
                }

                return total;
            }
        }

        public static class Probe
        {
            private static double Fd(Func<double[], double> f, double[] v, int k)
            {
                const double h = 1e-6;
                var p = (double[])v.Clone();
                var m = (double[])v.Clone();
                p[k] += h;
                m[k] -= h;
                return (f(p) - f(m)) / (2 * h);
            }

            private static double[] Point(int length, int seed)
            {
                var random = new Random(seed);
                var v = new double[length];
                for (var k = 0; k < length; k++)
                {
                    v[k] = (random.NextDouble() * 2) - 1;
                }

                return v;
            }

            /// <summary>G.Alias(v, v, n, off): the same array for a and b; dA and dB separate. Max |dA + dB − fd|.</summary>
            public static double SameArrayTwoParameters(int n, int off)
            {
                var v = Point(8, 7 + off);
                var da = new double[8];
                var db = new double[8];
                G.AliasBackward(v, v, n, off, da, db);
                var worst = 0.0;
                for (var k = 0; k < 8; k++)
                {
                    worst = Math.Max(worst, Math.Abs(da[k] + db[k] - Fd(x => G.Alias(x, x, n, off), v, k)));
                }

                return worst;
            }

            /// <summary>G.Alias(a, b, n, off) with one adjoint buffer for both dA and dB. Max |d − (fdA + fdB)|.</summary>
            public static double SameAdjointSpan(int n, int off)
            {
                var a = Point(8, 11 + off);
                var b = Point(8, 13 + off);
                var d = new double[8];
                G.AliasBackward(a, b, n, off, d, d);
                var worst = 0.0;
                for (var k = 0; k < 8; k++)
                {
                    var fd = Fd(x => G.Alias(x, b, n, off), a, k) + Fd(x => G.Alias(a, x, n, off), b, k);
                    worst = Math.Max(worst, Math.Abs(d[k] - fd));
                }

                return worst;
            }

            /// <summary>G.Alias(v, v, n, off) with one adjoint buffer for both: max |d − fd|.</summary>
            public static double SameArraySameAdjoint(int n, int off)
            {
                var v = Point(8, 17 + off);
                var d = new double[8];
                G.AliasBackward(v, v, n, off, d, d);
                var worst = 0.0;
                for (var k = 0; k < 8; k++)
                {
                    worst = Math.Max(worst, Math.Abs(d[k] - Fd(x => G.Alias(x, x, n, off), v, k)));
                }

                return worst;
            }

            public static string Primal(int length, int n, int off) => Catch(() => G.Bounds(new double[length], 0.5, n, off));

            public static string Backward(int length, int adjoint, int n, int off)
            {
                var dx = 0.0;
                return Catch(() => G.BoundsBackward(new double[length], 0.5, n, off, new double[adjoint], ref dx));
            }

            public static string RowOnlyBackward(int length, int adjoint, int n, int off)
            {
                var dx = 0.0;
                return Catch(() => G.SignatureRowOnlyBackward(new double[length], 0.5, n, off, new double[adjoint], ref dx));
            }

            public static string RowOnlyPrimal(int length, int n, int off) => Catch(() => G.SignatureRowOnly(new double[length], 0.5, n, off));

            /// <summary>Max |H − fd of the Backward| (h = 1e-5, relative to max(1, |fd|)) and |tangent − g·v| for G.HessRows.</summary>
            public static double HessRowsWorst(int seed)
            {
                var random = new Random(seed);
                var a = Point(6, seed);
                var z = (random.NextDouble() * 2) - 1;
                double[] Grad(double[] p, double q)
                {
                    var g = new double[7];
                    var gz = 0.0;
                    G.HessRowsBackward(p, q, g.AsSpan(0, 6), ref gz);
                    g[6] = gz;
                    return g;
                }

                var hessian = new double[49];
                G.HessRowsHessian(a, z, hessian);
                var worst = 0.0;
                const double h = 1e-5;
                for (var j = 0; j < 7; j++)
                {
                    var ap = (double[])a.Clone();
                    var am = (double[])a.Clone();
                    var (zp, zm) = (z, z);
                    if (j < 6) { ap[j] += h; am[j] -= h; } else { zp += h; zm -= h; }
                    var gp = Grad(ap, zp);
                    var gm = Grad(am, zm);
                    for (var i = 0; i < 7; i++)
                    {
                        var fd = (gp[i] - gm[i]) / (2 * h);
                        worst = Math.Max(worst, Math.Abs(hessian[(i * 7) + j] - fd) / Math.Max(1, Math.Abs(fd)));
                    }
                }

                var v = Point(6, seed + 1);
                var dz = 0.25;
                var g0 = Grad(a, z);
                var expected = dz * g0[6];
                for (var k = 0; k < 6; k++)
                {
                    expected += v[k] * g0[k];
                }

                var tangent = G.HessRowsTangent(a, z, v, dz).Tangent;
                return Math.Max(worst, Math.Abs(tangent - expected) / Math.Max(1, Math.Abs(expected)));
            }

            public static string AliasPrimal(int la, int lb, int n, int off) => Catch(() => G.Alias(new double[la], new double[lb], n, off));

            public static string AliasBackward(int la, int lb, int da, int db, int n, int off) =>
                Catch(() => G.AliasBackward(new double[la], new double[lb], n, off, new double[da], new double[db]));

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

    /// <summary>Loops reversed over row spans per method (documents which cases take the new path).</summary>
    [Theory]
    [InlineData("G.AccumulatorReadLater", 1)]
    [InlineData("G.IndexInArithmetic", 0)]
    [InlineData("G.TwoAccumulators", 1)]
    [InlineData("G.CarriedValue", 0)]
    [InlineData("G.NextIterationReadsWrite", 0)]
    [InlineData("G.OffsetLocalReassignedAfter", 1)]
    [InlineData("G.BoundLocalReassignedAfter", 1)]
    [InlineData("G.BoundFromIntArrayWrittenLater", 1)]
    [InlineData("G.NestedRows", 1)]
    [InlineData("G.NestedRowsFloat", 1)]
    [InlineData("G.OverlappingRows", 1)]
    [InlineData("G.LocalArrayRow", 1)]
    [InlineData("G.ConstantLocalArrayRow", 1)]
    [InlineData("G.WhileLoopRows", 1)]
    [InlineData("G.Alias", 1)]
    [InlineData("G.Bounds", 1)]
    [InlineData("G.InitializedLocalRow", 1)]
    // 1 since session 22: a[0] after the loop may throw (the loop does not read a), so the loop is no longer fused.
    [InlineData("G.CollectionExpressionLocalRow", 1)]
    [InlineData("G.LocalArrayInBranch", 1)]
    [InlineData("G.SharedIndexTwoLoops", 0)]
    [InlineData("G.RowLoopAfterEarlyReturn", 1)]
    [InlineData("G.HessRows", 1)]
    [InlineData("G.KeywordNames", 1)]
    [InlineData("G.SignatureRowOnly", 1)]
    public void Loops_reversed_over_row_spans(string key, int rows)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var found = Regex.Matches(source, "// Reversed in forward order over row spans").Count;
        Assert.True(rows == found, $"{key}: {found} loops reversed over row spans (expected {rows})\n{source}");
    }

    private static object Call(string name, params object[] args)
    {
        var probe = s_batch.Value.Output!.Value.Assembly.GetType("Review19Rows.Probe")!;
        return probe.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, args)!;
    }

    /// <summary>The same array for a and b, the same adjoint span for dA and dB, both: central differences, 1e-6.</summary>
    [Theory]
    [InlineData("SameArrayTwoParameters", 4, 0)]
    [InlineData("SameArrayTwoParameters", 4, 2)]
    [InlineData("SameArrayTwoParameters", 4, 4)]
    [InlineData("SameAdjointSpan", 4, 1)]
    [InlineData("SameAdjointSpan", 4, 3)]
    [InlineData("SameArraySameAdjoint", 4, 2)]
    [InlineData("SameArraySameAdjoint", 3, 1)]
    public void Aliased_arrays_and_adjoints_match_finite_differences(string probe, int n, int off)
    {
        var worst = (double)Call(probe, n, off);
        Assert.True(worst <= 1e-6, $"{probe}(n={n}, off={off}): max |g - fd| = {worst}");
    }

    /// <summary>The Backward throws what the method throws (and a short adjoint IndexOutOfRange), never where the method does not.</summary>
    [Theory]
    [InlineData(8, 8, 4, 0, "none", "none")]
    [InlineData(8, 8, 4, 4, "none", "none")]
    [InlineData(8, 8, 0, int.MaxValue, "none", "none")]
    [InlineData(8, 8, -5, int.MaxValue, "none", "none")]
    [InlineData(8, 8, int.MinValue, 3, "none", "none")]
    [InlineData(8, 8, 2, int.MaxValue, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(8, 8, 2, int.MaxValue - 1, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(8, 8, int.MaxValue, 1, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(8, 8, 4, -1, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(8, 8, 4, int.MinValue, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(8, 8, 9, 0, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(8, 6, 2, 4, "none", "none")]
    [InlineData(8, 5, 2, 4, "none", "IndexOutOfRangeException")]
    [InlineData(8, 3, 4, 0, "none", "IndexOutOfRangeException")]
    [InlineData(8, 0, 0, 0, "none", "none")]
    [InlineData(8, 0, -1, 0, "none", "none")]
    [InlineData(0, 0, 0, 5, "none", "none")]
    public void Out_of_range_inputs_throw_what_the_method_throws(int length, int adjoint, int n, int off, string primal, string backward)
    {
        Assert.Equal(primal, (string)Call("Primal", length, n, off));
        Assert.Equal(backward, (string)Call("Backward", length, adjoint, n, off));
    }

    /// <summary>A loop whose only row is the signature adjoint (the forward read a, not da).</summary>
    [Theory]
    [InlineData(8, 8, 4, 4, "none", "none")]
    [InlineData(8, 7, 4, 4, "none", "IndexOutOfRangeException")]
    [InlineData(8, 2, 4, 0, "none", "IndexOutOfRangeException")]
    [InlineData(8, 2, 0, 9, "none", "none")]
    [InlineData(8, 8, 4, 5, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(8, 8, 1, int.MaxValue, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(8, 100, 1, -1, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    public void Signature_row_only_throws_what_the_method_throws(int length, int adjoint, int n, int off, string primal, string backward)
    {
        Assert.Equal(primal, (string)Call("RowOnlyPrimal", length, n, off));
        Assert.Equal(backward, (string)Call("RowOnlyBackward", length, adjoint, n, off));
    }

    /// <summary>The Hessian of row loops against central differences of the Backward (1e-5 relative), the tangent against g·v.</summary>
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Hessian_and_tangent_of_row_loops_match(int seed)
    {
        var worst = (double)Call("HessRowsWorst", seed);
        Assert.True(worst <= 1e-5, $"HessRows seed {seed}: worst relative error {worst}");
    }

    /// <summary>Two signature rows at different offsets: each short adjoint throws; lengths that fit do not.</summary>
    [Theory]
    [InlineData(8, 8, 8, 8, 4, 4, "none", "none")]
    [InlineData(6, 8, 6, 8, 4, 4, "none", "none")]
    [InlineData(6, 8, 5, 8, 4, 4, "none", "IndexOutOfRangeException")]
    [InlineData(6, 8, 6, 7, 4, 4, "none", "IndexOutOfRangeException")]
    [InlineData(6, 8, 6, 0, 4, 4, "none", "IndexOutOfRangeException")]
    [InlineData(6, 3, 6, 3, 4, 0, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(5, 8, 5, 8, 4, 4, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(6, 8, 0, 0, 0, 100, "none", "none")]
    public void Two_signature_rows_throw_what_the_method_throws(int la, int lb, int da, int db, int n, int off, string primal, string backward)
    {
        Assert.Equal(primal, (string)Call("AliasPrimal", la, lb, n, off));
        Assert.Equal(backward, (string)Call("AliasBackward", la, lb, da, db, n, off));
    }

    [Fact]
    public void Generated_code_compiles_without_warnings_and_the_generator_does_not_throw()
    {
        var batch = s_batch.Value;
        Assert.Null(batch.GeneratorException);
        Assert.True(batch.Output is not null, string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
    }
}
