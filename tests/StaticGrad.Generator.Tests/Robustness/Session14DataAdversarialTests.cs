using System.Reflection;
using Microsoft.CodeAnalysis;
using StaticGrad.Generator.Tests.Forward;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 14's data branch: (1) Hessian methods for T[,], T[][] and struct-array parameters
/// (non-square and empty grids, ragged rows with an empty row, nested structs with an inactive member, a span of structs,
/// float, a [NoGrad] grid beside a varied one, one grid passed for two parameters, grid and jagged callees in a loop),
/// each H·v against central differences of its Backward, the dense Hessian against central differences and against
/// H·v (tolerances of <see cref="HessianFiniteDifferences"/>: double 1e-6 relative with step 1e-5, float 3e-2 with step
/// 1e-2; dense·v vs H·v 1e-9 double, 1e-4 float); (2) primary-constructor parameters read through [UnsafeAccessor]
/// (shadowing, mutation by another method, lambda capture, field initializers, nested types, records, derived types,
/// int/enum/string/bool parameters, a struct mutated through a method, Hessian methods, names like the generated ones),
/// Backward and Tangent against central differences of the user's method (double 1e-6·(1 + |fd|) with step 1e-6, float
/// 2e-2 with step 1e-2; second derivatives 1e-5 with step 1e-4). One shared compilation of the three sources; accessor-name collisions (which break compilation) in one small one of their own.
/// </summary>
public sealed class Session14DataAdversarialTests
{
    private const string HessianSource = """
        using System;
        using System.Linq;
        using System.Numerics;
        using StaticGrad;
        using static ShapeInputs.Shaped;

        namespace ReviewHess;

        public struct Vec2
        {
            public double X;
            public double Y;
        }

        // A nested struct first, an inactive member between floating ones.
        public struct Node
        {
            public Vec2 P;
            public int Id;
            public double W;
        }

        public static partial class H
        {
            // A 2 × 3 matrix (non-square) times a 3-vector.
            [Differentiable(Hessian = true)]
            public static double NonSquare(double[,] a, double[] x)
            {
                var s = 0.0;
                for (var i = 0; i < a.GetLength(0); i++)
                {
                    var r = 0.0;
                    for (var j = 0; j < a.GetLength(1); j++)
                    {
                        r += a[i, j] * x[j];
                    }

                    s += Math.Log(1 + r * r) * (i + 1);
                }

                return s + a[1, 2] * a[0, 0] * x[0];
            }

            // A float 3 × 2 grid and a float scalar.
            [Differentiable(Hessian = true)]
            public static float NonSquareF(float[,] a, float x)
            {
                var e = 0f;
                for (var i = 0; i < a.GetLength(0); i++)
                {
                    for (var j = 0; j < a.GetLength(1); j++)
                    {
                        e += MathF.Sin(a[i, j] * x) * (i - j + 0.5f) + a[i, j] * a[(i + 1) % 3, 1 - j] * x;
                    }
                }

                return e;
            }

            // Empty grids (0 × 3 and 2 × 0) and an empty jagged array and a jagged array of empty rows beside a scalar.
            [Differentiable(Hessian = true)]
            public static double Empties(double[,] a, double[,] b, double[][] r, double[][] e, double x)
            {
                var s = x * x * x;
                for (var i = 0; i < a.GetLength(0); i++)
                {
                    for (var j = 0; j < a.GetLength(1); j++)
                    {
                        s += a[i, j] * a[i, j] * x;
                    }
                }

                foreach (var v in b)
                {
                    s += v * x;
                }

                for (var i = 0; i < r.Length; i++)
                {
                    for (var j = 0; j < r[i].Length; j++)
                    {
                        s += r[i][j] * x * x;
                    }
                }

                for (var i = 0; i < e.Length; i++)
                {
                    for (var j = 0; j < e[i].Length; j++)
                    {
                        s += e[i][j] * x * x;
                    }
                }

                return s + Math.Sin(x);
            }

            // Ragged rows of lengths 3, 1, 2 with cross-row products (the dense order matters).
            [Differentiable(Hessian = true)]
            public static double Ragged(double[][] r)
            {
                var s = 0.0;
                for (var i = 0; i < r.Length; i++)
                {
                    var t = 0.0;
                    for (var j = 0; j < r[i].Length; j++)
                    {
                        t += r[i][j] * (j + 1);
                    }

                    s += t * t * r[(i + 1) % r.Length][0];
                }

                return s + Math.Sin(r[0][2] * r[2][1]);
            }

            // Rows of lengths 2, 0, 2 (an empty middle row) and a scalar after them.
            [Differentiable(Hessian = true)]
            public static double RaggedEmptyRow(double[][] r, double y)
            {
                var s = 0.0;
                for (var i = 0; i < r.Length; i++)
                {
                    for (var j = 0; j < r[i].Length; j++)
                    {
                        s += r[i][j] * r[i][j] * y * (i + j + 1);
                    }
                }

                return s + Math.Exp(r[0][1] * r[2][0] * y);
            }

            // Nodes with a nested struct member, an inactive int and a double after it.
            [Differentiable(Hessian = true)]
            public static double Nodes(Node[] n, double k)
            {
                var e = 0.0;
                for (var i = 0; i < n.Length; i++)
                {
                    var m = n[(i + 1) % n.Length];
                    var dx = n[i].P.X - m.P.X;
                    var dy = n[i].P.Y - m.P.Y;
                    e += k * n[i].W * (dx * dx + dy * dy) + n[i].Id * n[i].P.Y * n[i].W * n[i].W;
                }

                return e;
            }

            // A read-only span of structs and a scalar.
            [Differentiable(Hessian = true)]
            public static double Points(ReadOnlySpan<Vec2> p, double s)
            {
                var e = 0.0;
                for (var i = 0; i < p.Length; i++)
                {
                    e += s * p[i].X * p[i].Y * p[i].Y + Math.Sin(p[i].X * p[(i + 1) % p.Length].Y);
                }

                return e * s;
            }

            // A varied grid, a [NoGrad] grid next to it, and a varied jagged array.
            [Differentiable(Hessian = true)]
            public static double Mixed(double[,] a, [NoGrad] double[,] w, double[][] r)
            {
                var e = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < 2; j++)
                    {
                        e += w[i, j] * a[i, j] * a[j, i] * r[1][j];
                    }
                }

                return e + r[0][0] * r[1][1] * a[1, 0];
            }

            // Called with the same grid for both parameters.
            [Differentiable(Hessian = true)]
            public static double Twice(double[,] a, double[,] b)
            {
                var e = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < 2; j++)
                    {
                        e += a[i, j] * b[j, i] * a[i, j];
                    }
                }

                return e + Math.Sin(a[0, 1] * b[1, 0]);
            }

            // Float jagged rows beside a [NoGrad] float jagged array and a float scalar.
            [Differentiable(Hessian = true)]
            public static float RowsF(float[][] r, [NoGrad] float[][] w, float c)
            {
                var e = 0f;
                for (var i = 0; i < r.Length; i++)
                {
                    for (var j = 0; j < r[i].Length; j++)
                    {
                        e += w[i][j] * MathF.Tanh(r[i][j] * c) + r[i][j] * r[i][0] * c;
                    }
                }

                return e;
            }

            // A local grid and a local jagged array refilled and passed to Hessian callees in a loop.
            [Differentiable(Hessian = true)]
            public static double LoopCaller(double x, double y)
            {
                var m = new double[2, 3];
                var rows = new double[2][];
                for (var i = 0; i < rows.Length; i++)
                {
                    rows[i] = new double[i + 1];
                }

                var s = 0.5;
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 2; i++)
                    {
                        for (var j = 0; j < 3; j++)
                        {
                            m[i, j] = x * (i + 1) - y * j + s * 0.1 * t;
                        }
                    }

                    rows[0][0] = x * s;
                    rows[1][0] = y;
                    rows[1][1] = x * y;
                    s += GridCallee(m) * 0.1 + JagCallee(rows) * 0.2;
                }

                return s;
            }

            [Differentiable(Hessian = true)]
            public static double GridCallee(double[,] m)
            {
                var e = 0.0;
                for (var i = 0; i < m.GetLength(0); i++)
                {
                    for (var j = 0; j < m.GetLength(1); j++)
                    {
                        e += Math.Sin(m[i, j]) * m[(i + 1) % 2, j];
                    }
                }

                return e;
            }

            [Differentiable(Hessian = true)]
            public static double JagCallee(double[][] r) => r[0][0] * r[1][1] + r[1][0] * r[1][0] * r[0][0];
        }

        public static class Check
        {
            private static T[][] Zeros<T>(int[] lengths) where T : INumber<T> => Ragged<T>(new double[lengths.Sum()], 0, lengths);

            private static void Flatten<T>(T[,] g, double[] into, int offset) where T : INumber<T> => FlattenGrid(g, into, offset);

            private static void Flatten<T>(T[][] rows, double[] into, int offset) where T : INumber<T>
            {
                foreach (var row in rows) foreach (var e in row) into[offset++] = double.CreateChecked(e);
            }

            private static void Copy(Span<float> from, double[] into)
            {
                for (var i = 0; i < from.Length; i++) into[i] = from[i];
            }

            // NonSquare: a is 2 × 3 (p[0..6]), x is p[6..9].
            public static void NonSquareG(double[] p, double[] g)
            {
                var da = new double[2, 3];
                H.NonSquareBackward(Grid(p, 0, 2, 3), p[6..], da, g.AsSpan(6));
                Flatten(da, g, 0);
            }

            public static double NonSquareHv(double[] p, double[] v, double[] hv)
            {
                var hva = new double[2, 3];
                var r = H.NonSquareHessianVector(Grid(p, 0, 2, 3), p[6..], Grid(v, 0, 2, 3), v.AsSpan(6), hva, hv.AsSpan(6));
                Flatten(hva, hv, 0);
                return r;
            }

            public static void NonSquareH(double[] p, double[] h) => H.NonSquareHessian(Grid(p, 0, 2, 3), p[6..], h);

            // NonSquareF: a is 3 × 2 (p[0..6]), x = p[6].
            public static void NonSquareFG(double[] p, double[] g)
            {
                var da = new float[3, 2];
                var dx = 0f;
                H.NonSquareFBackward(GridF(p, 0, 3, 2), (float)p[6], da, ref dx);
                Flatten(da, g, 0);
                g[6] = dx;
            }

            public static double NonSquareFHv(double[] p, double[] v, double[] hv)
            {
                var hva = new float[3, 2];
                var hvx = 0f;
                var r = H.NonSquareFHessianVector(GridF(p, 0, 3, 2), (float)p[6], GridF(v, 0, 3, 2), (float)v[6], hva, ref hvx);
                Flatten(hva, hv, 0);
                hv[6] = hvx;
                return r;
            }

            public static void NonSquareFH(double[] p, double[] h)
            {
                var hf = new float[h.Length];
                H.NonSquareFHessian(GridF(p, 0, 3, 2), (float)p[6], hf);
                Copy(hf, h);
            }

            // Empties: only x = p[0] has elements.
            private static readonly int[] s_emptyRows = { 0, 0 };

            public static void EmptiesG(double[] p, double[] g)
            {
                var dx = 0.0;
                H.EmptiesBackward(new double[0, 3], new double[2, 0], new double[0][], Zeros<double>(s_emptyRows), p[0], new double[0, 3], new double[2, 0], new double[0][], Zeros<double>(s_emptyRows), ref dx);
                g[0] = dx;
            }

            public static double EmptiesHv(double[] p, double[] v, double[] hv)
            {
                var hx = 0.0;
                var r = H.EmptiesHessianVector(new double[0, 3], new double[2, 0], new double[0][], Zeros<double>(s_emptyRows), p[0],
                    new double[0, 3], new double[2, 0], new double[0][], Zeros<double>(s_emptyRows), v[0],
                    new double[0, 3], new double[2, 0], new double[0][], Zeros<double>(s_emptyRows), ref hx);
                hv[0] = hx;
                return r;
            }

            public static void EmptiesH(double[] p, double[] h) => H.EmptiesHessian(new double[0, 3], new double[2, 0], new double[0][], Zeros<double>(s_emptyRows), p[0], h);

            // Ragged: rows of lengths 3, 1, 2.
            private static readonly int[] s_ragged = { 3, 1, 2 };

            public static void RaggedG(double[] p, double[] g)
            {
                var d = Zeros<double>(s_ragged);
                H.RaggedBackward(Ragged<double>(p, 0, s_ragged), d);
                Flatten(d, g, 0);
            }

            public static double RaggedHv(double[] p, double[] v, double[] hv)
            {
                var h = Zeros<double>(s_ragged);
                var r = H.RaggedHessianVector(Ragged<double>(p, 0, s_ragged), Ragged<double>(v, 0, s_ragged), h);
                Flatten(h, hv, 0);
                return r;
            }

            public static void RaggedH(double[] p, double[] h) => H.RaggedHessian(Ragged<double>(p, 0, s_ragged), h);

            // RaggedEmptyRow: rows of lengths 2, 0, 2 (p[0..4]), y = p[4].
            private static readonly int[] s_gap = { 2, 0, 2 };

            public static void RaggedEmptyRowG(double[] p, double[] g)
            {
                var d = Zeros<double>(s_gap);
                H.RaggedEmptyRowBackward(Ragged<double>(p, 0, s_gap), p[4], d, ref g[4]);
                Flatten(d, g, 0);
            }

            public static double RaggedEmptyRowHv(double[] p, double[] v, double[] hv)
            {
                var h = Zeros<double>(s_gap);
                var r = H.RaggedEmptyRowHessianVector(Ragged<double>(p, 0, s_gap), p[4], Ragged<double>(v, 0, s_gap), v[4], h, ref hv[4]);
                Flatten(h, hv, 0);
                return r;
            }

            public static void RaggedEmptyRowH(double[] p, double[] h) => H.RaggedEmptyRowHessian(Ragged<double>(p, 0, s_gap), p[4], h);

            // Nodes: three nodes (P.X, P.Y, W each: p[0..9]), k = p[9].
            private static Node[] MakeNodes(double[] p) => Enumerable.Range(0, 3).Select(i => new Node { P = new Vec2 { X = p[3 * i], Y = p[3 * i + 1] }, Id = i + 1, W = p[3 * i + 2] }).ToArray();

            private static void Flatten(Node[] n, double[] into)
            {
                for (var i = 0; i < n.Length; i++) (into[3 * i], into[3 * i + 1], into[3 * i + 2]) = (n[i].P.X, n[i].P.Y, n[i].W);
            }

            public static void NodesG(double[] p, double[] g)
            {
                var d = new Node[3];
                H.NodesBackward(MakeNodes(p), p[9], d, ref g[9]);
                Flatten(d, g);
            }

            public static double NodesHv(double[] p, double[] v, double[] hv)
            {
                var h = new Node[3];
                var r = H.NodesHessianVector(MakeNodes(p), p[9], MakeNodes(v), v[9], h, ref hv[9]);
                Flatten(h, hv);
                return r;
            }

            public static void NodesH(double[] p, double[] h) => H.NodesHessian(MakeNodes(p), p[9], h);

            // Points: three Vec2 (p[0..6]), s = p[6].
            private static Vec2[] MakePoints(double[] p) => Enumerable.Range(0, 3).Select(i => new Vec2 { X = p[2 * i], Y = p[2 * i + 1] }).ToArray();

            private static void Flatten(Vec2[] n, double[] into)
            {
                for (var i = 0; i < n.Length; i++) (into[2 * i], into[2 * i + 1]) = (n[i].X, n[i].Y);
            }

            public static void PointsG(double[] p, double[] g)
            {
                var d = new Vec2[3];
                H.PointsBackward(MakePoints(p), p[6], d, ref g[6]);
                Flatten(d, g);
            }

            public static double PointsHv(double[] p, double[] v, double[] hv)
            {
                var h = new Vec2[3];
                var r = H.PointsHessianVector(MakePoints(p), p[6], MakePoints(v), v[6], h, ref hv[6]);
                Flatten(h, hv);
                return r;
            }

            public static void PointsH(double[] p, double[] h) => H.PointsHessian(MakePoints(p), p[6], h);

            // Mixed: a is 2 × 2 (p[0..4]), r has rows of lengths 1, 2 (p[4..7]); w is [NoGrad].
            private static readonly double[,] s_w = { { 0.5, -1.5 }, { 0.75, 2.0 } };
            private static readonly int[] s_mixed = { 1, 2 };

            public static void MixedG(double[] p, double[] g)
            {
                var da = new double[2, 2];
                var dr = Zeros<double>(s_mixed);
                H.MixedBackward(Grid(p, 0, 2, 2), s_w, Ragged<double>(p, 4, s_mixed), da, dr);
                Flatten(da, g, 0);
                Flatten(dr, g, 4);
            }

            public static double MixedHv(double[] p, double[] v, double[] hv)
            {
                var ha = new double[2, 2];
                var hr = Zeros<double>(s_mixed);
                var r = H.MixedHessianVector(Grid(p, 0, 2, 2), s_w, Ragged<double>(p, 4, s_mixed), Grid(v, 0, 2, 2), Ragged<double>(v, 4, s_mixed), ha, hr);
                Flatten(ha, hv, 0);
                Flatten(hr, hv, 4);
                return r;
            }

            public static void MixedH(double[] p, double[] h) => H.MixedHessian(Grid(p, 0, 2, 2), s_w, Ragged<double>(p, 4, s_mixed), h);

            // Twice: f(p) = Twice(A, A) with A = p as 2 × 2: the gradient is da + db, H·v the sum of both products.
            public static void TwiceG(double[] p, double[] g)
            {
                var a = Grid(p, 0, 2, 2);
                var da = new double[2, 2];
                var db = new double[2, 2];
                H.TwiceBackward(a, a, da, db);
                var f = new double[4];
                Flatten(da, g, 0);
                Flatten(db, f, 0);
                for (var i = 0; i < 4; i++) g[i] += f[i];
            }

            public static double TwiceHv(double[] p, double[] v, double[] hv)
            {
                var a = Grid(p, 0, 2, 2);
                var va = Grid(v, 0, 2, 2);
                var ha = new double[2, 2];
                var hb = new double[2, 2];
                var r = H.TwiceHessianVector(a, a, va, va, ha, hb);
                var f = new double[4];
                Flatten(ha, hv, 0);
                Flatten(hb, f, 0);
                for (var i = 0; i < 4; i++) hv[i] += f[i];
                return r;
            }

            public static void TwiceH(double[] p, double[] h)
            {
                var a = Grid(p, 0, 2, 2);
                var full = new double[64];
                H.TwiceHessian(a, a, full);
                for (var i = 0; i < 4; i++)
                {
                    for (var j = 0; j < 4; j++)
                    {
                        h[i * 4 + j] = full[i * 8 + j] + full[i * 8 + j + 4] + full[(i + 4) * 8 + j] + full[(i + 4) * 8 + j + 4];
                    }
                }
            }

            // RowsF: r has rows of lengths 2, 1, 3 (p[0..6]), c = p[6]; w is [NoGrad].
            private static readonly int[] s_rowsF = { 2, 1, 3 };
            private static readonly float[][] s_wF = { new[] { 0.5f, -1f }, new[] { 2f }, new[] { 1.5f, -0.5f, 0.25f } };

            public static void RowsFG(double[] p, double[] g)
            {
                var d = Zeros<float>(s_rowsF);
                var dc = 0f;
                H.RowsFBackward(Ragged<float>(p, 0, s_rowsF), s_wF, (float)p[6], d, ref dc);
                Flatten(d, g, 0);
                g[6] = dc;
            }

            public static double RowsFHv(double[] p, double[] v, double[] hv)
            {
                var h = Zeros<float>(s_rowsF);
                var hc = 0f;
                var r = H.RowsFHessianVector(Ragged<float>(p, 0, s_rowsF), s_wF, (float)p[6], Ragged<float>(v, 0, s_rowsF), (float)v[6], h, ref hc);
                Flatten(h, hv, 0);
                hv[6] = hc;
                return r;
            }

            public static void RowsFH(double[] p, double[] h)
            {
                var hf = new float[h.Length];
                H.RowsFHessian(Ragged<float>(p, 0, s_rowsF), s_wF, (float)p[6], hf);
                Copy(hf, h);
            }

            public static void LoopCallerG(double[] p, double[] g) => H.LoopCallerBackward(p[0], p[1], ref g[0], ref g[1]);

            public static double LoopCallerHv(double[] p, double[] v, double[] hv) => H.LoopCallerHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);

            public static void LoopCallerH(double[] p, double[] h) => H.LoopCallerHessian(p[0], p[1], h);

            // GridCallee directly: m is 2 × 3.
            public static void GridCalleeG(double[] p, double[] g)
            {
                var d = new double[2, 3];
                H.GridCalleeBackward(Grid(p, 0, 2, 3), d);
                Flatten(d, g, 0);
            }

            public static double GridCalleeHv(double[] p, double[] v, double[] hv)
            {
                var h = new double[2, 3];
                var r = H.GridCalleeHessianVector(Grid(p, 0, 2, 3), Grid(v, 0, 2, 3), h);
                Flatten(h, hv, 0);
                return r;
            }

            public static void GridCalleeH(double[] p, double[] h) => H.GridCalleeHessian(Grid(p, 0, 2, 3), h);
        }
        """;

    private const string PrimarySource = """
        using System;
        using StaticGrad;

        namespace ReviewPc;

        public enum Mode { Linear, Squared }

        // A local and a local function's parameter named like the primary-constructor parameter.
        public partial class Shadow(double scale, double k)
        {
            public double Scale => scale;

            [Differentiable(Forward = true)]
            public double Local(double x)
            {
                var scale = x * 2;
                return scale * scale * k + x;
            }

            [Differentiable(Forward = true)]
            public double Param(double x) => x * x * x * scale + k * x;
        }

        // Reassigned by another method before the [Differentiable] one runs.
        public partial class Mut(double scale)
        {
            public void Grow() => scale *= 2;

            [Differentiable(Forward = true)]
            public double F(double x) => Math.Sin(x) * scale + x * x * scale * scale;
        }

        // Also captured by a lambda.
        public partial class Lam(double scale)
        {
            public Func<double, double> Curve => v => v * scale;

            [Differentiable(Forward = true)]
            public double F(double x) => Math.Exp(x * scale) - scale * Curve(1.0);
        }

        // Used in a field initializer and by the method.
        public partial class Init(double scale)
        {
            private readonly double _half = scale / 2;

            [Differentiable(Forward = true)]
            public double F(double x) => x * x * scale + _half * x * x * x;
        }

        // A field of the same name initialised from the parameter: the method reads the field.
        public partial class SameName(double scale)
        {
            private readonly double scale = scale * 3;

            [Differentiable(Forward = true)]
            public double F(double x) => x * x * scale;
        }

        // Another part of the type without the parameter list.
        public partial class Split(double gain)
        {
            [Differentiable(Forward = true)]
            public double F(double x) => gain * x * x + Math.Sin(x);
        }

        public partial class Split
        {
            public double Gain => gain;
        }

        public static partial class Outer
        {
            public partial class Inner(double k)
            {
                [Differentiable(Forward = true)]
                public double F(double x) => k * Math.Cos(x) * x;
            }

            public partial struct InnerS(float k)
            {
                [Differentiable(Forward = true)]
                public float F(float x) => k * x * x * x;
            }
        }

        public partial record Rec(double Scale, double Shift)
        {
            [Differentiable(Forward = true)]
            public double F(double x) => Scale * x * x + Shift * x;
        }

        public partial record struct RecS(double Scale)
        {
            [Differentiable(Forward = true)]
            public readonly double F(double x) => Scale * Math.Sin(x) * x;
        }

        // A record whose property of the parameter's name is declared by hand (twice the parameter).
        public partial record Rec2(double k)
        {
            public double k { get; } = k * 2;

            [Differentiable(Forward = true)]
            public double F(double x) => k * x * x;
        }

        public class BaseModel(double s)
        {
            public double S => s;
        }

        // 's' passed to the base (doubled) and read by the method: the derived type's own capture.
        public partial class Derived(double s, double t) : BaseModel(s * 2)
        {
            [Differentiable(Forward = true)]
            public double F(double x) => x * x * t + x * s + S * x * x * x;
        }

        public partial class B1(double k)
        {
            [Differentiable(Forward = true)]
            public double F(double x) => k * x * x;
        }

        // Same parameter name as its base, and a call of the base's method through base (a method hiding B1.F is SG1020,
        // GeneratedMemberCollisionTests).
        public partial class D1(double k) : B1(k + 1)
        {
            [Differentiable(Forward = true)]
            public double G(double x) => k * x * x * x + base.F(x);
        }

        public partial class Cfg(int degree, Mode mode, string name, bool flip)
        {
            [Differentiable(Forward = true)]
            public double F(double x)
            {
                var s = 0.0;
                for (var i = 1; i <= degree; i++)
                {
                    s += Math.Pow(x, i) / i;
                }

                if (mode == Mode.Squared)
                {
                    s = s * s;
                }

                return flip ? -s * name.Length : s * name.Length;
            }
        }

        // Mutated through a method of the struct.
        public partial struct Acc(double gain)
        {
            public void Boost() => gain *= 3;

            [Differentiable(Forward = true)]
            public double F(double x) => gain * x * x + Math.Sin(gain * x);
        }

        public partial class Hes(double scale, double[] w)
        {
            [Differentiable(Forward = true, Hessian = true)]
            public double F(double x) => scale * Math.Exp(x * w[0]) + x * x * x * w[1];
        }

        public partial struct HesS(double scale)
        {
            [Differentiable(Forward = true, Hessian = true)]
            public double F(double x) => scale * Math.Sin(x * scale) * x;
        }

        public partial class Chain(double a, double b)
        {
            [Differentiable(Forward = true)]
            public double Inner(double x) => a * x * x;

            [Differentiable(Forward = true)]
            public double F(double x) => Inner(x) * b + Math.Sin(Inner(x * a));
        }

        // Parameters named like keywords, like the adjoint of x and like the seed.
        public partial class Names(double @double, double dx, double seed)
        {
            [Differentiable(Forward = true)]
            public double F(double x) => @double * x * x + dx * x * x * x + seed * Math.Sin(x);
        }

        public static class Check
        {
            private static readonly Shadow s_shadow = new(1.5, 0.75);
            private static readonly Mut s_mut = MakeMut();
            private static readonly Lam s_lam = new(0.6);
            private static readonly Init s_init = new(1.2);
            private static readonly SameName s_same = new(0.9);
            private static readonly Split s_split = new(2.5);
            private static readonly Outer.Inner s_inner = new(1.7);
            private static Outer.InnerS s_innerS = new(1.3f);
            private static readonly Rec s_rec = new(1.1, -0.4);
            private static RecS s_recS = new(0.8);
            private static readonly Rec2 s_rec2 = new(0.7);
            private static readonly Derived s_derived = new(0.5, 1.5);
            private static readonly D1 s_d1 = new(0.5);
            private static readonly Cfg s_cfg = new(3, Mode.Squared, "abcd", true);
            private static Acc s_acc = MakeAcc();
            private static readonly Hes s_hes = new(1.3, new[] { 0.7, -0.4 });
            private static HesS s_hesS = new(1.4);
            private static readonly Chain s_chain = new(0.8, 1.6);
            private static readonly Names s_names = new(1.25, -0.5, 2.0);

            private static Mut MakeMut()
            {
                var m = new Mut(1.25);
                m.Grow();
                return m;
            }

            private static Acc MakeAcc()
            {
                var a = new Acc(0.5);
                a.Boost();
                return a;
            }

            public static double ShadowLocalF(double x) => s_shadow.Local(x);
            public static double ShadowLocalG(double x) { var d = 0.0; s_shadow.LocalBackward(x, ref d); return d; }
            public static double ShadowLocalT(double x) => s_shadow.LocalTangent(x, 1.0).Tangent;
            public static double ShadowParamF(double x) => s_shadow.Param(x);
            public static double ShadowParamG(double x) { var d = 0.0; s_shadow.ParamBackward(x, ref d); return d; }
            public static double ShadowParamT(double x) => s_shadow.ParamTangent(x, 1.0).Tangent;
            public static double MutF(double x) => s_mut.F(x);
            public static double MutG(double x) { var d = 0.0; s_mut.FBackward(x, ref d); return d; }
            public static double MutT(double x) => s_mut.FTangent(x, 1.0).Tangent;
            public static double LamF(double x) => s_lam.F(x);
            public static double LamG(double x) { var d = 0.0; s_lam.FBackward(x, ref d); return d; }
            public static double LamT(double x) => s_lam.FTangent(x, 1.0).Tangent;
            public static double InitF(double x) => s_init.F(x);
            public static double InitG(double x) { var d = 0.0; s_init.FBackward(x, ref d); return d; }
            public static double InitT(double x) => s_init.FTangent(x, 1.0).Tangent;
            public static double SameNameF(double x) => s_same.F(x);
            public static double SameNameG(double x) { var d = 0.0; s_same.FBackward(x, ref d); return d; }
            public static double SameNameT(double x) => s_same.FTangent(x, 1.0).Tangent;
            public static double SplitF(double x) => s_split.F(x);
            public static double SplitG(double x) { var d = 0.0; s_split.FBackward(x, ref d); return d; }
            public static double SplitT(double x) => s_split.FTangent(x, 1.0).Tangent;
            public static double InnerF(double x) => s_inner.F(x);
            public static double InnerG(double x) { var d = 0.0; s_inner.FBackward(x, ref d); return d; }
            public static double InnerT(double x) => s_inner.FTangent(x, 1.0).Tangent;
            public static double InnerSF(double x) => s_innerS.F((float)x);
            public static double InnerSG(double x) { var d = 0f; s_innerS.FBackward((float)x, ref d); return d; }
            public static double InnerST(double x) => s_innerS.FTangent((float)x, 1f).Tangent;
            public static double RecF(double x) => s_rec.F(x);
            public static double RecG(double x) { var d = 0.0; s_rec.FBackward(x, ref d); return d; }
            public static double RecT(double x) => s_rec.FTangent(x, 1.0).Tangent;
            public static double RecSF(double x) => s_recS.F(x);
            public static double RecSG(double x) { var d = 0.0; s_recS.FBackward(x, ref d); return d; }
            public static double RecST(double x) => s_recS.FTangent(x, 1.0).Tangent;
            public static double Rec2F(double x) => s_rec2.F(x);
            public static double Rec2G(double x) { var d = 0.0; s_rec2.FBackward(x, ref d); return d; }
            public static double Rec2T(double x) => s_rec2.FTangent(x, 1.0).Tangent;
            public static double DerivedF(double x) => s_derived.F(x);
            public static double DerivedG(double x) { var d = 0.0; s_derived.FBackward(x, ref d); return d; }
            public static double DerivedT(double x) => s_derived.FTangent(x, 1.0).Tangent;
            public static double D1F(double x) => s_d1.G(x);
            public static double D1G(double x) { var d = 0.0; s_d1.GBackward(x, ref d); return d; }
            public static double D1T(double x) => s_d1.GTangent(x, 1.0).Tangent;
            public static double CfgF(double x) => s_cfg.F(x);
            public static double CfgG(double x) { var d = 0.0; s_cfg.FBackward(x, ref d); return d; }
            public static double CfgT(double x) => s_cfg.FTangent(x, 1.0).Tangent;
            public static double AccF(double x) => s_acc.F(x);
            public static double AccG(double x) { var d = 0.0; s_acc.FBackward(x, ref d); return d; }
            public static double AccT(double x) => s_acc.FTangent(x, 1.0).Tangent;
            public static double HesF(double x) => s_hes.F(x);
            public static double HesG(double x) { var d = 0.0; s_hes.FBackward(x, ref d); return d; }
            public static double HesT(double x) => s_hes.FTangent(x, 1.0).Tangent;
            public static double HesHv(double x) { var h = 0.0; s_hes.FHessianVector(x, 1.0, ref h); return h; }
            public static double HesH(double x) { var h = new double[1]; s_hes.FHessian(x, h); return h[0]; }
            public static double HesSF(double x) => s_hesS.F(x);
            public static double HesSG(double x) { var d = 0.0; s_hesS.FBackward(x, ref d); return d; }
            public static double HesST(double x) => s_hesS.FTangent(x, 1.0).Tangent;
            public static double HesSHv(double x) { var h = 0.0; s_hesS.FHessianVector(x, 1.0, ref h); return h; }
            public static double HesSH(double x) { var h = new double[1]; s_hesS.FHessian(x, h); return h[0]; }
            public static double ChainF(double x) => s_chain.F(x);
            public static double ChainG(double x) { var d = 0.0; s_chain.FBackward(x, ref d); return d; }
            public static double ChainT(double x) => s_chain.FTangent(x, 1.0).Tangent;
            public static double NamesF(double x) => s_names.F(x);
            public static double NamesG(double x) { var d = 0.0; s_names.FBackward(x, ref d); return d; }
            public static double NamesT(double x) => s_names.FTangent(x, 1.0).Tangent;
        }
        """;

    // More Hessian shapes (a grid parameter passed on, a struct with a System.Numerics member) and a grid primary-constructor parameter.
    private const string ProbeSource = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace ReviewProbe;

        // A grid primary-constructor parameter read as a constant by a Hessian method.
        public partial class Gc(double[,] w)
        {
            [Differentiable(Hessian = true)]
            public double F(double[] x)
            {
                var s = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < 2; j++)
                    {
                        s += w[i, j] * x[i] * x[j] * x[j];
                    }
                }

                return s;
            }
        }

        public struct Particle
        {
            public Vector2 Pos;
            public int Kind;
            public float M;
        }

        public static partial class Hp2
        {
            [Differentiable(Hessian = true)]
            public static double GridSq(double[,] m)
            {
                var e = 0.0;
                for (var i = 0; i < m.GetLength(0); i++)
                {
                    for (var j = 0; j < m.GetLength(1); j++)
                    {
                        e += m[i, j] * m[i, j] * m[(i + 1) % m.GetLength(0), j];
                    }
                }

                return e;
            }

            // A grid parameter passed on to a Hessian callee.
            [Differentiable(Hessian = true)]
            public static double ParamGrid(double[,] m, double y) => GridSq(m) * y + m[0, 1] * y * y;

            [Differentiable(Hessian = true)]
            public static double RowSum(double[] v)
            {
                var s = 0.0;
                for (var i = 0; i < v.Length; i++)
                {
                    s += v[i] * v[i] * v[0];
                }

                return s;
            }

            // Float particles: a System.Numerics member, an inactive int, a float.
            [Differentiable(Hessian = true)]
            public static float Particles(Particle[] p, float g)
            {
                var e = 0f;
                for (var i = 0; i < p.Length; i++)
                {
                    e += p[i].M * g * p[i].Pos.Y + 0.5f * p[i].M * p[i].Pos.LengthSquared() * p[i].Pos.X + p[i].Kind * p[i].M * p[i].M;
                }

                return e;
            }
        }

        public static class Check
        {
            private static readonly Gc s_gc = new(new double[,] { { 0.5, -1.0 }, { 2.0, 0.25 } });

            public static void GcG(double[] p, double[] g) => s_gc.FBackward(p, g);
            public static double GcHv(double[] p, double[] v, double[] hv) => s_gc.FHessianVector(p, v, hv);
            public static void GcH(double[] p, double[] h) => s_gc.FHessian(p, h);

            private static double[,] Grid(double[] p) => new double[,] { { p[0], p[1], p[2] }, { p[3], p[4], p[5] } };

            private static void Flatten(double[,] g, double[] into) { var k = 0; foreach (var e in g) into[k++] += e; }

            // ParamGrid: m is 2 × 3 (p[0..6]), y = p[6].
            public static void ParamGridG(double[] p, double[] g) { var d = new double[2, 3]; Hp2.ParamGridBackward(Grid(p), p[6], d, ref g[6]); Flatten(d, g); }
            public static double ParamGridHv(double[] p, double[] v, double[] hv) { var h = new double[2, 3]; var r = Hp2.ParamGridHessianVector(Grid(p), p[6], Grid(v), v[6], h, ref hv[6]); Flatten(h, hv); return r; }
            public static void ParamGridH(double[] p, double[] h) => Hp2.ParamGridHessian(Grid(p), p[6], h);

            // Particles: two particles (Pos.X, Pos.Y, M each: p[0..6]), g = p[6].
            private static Particle[] Ps(double[] p) => new[]
            {
                new Particle { Pos = new Vector2((float)p[0], (float)p[1]), Kind = 2, M = (float)p[2] },
                new Particle { Pos = new Vector2((float)p[3], (float)p[4]), Kind = -1, M = (float)p[5] },
            };

            private static void Flatten(Particle[] ps, double[] into) { for (var i = 0; i < ps.Length; i++) (into[3 * i], into[3 * i + 1], into[3 * i + 2]) = (ps[i].Pos.X, ps[i].Pos.Y, ps[i].M); }

            public static void ParticlesG(double[] p, double[] g) { var d = new Particle[2]; var dg = 0f; Hp2.ParticlesBackward(Ps(p), (float)p[6], d, ref dg); Flatten(d, g); g[6] = dg; }
            public static double ParticlesHv(double[] p, double[] v, double[] hv) { var h = new Particle[2]; var hg = 0f; var r = Hp2.ParticlesHessianVector(Ps(p), (float)p[6], Ps(v), (float)v[6], h, ref hg); Flatten(h, hv); hv[6] = hg; return r; }
            public static void ParticlesH(double[] p, double[] h) { var hf = new float[h.Length]; Hp2.ParticlesHessian(Ps(p), (float)p[6], hf); for (var i = 0; i < h.Length; i++) h[i] = hf[i]; }
        }
        """;

    private static Type ProbeCheckType => s_compiled.Value.Assembly.GetType("ReviewProbe.Check")!;

    private static readonly Dictionary<string, (double[] Point, bool IsFloat)> s_hessians = new()
    {
        ["NonSquare"] = (new[] { 0.8, -0.3, 0.2, 0.1, 1.1, -0.4, 0.6, -0.7, 0.4 }, false),
        ["NonSquareF"] = (new[] { 0.9, -0.2, 0.3, 1.2, 0.7, -0.5, 0.8 }, true),
        ["Empties"] = (new[] { 0.7 }, false),
        ["Ragged"] = (new[] { 0.5, -0.4, 0.3, 0.9, -0.6, 0.7 }, false),
        ["RaggedEmptyRow"] = (new[] { 0.4, -0.8, 0.3, 0.6, 0.9 }, false),
        ["Nodes"] = (new[] { 0.0, 0.1, 0.8, 1.2, -0.3, 0.6, 0.4, 0.9, 1.1, 1.7 }, false),
        ["Points"] = (new[] { 0.3, -0.5, 0.8, 0.2, -0.6, 0.9, 1.2 }, false),
        ["Mixed"] = (new[] { 0.8, -0.3, 0.5, 1.1, 0.7, -0.4, 0.9 }, false),
        ["Twice"] = (new[] { 0.6, -0.8, 0.4, 1.2 }, false),
        ["RowsF"] = (new[] { 0.4, -0.6, 0.9, 0.3, -0.2, 0.7, 0.8 }, true),
        ["LoopCaller"] = (new[] { 0.6, -0.4 }, false),
        ["GridCallee"] = (new[] { 0.5, -0.7, 0.2, 1.1, -0.3, 0.8 }, false),
    };

    public static TheoryData<string> Hessians => new(s_hessians.Keys);

    private static readonly Lazy<(GeneratorOutput Output, Assembly Assembly)> s_compiled = new(() =>
    {
        var output = GeneratorHarness.Run(HessianSource, PrimarySource, ProbeSource, Forward.ShapeInputSource.Source);
        var generatedProblems = output.GeneratorDiagnostics
            .Concat(output.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))
            .Concat(output.AnalyzerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
            .ToArray();
        if (generatedProblems.Length > 0)
        {
            throw new Xunit.Sdk.XunitException("Expected no errors, got:\n" + string.Join("\n", generatedProblems.Select(d => d.ToString())));
        }

        return (output, GeneratorHarness.Load(output.OutputCompilation));
    });

    private static Type HessianCheck => s_compiled.Value.Assembly.GetType("ReviewHess.Check")!;

    private static Type PrimaryCheck => s_compiled.Value.Assembly.GetType("ReviewPc.Check")!;

    [Fact]
    public void The_batch_compiles_without_errors() => Assert.NotNull(s_compiled.Value.Assembly);

    /// <summary>No warning in any generated file (a method hiding a base [Differentiable] method is SG1020 instead of CS0108).</summary>
    [Fact]
    public void Generated_code_has_no_warnings()
    {
        var warnings = s_compiled.Value.Output.OutputCompilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
            .ToArray();
        Assert.True(warnings.Length == 0, "Warnings in generated code:\n" + string.Join("\n", warnings.Select(d => d.ToString())));
    }

    [Theory]
    [MemberData(nameof(Hessians))]
    public void Hessian_vector_product_matches_finite_differences_of_backward(string name)
    {
        var (point, isFloat) = s_hessians[name];
        HessianFiniteDifferences.AssertHessianVector(HessianCheck, name, point, isFloat, name);
    }

    [Theory]
    [MemberData(nameof(Hessians))]
    public void Dense_hessian_matches_finite_differences_of_backward(string name)
    {
        var (point, isFloat) = s_hessians[name];
        HessianFiniteDifferences.AssertDenseHessian(HessianCheck, name, point, isFloat, name);
    }

    [Theory]
    [MemberData(nameof(Hessians))]
    public void Dense_hessian_times_v_equals_hessian_vector(string name)
    {
        var (point, isFloat) = s_hessians[name];
        var n = point.Length;
        var h = new double[n * n];
        HessianFiniteDifferences.Invoke(HessianCheck, name + "H", point, h);
        var random = new Random(5);
        var v = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var hv = new double[n];
        HessianFiniteDifferences.Invoke(HessianCheck, name + "Hv", point, v, hv);
        var tolerance = isFloat ? 1e-4 : 1e-9;
        for (var i = 0; i < n; i++)
        {
            var dense = Enumerable.Range(0, n).Sum(j => h[i * n + j] * v[j]);
            Assert.True(Math.Abs(dense - hv[i]) <= tolerance * Math.Max(1, Math.Abs(hv[i])), $"{name}: (H·v)[{i}] from the dense Hessian = {dense:R}, HessianVector = {hv[i]:R}");
        }
    }

    [Theory]
    [InlineData("ShadowLocal", 0.7, false)]
    [InlineData("ShadowParam", 0.7, false)]
    [InlineData("Mut", 0.4, false)]
    [InlineData("Lam", 0.5, false)]
    [InlineData("Init", 0.9, false)]
    [InlineData("SameName", 0.9, false)]
    [InlineData("Split", -0.6, false)]
    [InlineData("Inner", 0.8, false)]
    [InlineData("InnerS", 0.6, true)]
    [InlineData("Rec", 0.3, false)]
    [InlineData("RecS", 0.7, false)]
    [InlineData("Rec2", 0.7, false)]
    [InlineData("Derived", 0.6, false)]
    [InlineData("Cfg", 0.6, false)]
    [InlineData("Acc", 0.35, false)]
    [InlineData("Hes", 0.45, false)]
    [InlineData("HesS", 0.45, false)]
    [InlineData("Chain", 0.55, false)]
    [InlineData("Names", 0.65, false)]
    public void Primary_constructor_parameters_backward_and_tangent_match_finite_differences(string name, double x, bool isFloat)
    {
        var (step, tolerance) = isFloat ? (1e-2, 2e-2) : (1e-6, 1e-6);
        var fd = (Call(name + "F", x + step) - Call(name + "F", x - step)) / (2 * step);
        var g = Call(name + "G", x);
        var t = Call(name + "T", x);
        Assert.True(Math.Abs(g - fd) <= tolerance * (1 + Math.Abs(fd)), $"{name}: Backward gives {g:R}, finite differences {fd:R}");
        Assert.True(Math.Abs(t - fd) <= tolerance * (1 + Math.Abs(fd)), $"{name}: Tangent gives {t:R}, finite differences {fd:R}");
    }

    [Theory]
    [InlineData("Hes", 0.45)]
    [InlineData("HesS", 0.45)]
    public void Primary_constructor_parameters_in_hessian_methods_match_finite_differences(string name, double x)
    {
        const double step = 1e-4;
        var fd = (Call(name + "G", x + step) - Call(name + "G", x - step)) / (2 * step);
        var hv = Call(name + "Hv", x);
        var h = Call(name + "H", x);
        Assert.True(Math.Abs(hv - fd) <= 1e-5 * (1 + Math.Abs(fd)), $"{name}: HessianVector gives {hv:R}, finite differences of Backward {fd:R}");
        Assert.True(Math.Abs(h - fd) <= 1e-5 * (1 + Math.Abs(fd)), $"{name}: Hessian gives {h:R}, finite differences of Backward {fd:R}");
    }

    /// <summary>
    /// D1.G calls 'base.F(x)': the generated GBackward and GTangent call B1's FBackward / FTangent through base (they once
    /// called 'this.FBackward', which in a type hiding F was itself: a stack overflow); D1G/D1T in Check run them.
    /// </summary>
    [Fact]
    public void A_base_call_is_differentiated_through_the_base_method_not_recursively()
    {
        var sources = s_compiled.Value.Output.Sources;
        var backward = sources.Single(s => s.HintName == "ReviewPc.D1.G.g.cs").Source;
        var tangent = sources.Single(s => s.HintName == "ReviewPc.D1.G.Tangent.g.cs").Source;
        Assert.Contains("base.FBackward(", backward, StringComparison.Ordinal);
        Assert.Contains("base.FTangent(", tangent, StringComparison.Ordinal);
    }

    private const string CollisionSource = """
        using System;
        using StaticGrad;

        namespace ReviewCollision;

        // Accessor names built as '_' + parameter + 'Of' + method: '_aOfB' + 'Of' + 'C' and '_a' + 'Of' + 'BOfC' are one name.
        public partial class Coll(double a, double aOfB)
        {
            [Differentiable]
            public double C(double x) => x * x * aOfB;

            [Differentiable]
            public double BOfC(double x) => x * x * x * a;
        }

        // Overloads get '_scaleOfF_0', '_scaleOfF_1'; a method named F_0 gets '_scaleOfF_0' too.
        public partial class Ov(double scale)
        {
            [Differentiable]
            public double F(double x) => x * x * scale;

            [Differentiable]
            public float F(float x) => x * x * (float)scale;

            [Differentiable]
            public double F_0(double x) => x * x * x * scale;
        }

        """;

    /// <summary>
    /// The accessor's name is '_' + parameter + 'Of' + method (+ '_' + overload index), made unique only against the
    /// user's members: two accessors of one type can get one name (CS0111 and CS0121 in the generated files).
    /// </summary>
    [Fact]
    public void Accessor_names_of_different_methods_do_not_collide()
    {
        var output = GeneratorHarness.Run(CollisionSource);
        var errors = output.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "Errors:\n" + string.Join("\n", errors.Select(d => d.ToString())));
        var type = GeneratorHarness.Load(output.OutputCompilation).GetType("ReviewCollision.Coll")!;
        var coll = Activator.CreateInstance(type, 1.5, 0.5)!;
        var args = new object[] { 0.7, 0.0, 1.0 };
        type.GetMethod("CBackward")!.Invoke(coll, args);
        Assert.Equal(2 * 0.7 * 0.5, (double)args[1], 12);
        args = new object[] { 0.7, 0.0, 1.0 };
        type.GetMethod("BOfCBackward")!.Invoke(coll, args);
        Assert.Equal(3 * 0.7 * 0.7 * 1.5, (double)args[1], 12);
    }

    [Theory]
    [InlineData("Gc", new[] { 0.6, -0.8 }, false)]
    [InlineData("ParamGrid", new[] { 0.5, -0.7, 0.2, 1.1, -0.3, 0.8, 0.9 }, false)]
    [InlineData("Particles", new[] { 0.5, -0.7, 1.2, 1.1, -0.3, 0.8, 0.9 }, true)]
    public void Probe_hessians_match_finite_differences(string name, double[] point, bool isFloat)
    {
        HessianFiniteDifferences.AssertHessianVector(ProbeCheckType, name, point, isFloat, name);
        HessianFiniteDifferences.AssertDenseHessian(ProbeCheckType, name, point, isFloat, name);
    }

    private static double Call(string method, double x) =>
        (double)(PrimaryCheck.GetMethod(method, BindingFlags.Public | BindingFlags.Static) ?? throw new InvalidOperationException("no " + method)).Invoke(null, new object[] { x })!;
}
