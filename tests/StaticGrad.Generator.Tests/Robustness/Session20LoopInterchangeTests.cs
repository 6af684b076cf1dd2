using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 20: the reverse of a row loop and its forward-order column loop interchanged
/// (<c>ReverseModeTransformer.LoopInterchange.cs</c>): GMM's triangle at 0, 1, 2, 11, 12, 13 and 16 rows (around the
/// guard's <c>InterchangeMinRows</c> = 12), float, a subtracting update, rows from 2, the row index in the term, a
/// scalar parameter in the term, non-unit steps of two stepped integers, column-major rectangles (empty, float), the GMM objective
/// with three components, user names like the generated ones; refused: the column loop reading what the row loop
/// writes (a local, an array it stores), two accumulators, a row-major rectangle (rows not contiguous), a column index starting at 1. Every method against central
/// finite differences (tolerances of <see cref="FiniteDifferenceCheck"/>: double 1e-6 relative, float 2e-3, plus the
/// rounding bound); the interchanged order against the old one in the same compiled code (an adjoint span one element
/// short of its array fails the guard: max relative difference 1e-12 for double, 1e-5 for float); dIcf given as icf's
/// own memory equal to the old order bit for bit; the same array passed as icf and mu against central differences
/// (h = 1e-6, 1e-6 relative); an icf too short throws in the primal and the backward alike, a dIcf too short throws
/// IndexOutOfRange as before.
/// </summary>
public sealed class Session20LoopInterchangeTests
{
    private const int PointsPerFunction = 2;

    private const string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Session20Interchange;

        public static partial class G
        {
            // domain: icf[1]=-0.5..0.5 mu[1]=-1..1 x[1]=-1..1 d=0..0
            [Differentiable]
            public static double Triangle0(double[] icf, double[] mu, [NoGrad] double[] x, int d)
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

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[2]=-0.5..0.5 mu[2]=-1..1 x[2]=-1..1 d=1..1
            [Differentiable]
            public static double Triangle1(double[] icf, double[] mu, [NoGrad] double[] x, int d)
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

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[4]=-0.5..0.5 mu[3]=-1..1 x[3]=-1..1 d=2..2
            [Differentiable]
            public static double Triangle2(double[] icf, double[] mu, [NoGrad] double[] x, int d)
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

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[67]=-0.5..0.5 mu[12]=-1..1 x[12]=-1..1 d=11..11
            [Differentiable]
            public static double Triangle11(double[] icf, double[] mu, [NoGrad] double[] x, int d)
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

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[79]=-0.5..0.5 mu[13]=-1..1 x[13]=-1..1 d=12..12
            [Differentiable]
            public static double Triangle12(double[] icf, double[] mu, [NoGrad] double[] x, int d)
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

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double Triangle13(double[] icf, double[] mu, [NoGrad] double[] x, int d)
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

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[137]=-0.5..0.5 mu[17]=-1..1 x[17]=-1..1 d=16..16
            [Differentiable]
            public static double Triangle16(double[] icf, double[] mu, [NoGrad] double[] x, int d)
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

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[79]=-0.5..0.5 mu[13]=-1..1 x[13]=-1..1 d=12..12
            [Differentiable]
            public static float TriangleFloat12(float[] icf, float[] mu, [NoGrad] float[] x, int d)
            {
                var s = 0.0f;
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

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[137]=-0.5..0.5 mu[17]=-1..1 x[17]=-1..1 d=16..16
            [Differentiable]
            public static float TriangleFloat16(float[] icf, float[] mu, [NoGrad] float[] x, int d)
            {
                var s = 0.0f;
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

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double TriangleSubtract13(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var row = icf[j] * (x[j] - mu[j]);
                    var lower = d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        row -= icf[lower] * (x[col] - mu[col]);
                        lower += d - col - 2;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }


            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double InnerReadsOuterWrite(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var scale = icf[j] * 0.5;
                    var row = icf[j] * (x[j] - mu[j]);
                    var lower = d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        row += icf[lower] * (x[col] - mu[col]) * scale;
                        lower += d - col - 2;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double OuterStoresWhatInnerReads(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                var c = new double[d];
                for (var j = 0; j < d; j++)
                {
                    c[j] = mu[j] * 2.0;
                    var row = icf[j] * (x[j] - c[j]);
                    var lower = d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        row += icf[lower] * (x[col] - c[col]);
                        lower += d - col - 2;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: a[200]=-0.5..0.5 mu[14]=-1..1 n=13..13 m=5..5
            [Differentiable]
            public static double Rectangle(double[] a, double[] mu, int n, int m)
            {
                var s = 0.0;
                for (var j = 0; j < n; j++)
                {
                    var row = mu[j];
                    var k = j;
                    for (var col = 0; col < m; col++)
                    {
                        row += a[k] * mu[col] * mu[col];
                        k += n;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: a[200]=-0.5..0.5 mu[14]=-1..1 n=13..13 m=0..0
            [Differentiable]
            public static double EmptyRectangle(double[] a, double[] mu, int n, int m)
            {
                var s = 0.0;
                for (var j = 0; j < n; j++)
                {
                    var row = mu[j];
                    var k = j;
                    for (var col = 0; col < m; col++)
                    {
                        row += a[k] * mu[col];
                        k += n;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: a[200]=-0.5..0.5 mu[14]=-1..1 n=12..12 m=3..3
            [Differentiable]
            public static float RectangleFloat(float[] a, float[] mu, int n, int m)
            {
                var s = 0.0f;
                for (var j = 0; j < n; j++)
                {
                    var row = mu[j];
                    var k = j;
                    for (var col = 0; col < m; col++)
                    {
                        row += a[k] * (mu[col] - 0.5f);
                        k += n;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: a[200]=-0.5..0.5 mu[14]=-1..1 n=13..13 m=5..5
            [Differentiable]
            public static double RowMajorRectangle(double[] a, double[] mu, int n, int m)
            {
                var s = 0.0;
                for (var j = 0; j < n; j++)
                {
                    var row = mu[j];
                    var k = j * m;
                    for (var col = 0; col < m; col++)
                    {
                        row += a[k] * mu[col];
                        k += 1;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: a[200]=-0.5..0.5 mu[14]=-1..1 n=13..13 m=4..4
            [Differentiable]
            public static double NonUnitSteps(double[] a, double[] mu, int n, int m)
            {
                var s = 0.0;
                for (var j = 0; j < n; j++)
                {
                    var row = mu[j];
                    var k = j + 1;
                    var q = j + 4;
                    for (var col = 0; col < m; col++)
                    {
                        row += a[k] * mu[col] + (a[q] * a[k]);
                        k += 3 * col + 2;
                        q -= 1;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double RowsFromTwo(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                for (var j = 2; j < d; j++)
                {
                    var row = icf[j] * (x[j] - mu[j]);
                    var lower = d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        row += icf[lower] * (x[col] - mu[col]) * j;
                        lower += d - col - 2;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double TwoAccumulators(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var row = icf[j] * (x[j] - mu[j]);
                    var other = mu[j];
                    var lower = d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        row += icf[lower] * (x[col] - mu[col]);
                        other += icf[lower] * mu[col];
                        lower += d - col - 2;
                    }

                    s += row * other;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 w=-1..1 d=13..13
            [Differentiable]
            public static double ScalarInTerm(double[] icf, double[] mu, [NoGrad] double[] x, double w, int d)
            {
                var s = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var row = icf[j] * (x[j] - mu[j]) * w;
                    var lower = d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        row += icf[lower] * w * (x[col] * 2.0 - mu[col] * w);
                        lower += d - col - 2;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double ColumnStartsAtOne(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var row = icf[j] * (x[j] - mu[j]);
                    var lower = d + j - 1;
                    for (var col = 1; col < j; col++)
                    {
                        row += icf[lower] * (x[col] - mu[col]);
                        lower += d - col - 2;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[92]=-0.5..0.5 _dRows[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double GeneratedNames(double[] icf, double[] _dRows, [NoGrad] double[] x, int d)
            {
                var seed = 0.0;
                for (var _j_1 = 0; _j_1 < d; _j_1++)
                {
                    var dRow = icf[_j_1] * (x[_j_1] - _dRows[_j_1]);
                    var _lowerOffset = d + _j_1 - 1;
                    for (var _column0 = 0; _column0 < _j_1; _column0++)
                    {
                        dRow += icf[_lowerOffset] * (x[_column0] - _dRows[_column0]);
                        _lowerOffset += d - _column0 - 2;
                    }

                    var _dColumn0 = dRow * dRow;
                    seed += _dColumn0;
                }

                return seed * seed;
            }

            // domain: alphas[3]=-1..1 means[36]=-1..1 icf[234]=-0.3..0.3 x[36]=-1..1 d=12..12 k=3..3 n=3..3
            [Differentiable]
            public static double Gmm(double[] alphas, double[] means, double[] icf, [NoGrad] double[] x, int d, int k, int n)
            {
                var icfSize = d * (d + 1) / 2;
                var total = 0.0;
                for (var i = 0; i < n; i++)
                {
                    var point = (i % 3) * d;
                    var sumExp = 0.0;
                    for (var c = 0; c < k; c++)
                    {
                        var mean = c * d;
                        var squaredNorm = 0.0;
                        for (var j = 0; j < d; j++)
                        {
                            var row = Math.Exp(icf[(c * icfSize) + j]) * (x[point + j] - means[mean + j]);
                            var lower = (c * icfSize) + d + j - 1;
                            for (var col = 0; col < j; col++)
                            {
                                row += icf[lower] * (x[point + col] - means[mean + col]);
                                lower += d - col - 2;
                            }

                            squaredNorm += row * row;
                        }

                        sumExp += Math.Exp(alphas[c] - (0.5 * squaredNorm));
                    }

                    total += Math.Log(sumExp);
                }

                return total;
            }

            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double IndexedOutOfRange(double[] icf, double[] mu, [NoGrad] double[] x, int d)
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

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }
        }

        public static class Probe
        {
        """ + InterchangeProbeSource.Helpers + """

            public static double TriangleOrder(int d)
            {
                var size = d < 0 ? 13 : d;
                var length = (size * (size + 1) / 2) + 1;
                var icf = Values(length, size, 0.5);
                var mu = Values(size + 1, size + 100, 1.0);
                var x = Values(size + 1, size + 200, 1.0);
                return Compare((a, b, s) => d switch
                {
                    0 => G.Triangle0Backward(icf, mu, x, d, Cut(a, s), b),
                    1 => G.Triangle1Backward(icf, mu, x, d, Cut(a, s), b),
                    2 => G.Triangle2Backward(icf, mu, x, d, Cut(a, s), b),
                    11 => G.Triangle11Backward(icf, mu, x, d, Cut(a, s), b),
                    12 => G.Triangle12Backward(icf, mu, x, d, Cut(a, s), b),
                    13 => G.Triangle13Backward(icf, mu, x, d, Cut(a, s), b),
                    16 => G.Triangle16Backward(icf, mu, x, d, Cut(a, s), b),
                    -13 => G.TriangleSubtract13Backward(icf, mu, x, 13, Cut(a, s), b),
                    -1 => G.RowsFromTwoBackward(icf, mu, x, 13, Cut(a, s), b),
                    -2 => G.IndexedOutOfRangeBackward(icf, mu, x, 13, Cut(a, s), b),
                    _ => throw new ArgumentOutOfRangeException(nameof(d)),
                }, length, size + 1);
            }

            public static double FloatOrder(int d)
            {
                var length = (d * (d + 1) / 2) + 1;
                var icf = Values(length, d, 0.5).Select(v => (float)v).ToArray();
                var mu = Values(d + 1, d + 100, 1.0).Select(v => (float)v).ToArray();
                var x = Values(d + 1, d + 200, 1.0).Select(v => (float)v).ToArray();
                return Compare((a, b, s) =>
                {
                    var da = new float[s ? a.Length - 1 : a.Length];
                    var db = new float[b.Length];
                    var r = d == 12 ? G.TriangleFloat12Backward(icf, mu, x, d, da, db) : G.TriangleFloat16Backward(icf, mu, x, d, da, db);
                    for (var i = 0; i < da.Length; i++) a[i] = da[i];
                    for (var i = 0; i < db.Length; i++) b[i] = db[i];
                    return r;
                }, length, d + 1);
            }

            public static double RectangleOrder(int which)
            {
                var a = Values(200, which, 0.5);
                var mu = Values(14, which + 1, 1.0);
                var w = 0.7;
                return which switch
                {
                    0 => Compare((da, db, s) => G.RectangleBackward(a, mu, 13, 5, Cut(da, s), db), 200, 14),
                    1 => Compare((da, db, s) => G.EmptyRectangleBackward(a, mu, 13, 0, Cut(da, s), db), 200, 14),
                    2 => Compare((da, db, s) => G.NonUnitStepsBackward(a, mu, 13, 4, Cut(da, s), db), 200, 14),
                    3 => Compare((da, db, s) =>
                    {
                        var dw = 0.0;
                        var r = G.ScalarInTermBackward(Values(92, 5, 0.5), mu, Values(14, 6, 1.0), w, 13, Cut(da, s), db, ref dw);
                        db[13] = dw;
                        return r;
                    }, 92, 14),
                    4 => Compare((da, db, s) => G.GeneratedNamesBackward(Values(92, 5, 0.5), mu, Values(14, 6, 1.0), 13, Cut(da, s), db), 92, 14),
                    _ => throw new ArgumentOutOfRangeException(nameof(which)),
                };
            }

            /// <summary>The GMM shape with three components: the order compared on alphas, means and icf (icf one element longer).</summary>
            public static double GmmOrder()
            {
                var alphas = Values(3, 1, 1.0);
                var means = Values(36, 2, 1.0);
                var icf = Values(235, 3, 0.3);
                var x = Values(36, 4, 1.0);
                return Compare((a, b, s) => G.GmmBackward(alphas, means, icf, x, 12, 3, 3, new double[3], b, Cut(a, s)), 235, 36);
            }

            /// <summary>
            /// dIcf given as icf's own memory: the reverse reads icf while it writes dIcf. The overlap test must keep the
            /// old order, so the result equals the old order's (dIcf one short of icf) bit for bit; 0 when equal.
            /// </summary>
            public static double AliasedAdjoint(int d)
            {
                var length = (d * (d + 1) / 2) + 1;
                var start = Values(length, d, 0.5);
                var mu = Values(d + 1, d + 100, 1.0);
                var x = Values(d + 1, d + 200, 1.0);
                var icf1 = (double[])start.Clone();
                var dMu1 = new double[d + 1];
                var v1 = G.Triangle13Backward(icf1, mu, x, d, icf1.AsSpan(), dMu1);
                var icf2 = (double[])start.Clone();
                var dMu2 = new double[d + 1];
                var v2 = G.Triangle13Backward(icf2, mu, x, d, icf2.AsSpan(0, length - 1), dMu2);
                return v1 == v2 && icf1.SequenceEqual(icf2) && dMu1.SequenceEqual(dMu2) ? 0.0 : 1.0;
            }

            /// <summary>The same array passed as icf and mu: dIcf + dMu against central differences (h = 1e-6) of f(v, v).</summary>
            public static double SameArrayTwice()
            {
                var v = Values(92, 9, 0.5);
                var x = Values(14, 10, 1.0);
                var dIcf = new double[92];
                var dMu = new double[92];
                G.Triangle13Backward(v, v, x, 13, dIcf, dMu);
                var worst = 0.0;
                for (var i = 0; i < v.Length; i++)
                {
                    var p = (double[])v.Clone();
                    var m = (double[])v.Clone();
                    p[i] += 1e-6;
                    m[i] -= 1e-6;
                    var fd = (G.Triangle13(p, p, x, 13) - G.Triangle13(m, m, x, 13)) / 2e-6;
                    worst = Math.Max(worst, Math.Abs(dIcf[i] + dMu[i] - fd) / Math.Max(1.0, Math.Abs(fd)));
                }

                return worst;
            }

            public static string Primal(int icfLength, int d) => Catch(() => G.IndexedOutOfRange(new double[icfLength], new double[14], new double[14], d));

            public static string Backward(int icfLength, int dIcfLength, int d) =>
                Catch(() => G.IndexedOutOfRangeBackward(new double[icfLength], new double[14], new double[14], d, new double[dIcfLength], new double[14]));

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
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>Which nests are interchanged (at compile time; the row count is tested at run time).</summary>
    [Theory]
    [InlineData("G.Triangle0", 1)]
    [InlineData("G.Triangle1", 1)]
    [InlineData("G.Triangle2", 1)]
    [InlineData("G.Triangle11", 1)]
    [InlineData("G.Triangle12", 1)]
    [InlineData("G.Triangle13", 1)]
    [InlineData("G.Triangle16", 1)]
    [InlineData("G.TriangleFloat12", 1)]
    [InlineData("G.TriangleFloat16", 1)]
    [InlineData("G.TriangleSubtract13", 1)]
    [InlineData("G.InnerReadsOuterWrite", 0)]
    [InlineData("G.OuterStoresWhatInnerReads", 0)]
    [InlineData("G.Rectangle", 1)]
    [InlineData("G.EmptyRectangle", 1)]
    [InlineData("G.RectangleFloat", 1)]
    [InlineData("G.NonUnitSteps", 1)]
    [InlineData("G.RowMajorRectangle", 0)]
    [InlineData("G.RowsFromTwo", 1)]
    [InlineData("G.TwoAccumulators", 0)]
    [InlineData("G.ScalarInTerm", 1)]
    [InlineData("G.ColumnStartsAtOne", 0)]
    [InlineData("G.GeneratedNames", 1)]
    [InlineData("G.Gmm", 1)]
    [InlineData("G.IndexedOutOfRange", 1)]
    public void Nests_interchanged(string key, int nests)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var found = Regex.Matches(source, "the row and column loops interchanged").Count;
        Assert.True(nests == found, $"{key}: {found} nests interchanged (expected {nests})\n{source}");
    }

    private static object Call(string name, params object[] args)
    {
        var probe = s_batch.Value.Output!.Value.Assembly.GetType("Session20Interchange.Probe")!;
        return probe.GetMethod(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)!.Invoke(null, args)!;
    }

    /// <summary>Interchanged against the old order in the same code (rows around the guard; below it both are the old order).</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(16)]
    [InlineData(-13)]
    [InlineData(-1)]
    [InlineData(-2)]
    public void Triangle_matches_the_old_order(int d)
    {
        var worst = (double)Call("TriangleOrder", d);
        Assert.True(worst <= 1e-12, $"TriangleOrder({d}): max relative difference {worst}");
    }

    [Theory]
    [InlineData(12)]
    [InlineData(16)]
    public void Float_triangle_matches_the_old_order(int d)
    {
        var worst = (double)Call("FloatOrder", d);
        Assert.True(worst <= 1e-5, $"FloatOrder({d}): max relative difference {worst}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Other_nests_match_the_old_order(int which)
    {
        var worst = (double)Call("RectangleOrder", which);
        Assert.True(worst <= 1e-12, $"RectangleOrder({which}): max relative difference {worst}");
    }

    [Fact]
    public void Gmm_matches_the_old_order()
    {
        var worst = (double)Call("GmmOrder");
        Assert.True(worst <= 1e-12, $"GmmOrder: max relative difference {worst}");
    }

    [Theory]
    [InlineData(13)]
    public void Adjoint_in_the_primal_memory_keeps_the_old_order(int d)
    {
        Assert.Equal(0.0, (double)Call("AliasedAdjoint", d));
    }

    [Fact]
    public void Same_array_twice_matches_finite_differences()
    {
        var worst = (double)Call("SameArrayTwice");
        Assert.True(worst <= 1e-6, $"SameArrayTwice: max relative error {worst}");
    }

    /// <summary>IndexedOutOfRange needs icf[91] at d = 13: the primal and the backward throw alike; a short dIcf throws as before.</summary>
    [Theory]
    [InlineData(91, 91, 13, "none", "none")]
    [InlineData(90, 91, 13, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(50, 91, 13, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(91, 90, 13, "none", "IndexOutOfRangeException")]
    [InlineData(91, 20, 13, "none", "IndexOutOfRangeException")]
    [InlineData(91, 200, 13, "none", "none")]
    [InlineData(91, 0, 0, "none", "none")]
    [InlineData(91, 91, 14, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    public void Out_of_range_throws_what_the_method_throws(int icfLength, int dIcfLength, int d, string primal, string backward)
    {
        Assert.Equal(primal, (string)Call("Primal", icfLength, d));
        Assert.Equal(backward, (string)Call("Backward", icfLength, dIcfLength, d));
    }

    [Fact]
    public void Generated_code_compiles_without_warnings_and_the_generator_does_not_throw()
    {
        var batch = s_batch.Value;
        Assert.Null(batch.GeneratorException);
        Assert.True(batch.Output is not null, string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
    }
}
