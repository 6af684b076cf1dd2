using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 21: the interchanged column sweep (<c>ReverseModeTransformer.InterchangeSweep.cs</c>) in a static local
/// function, its rows over spans where every index moves by one element from row to row. Around the guard
/// (<c>InterchangeMinRows</c> = 12: 0, 1, 2, 11, 12, 13, 20 rows), float, a subtracting update, rows from 2, the row
/// index in the term (rows indexed), a scalar parameter in the term (its adjoint returned by the function), rows
/// descending through the array and a remainder in the index (rows indexed), an early return, a column-major rectangle (double and float), a
/// local table without an adjoint (spans) and a local with one (indexed), span parameters (indexed), user names like the
/// generated ones (<c>_q</c>, <c>_Columns</c>, <c>_icfRun</c>, <c>_dRowJ</c>, <c>seed</c>, <c>_tape</c>, <c>_result</c>),
/// two nests in one method, GMM with two components. Every method against central finite differences (tolerances of
/// <see cref="FiniteDifferenceCheck"/>: double 1e-6 relative, float 2e-3, plus the rounding bound); the new sweep
/// against the old order in the same compiled code (an adjoint span one element short fails the guard: max relative
/// difference 1e-12 for double, 1e-5 for float); dIcf as icf's own memory equal to the old order bit for bit; the same
/// array as icf and mu against central differences (h = 1e-6, 1e-6 relative); an icf too short throws
/// IndexOutOfRangeException in the primal and the backward alike, a dIcf too short throws it as before.
/// </summary>
public sealed class Session21InterchangeSpansTests
{
    private const int PointsPerFunction = 2;

    private const string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Session21Spans;

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

            // domain: icf[211]=-0.5..0.5 mu[21]=-1..1 x[21]=-1..1 d=20..20
            [Differentiable]
            public static double Triangle20(double[] icf, double[] mu, [NoGrad] double[] x, int d)
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
            public static float TriangleFloat13(float[] icf, float[] mu, [NoGrad] float[] x, int d)
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

            // domain: icf[211]=-0.5..0.5 mu[21]=-1..1 x[21]=-1..1 d=20..20
            [Differentiable]
            public static float TriangleFloat20(float[] icf, float[] mu, [NoGrad] float[] x, int d)
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
            public static double Subtracting13(double[] icf, double[] mu, [NoGrad] double[] x, int d)
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

            // domain: icf[106]=-0.5..0.5 mu[15]=-1..1 x[15]=-1..1 d=14..14
            [Differentiable]
            public static double RowsFromTwo14(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                for (var j = 2; j < d; j++)
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
            public static double RowIndexInTerm13(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var row = icf[j] * (x[j] - mu[j]);
                    var lower = d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        row += icf[lower] * j * (x[col] - mu[col]);
                        lower += d - col - 2;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 w=-1..1 d=13..13
            [Differentiable]
            public static double ScalarInTerm13(double[] icf, double[] mu, [NoGrad] double[] x, double w, int d)
            {
                var s = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var row = icf[j] * (x[j] - mu[j]);
                    var lower = d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        row += w * icf[lower] * (x[col] - mu[col]);
                        lower += d - col - 2;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[200]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double DescendingRows13(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var row = icf[j] * (x[j] - mu[j]);
                    var lower = 60 - j;
                    for (var col = 0; col < j; col++)
                    {
                        row += icf[lower] * (x[col] - mu[col]);
                        lower += 2;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[51]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double RemainderIndex13(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var row = icf[j] * (x[j] - mu[j]);
                    var lower = d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        row += icf[lower % 50] * (x[col] - mu[col]);
                        lower += d - col - 2;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double EarlyReturn13(double[] icf, double[] mu, [NoGrad] double[] x, int d)
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

                if (s > 1e6)
                {
                    return 0.0;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: a[200]=-0.5..0.5 mu[14]=-1..1 n=13..13 m=5..5
            [Differentiable]
            public static double Rectangle13(double[] a, double[] mu, int n, int m)
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

            // domain: a[200]=-0.5..0.5 mu[14]=-1..1 n=12..12 m=3..3
            [Differentiable]
            public static float RectangleFloat12(float[] a, float[] mu, int n, int m)
            {
                var s = 0.0f;
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

            // domain: mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double LocalTable13(double[] mu, [NoGrad] double[] x, int d)
            {
                // A table of constants created once: no adjoint, sliced like a parameter.
                var table = new double[100];
                for (var t = 0; t < table.Length; t++)
                {
                    table[t] = (0.03 * t) - 1.0;
                }

                var s = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var row = x[j] - mu[j];
                    var lower = d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        row += table[lower] * (x[col] - mu[col]);
                        lower += d - col - 2;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double LocalActiveArray13(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                // A local with an adjoint: its rows stay indexed (the rented adjoint's length is not checked).
                var scaled = new double[icf.Length];
                for (var t = 0; t < scaled.Length; t++)
                {
                    scaled[t] = 0.5 * icf[t] * icf[t];
                }

                var s = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var row = x[j] - mu[j];
                    var lower = d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        row += scaled[lower] * (x[col] - mu[col]);
                        lower += d - col - 2;
                    }

                    s += row * row;
                }

                // Not linear in s, so the row loop is not fused: its reverse runs after the forward.
                return s * s;
            }

            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double SpanParameters13(ReadOnlySpan<double> icf, double[] mu, [NoGrad] ReadOnlySpan<double> x, int d)
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

            // domain: _icfRun[92]=-0.5..0.5 dx[14]=-1..1 _dRowsRun[14]=-1..1 seed=-1..1 _q=13..13
            [Differentiable]
            public static double GeneratedNames13(double[] _icfRun, double[] dx, [NoGrad] double[] _dRowsRun, double seed, int _q)
            {
                var _result = 0.0;
                var _tape = seed * 0.5;
                for (var _Columns = 0; _Columns < _q; _Columns++)
                {
                    var _dRowJ = _icfRun[_Columns] * (_dRowsRun[_Columns] - dx[_Columns]);
                    var _lowerOffset = _q + _Columns - 1;
                    for (var _col = 0; _col < _Columns; _col++)
                    {
                        _dRowJ += _icfRun[_lowerOffset] * (_dRowsRun[_col] - dx[_col]) * _tape;
                        _lowerOffset += _q - _col - 2;
                    }

                    _result += _dRowJ * _dRowJ;
                }

                // Not linear in _result, so the row loop is not fused: its reverse runs after the forward.
                return _result * _result;
            }

            // domain: icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13
            [Differentiable]
            public static double TwoNests13(double[] icf, double[] mu, [NoGrad] double[] x, int d)
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
                    var r = icf[i] * (mu[i] - x[i]);
                    var at = d + i - 1;
                    for (var c = 0; c < i; c++)
                    {
                        r += icf[at] * (mu[c] - x[c]);
                        at += d - c - 2;
                    }

                    t += r * r;
                }

                // Not linear in s or t, so neither row loop is fused.
                return (s * s) + (t * t);
            }

            // domain: alphas[2]=-1..1 means[26]=-1..1 icf[182]=-0.3..0.3 x[39]=-1..1 d=13..13 k=2..2 n=3..3
            [Differentiable]
            public static double Gmm13(double[] alphas, double[] means, double[] icf, [NoGrad] double[] x, int d, int k, int n)
            {
                var icfSize = d * (d + 1) / 2;
                var total = 0.0;
                for (var i = 0; i < n; i++)
                {
                    var point = i * d;
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
        }

        public static class Probe
        {
        """ + InterchangeProbeSource.Helpers + """

            public static double Order(string name)
            {
                int d = name switch { "Triangle0" => 0, "Triangle1" => 1, "Triangle2" => 2, "Triangle11" => 11, "Triangle12" => 12, "Triangle20" => 20, "RowsFromTwo14" => 14, _ => 13 };
                var length = name switch { "DescendingRows13" => 200, "RemainderIndex13" => 51, _ => (d * (d + 1) / 2) + 1 };
                var icf = Values(length, d + name.Length, 0.5);
                var mu = Values(d + 1, d + 100, 1.0);
                var x = Values(d + 1, d + 200, 1.0);
                return Compare((a, b, s) => name switch
                {
                    "Triangle0" => G.Triangle0Backward(icf, mu, x, d, Cut(a, s), b),
                    "Triangle1" => G.Triangle1Backward(icf, mu, x, d, Cut(a, s), b),
                    "Triangle2" => G.Triangle2Backward(icf, mu, x, d, Cut(a, s), b),
                    "Triangle11" => G.Triangle11Backward(icf, mu, x, d, Cut(a, s), b),
                    "Triangle12" => G.Triangle12Backward(icf, mu, x, d, Cut(a, s), b),
                    "Triangle13" => G.Triangle13Backward(icf, mu, x, d, Cut(a, s), b),
                    "Triangle20" => G.Triangle20Backward(icf, mu, x, d, Cut(a, s), b),
                    "Subtracting13" => G.Subtracting13Backward(icf, mu, x, d, Cut(a, s), b),
                    "RowsFromTwo14" => G.RowsFromTwo14Backward(icf, mu, x, d, Cut(a, s), b),
                    "RowIndexInTerm13" => G.RowIndexInTerm13Backward(icf, mu, x, d, Cut(a, s), b),
                    "DescendingRows13" => G.DescendingRows13Backward(icf, mu, x, d, Cut(a, s), b),
                    "RemainderIndex13" => G.RemainderIndex13Backward(icf, mu, x, d, Cut(a, s), b),
                    "EarlyReturn13" => G.EarlyReturn13Backward(icf, mu, x, d, Cut(a, s), b),
                    "TwoNests13" => G.TwoNests13Backward(icf, mu, x, d, Cut(a, s), b),
                    "SpanParameters13" => G.SpanParameters13Backward(icf, mu, x, d, Cut(a, s), b),
                    "ScalarInTerm13" => ScalarInTerm(icf, mu, x, d, Cut(a, s), b),
                    _ => throw new ArgumentOutOfRangeException(nameof(name)),
                }, length, d + 1);
            }

            /// <summary>The scalar's adjoint (a ref parameter, returned by the sweep's function) compared in the second array's spare element.</summary>
            private static double ScalarInTerm(double[] icf, double[] mu, double[] x, int d, Span<double> dIcf, double[] dMu)
            {
                var dw = 0.0;
                var r = G.ScalarInTerm13Backward(icf, mu, x, 0.7, d, dIcf, dMu, ref dw);
                dMu[d] = dw;
                return r;
            }

            public static double RectangleOrder()
            {
                var a = Values(200, 3, 0.5);
                var mu = Values(14, 4, 1.0);
                return Compare((da, db, s) => G.Rectangle13Backward(a, mu, 13, 5, Cut(da, s), db), 200, 14);
            }

            public static double GmmOrder()
            {
                var alphas = Values(2, 1, 1.0);
                var means = Values(26, 2, 1.0);
                var icf = Values(183, 3, 0.3);
                var x = Values(39, 4, 1.0);
                return Compare((a, b, s) => G.Gmm13Backward(alphas, means, icf, x, 13, 2, 3, new double[2], b, Cut(a, s)), 183, 26);
            }

            public static double NamesOrder()
            {
                var icf = Values(92, 5, 0.5);
                var x = Values(14, 6, 1.0);
                var dx = Values(14, 7, 1.0);
                return Compare((a, b, s) =>
                {
                    var dSeed = 0.0;
                    var r = G.GeneratedNames13Backward(icf, dx, x, 0.8, 13, Cut(a, s), b, ref dSeed);
                    b[13] = dSeed;
                    return r;
                }, 92, 14);
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
                    var r = d == 13 ? G.TriangleFloat13Backward(icf, mu, x, d, da, db) : G.TriangleFloat20Backward(icf, mu, x, d, da, db);
                    for (var i = 0; i < da.Length; i++) a[i] = da[i];
                    for (var i = 0; i < db.Length; i++) b[i] = db[i];
                    return r;
                }, length, d + 1);
            }

            /// <summary>dIcf given as icf's own memory: the overlap test keeps the old order, equal bit for bit to it; 0 when equal.</summary>
            public static double AliasedAdjoint(int d)
            {
                var length = (d * (d + 1) / 2) + 1;
                var start = Values(length, d, 0.5);
                var mu = Values(d + 1, d + 100, 1.0);
                var x = Values(d + 1, d + 200, 1.0);
                var icf1 = (double[])start.Clone();
                var dMu1 = new double[d + 1];
                var v1 = G.Triangle20Backward(icf1, mu, x, d, icf1.AsSpan(), dMu1);
                var icf2 = (double[])start.Clone();
                var dMu2 = new double[d + 1];
                var v2 = G.Triangle20Backward(icf2, mu, x, d, icf2.AsSpan(0, length - 1), dMu2);
                return v1 == v2 && icf1.SequenceEqual(icf2) && dMu1.SequenceEqual(dMu2) ? 0.0 : 1.0;
            }

            /// <summary>The same array passed as icf and mu: dIcf + dMu against central differences (h = 1e-6) of f(v, v).</summary>
            public static double SameArrayTwice()
            {
                var v = Values(211, 9, 0.3);
                var x = Values(21, 10, 1.0);
                var dIcf = new double[211];
                var dMu = new double[211];
                G.Triangle20Backward(v, v, x, 20, dIcf, dMu);
                var worst = 0.0;
                for (var i = 0; i < v.Length; i++)
                {
                    var p = (double[])v.Clone();
                    var m = (double[])v.Clone();
                    p[i] += 1e-6;
                    m[i] -= 1e-6;
                    var fd = (G.Triangle20(p, p, x, 20) - G.Triangle20(m, m, x, 20)) / 2e-6;
                    worst = Math.Max(worst, Math.Abs(dIcf[i] + dMu[i] - fd) / Math.Max(1.0, Math.Abs(fd)));
                }

                return worst;
            }

            public static string Primal(int icfLength, int d) => Catch(() => G.Triangle20(new double[icfLength], new double[21], new double[21], d));

            public static string Backward(int icfLength, int dIcfLength, int d) =>
                Catch(() => G.Triangle20Backward(new double[icfLength], new double[21], new double[21], d, new double[dIcfLength], new double[21]));

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

    /// <summary>How many sweeps each method gets as a function, and how many of them walk their rows over spans.</summary>
    [Theory]
    [InlineData("G.Triangle0", 1, 1)]
    [InlineData("G.Triangle1", 1, 1)]
    [InlineData("G.Triangle2", 1, 1)]
    [InlineData("G.Triangle11", 1, 1)]
    [InlineData("G.Triangle12", 1, 1)]
    [InlineData("G.Triangle13", 1, 1)]
    [InlineData("G.Triangle20", 1, 1)]
    [InlineData("G.TriangleFloat13", 1, 1)]
    [InlineData("G.TriangleFloat20", 1, 1)]
    [InlineData("G.Subtracting13", 1, 1)]
    [InlineData("G.RowsFromTwo14", 1, 1)]
    [InlineData("G.RowIndexInTerm13", 1, 0)]
    [InlineData("G.ScalarInTerm13", 1, 1)]
    [InlineData("G.DescendingRows13", 1, 0)]
    [InlineData("G.RemainderIndex13", 1, 0)]
    [InlineData("G.EarlyReturn13", 1, 1)]
    [InlineData("G.Rectangle13", 1, 1)]
    [InlineData("G.RectangleFloat12", 1, 1)]
    [InlineData("G.LocalTable13", 1, 1)]
    [InlineData("G.LocalActiveArray13", 1, 0)]
    [InlineData("G.SpanParameters13", 1, 0)]
    [InlineData("G.GeneratedNames13", 1, 1)]
    [InlineData("G.TwoNests13", 2, 2)]
    [InlineData("G.Gmm13", 1, 1)]
    public void Sweeps_in_functions_and_over_spans(string key, int functions, int spans)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var interchanged = Regex.Matches(source, "the row and column loops interchanged").Count;
        var found = Regex.Matches(source, @"static [^\n]*_Columns\w*\(").Count;
        var runs = Regex.Matches(source, "Over the column's runs").Count;
        Assert.True(interchanged == functions && found == functions && runs == spans, $"{key}: {interchanged} nests, {found} functions, {runs} over spans (expected {functions}, {functions}, {spans})\n{source}");
    }

    private static object Call(string name, params object[] args)
    {
        var probe = s_batch.Value.Output!.Value.Assembly.GetType("Session21Spans.Probe")!;
        return probe.GetMethod(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)!.Invoke(null, args)!;
    }

    /// <summary>The sweep against the old order in the same code (below the guard both are the old order).</summary>
    [Theory]
    [InlineData("Triangle0")]
    [InlineData("Triangle1")]
    [InlineData("Triangle2")]
    [InlineData("Triangle11")]
    [InlineData("Triangle12")]
    [InlineData("Triangle13")]
    [InlineData("Triangle20")]
    [InlineData("Subtracting13")]
    [InlineData("RowsFromTwo14")]
    [InlineData("RowIndexInTerm13")]
    [InlineData("ScalarInTerm13")]
    [InlineData("DescendingRows13")]
    [InlineData("RemainderIndex13")]
    [InlineData("EarlyReturn13")]
    [InlineData("TwoNests13")]
    [InlineData("SpanParameters13")]
    public void Matches_the_old_order(string name)
    {
        var worst = (double)Call("Order", name);
        Assert.True(worst <= 1e-12, $"Order({name}): max relative difference {worst}");
    }

    [Theory]
    [InlineData("RectangleOrder")]
    [InlineData("GmmOrder")]
    [InlineData("NamesOrder")]
    public void Other_nests_match_the_old_order(string probe)
    {
        var worst = (double)Call(probe);
        Assert.True(worst <= 1e-12, $"{probe}: max relative difference {worst}");
    }

    [Theory]
    [InlineData(13)]
    [InlineData(20)]
    public void Float_triangle_matches_the_old_order(int d)
    {
        var worst = (double)Call("FloatOrder", d);
        Assert.True(worst <= 1e-5, $"FloatOrder({d}): max relative difference {worst}");
    }

    [Fact]
    public void Adjoint_in_the_primal_memory_keeps_the_old_order()
    {
        Assert.Equal(0.0, (double)Call("AliasedAdjoint", 20));
    }

    [Fact]
    public void Same_array_twice_matches_finite_differences()
    {
        var worst = (double)Call("SameArrayTwice");
        Assert.True(worst <= 1e-6, $"SameArrayTwice: max relative error {worst}");
    }

    /// <summary>Triangle20 reads icf[0 … 209]: the primal and the backward throw alike; a short dIcf throws as before.</summary>
    [Theory]
    [InlineData(210, 210, 20, "none", "none")]
    [InlineData(209, 210, 20, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(100, 210, 20, "IndexOutOfRangeException", "IndexOutOfRangeException")]
    [InlineData(210, 209, 20, "none", "IndexOutOfRangeException")]
    [InlineData(210, 30, 20, "none", "IndexOutOfRangeException")]
    [InlineData(210, 400, 20, "none", "none")]
    [InlineData(210, 0, 0, "none", "none")]
    [InlineData(253, 253, 22, "IndexOutOfRangeException", "IndexOutOfRangeException")]
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
