using System.Collections.Immutable;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Forward;

/// <summary>
/// [Differentiable(Hessian = true)] on two-dimensional, jagged and struct-array parameters: HessianVector takes each
/// direction and product in its parameter's shape (<c>double[,]</c>, <c>double[][]</c>, <c>ReadOnlySpan&lt;Vector3&gt;</c>
/// / <c>Span&lt;Vector3&gt;</c>), and Hessian counts their elements (a struct once per floating member). A small corpus
/// of realistic functions in one compilation, double and float, each checked against central differences of its
/// generated Backward (<see cref="HessianFiniteDifferences"/> states the tolerances). Each <c>Check</c> method unpacks a
/// flat point into the shapes and flattens the results in the dense Hessian's order. The last two functions pass a
/// local grid and a local jagged array to [Differentiable(Hessian = true)] callees (one SG1012 each before).
/// </summary>
public sealed class HessianShapesTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using System.Numerics;
        using StaticGrad;
        using static ShapeInputs.Shaped;

        namespace Samples;

        public struct Bead
        {
            public double X;
            public int Tag;
            public double Y;
        }

        public static partial class Shapes
        {
            // A regularised quadratic form whose matrix is differentiated too.
            [Differentiable(Hessian = true)]
            public static double QuadraticForm(double[,] a, double[] x)
            {
                var s = 0.0;
                for (var i = 0; i < a.GetLength(0); i++)
                {
                    for (var j = 0; j < a.GetLength(1); j++)
                    {
                        s += x[i] * a[i, j] * x[j];
                    }
                }

                return Math.Log(1 + s * s);
            }

            [Differentiable(Hessian = true)]
            public static float QuadraticFormF(float[,] a, float[] x)
            {
                var s = 0f;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var j = 0; j < x.Length; j++)
                    {
                        s += x[i] * a[i, j] * x[j];
                    }
                }

                return s + 0.25f * s * s;
            }

            // Logistic loss over jagged feature rows, differentiated in the rows and the weights.
            [Differentiable(Hessian = true)]
            public static double LogisticLoss(double[][] rows, double[] w, [NoGrad] double[] labels)
            {
                var loss = 0.0;
                for (var i = 0; i < rows.Length; i++)
                {
                    var z = 0.0;
                    for (var j = 0; j < w.Length; j++)
                    {
                        z += w[j] * rows[i][j];
                    }

                    loss += Math.Log(1 + Math.Exp(-labels[i] * z));
                }

                return loss / rows.Length;
            }

            // Ragged float rows weighted by a [NoGrad] grid.
            [Differentiable(Hessian = true)]
            public static float RowEnergy(float[][] rows, [NoGrad] float[,] weights)
            {
                var e = 0f;
                for (var i = 0; i < rows.Length; i++)
                {
                    foreach (var v in rows[i])
                    {
                        e += weights[i, rows[i].Length - 1] * MathF.Tanh(v) * v;
                    }
                }

                return e;
            }

            // A chain of springs between points.
            [Differentiable(Hessian = true)]
            public static float SpringEnergy(Vector3[] p, float k, float rest)
            {
                var e = 0f;
                for (var i = 0; i + 1 < p.Length; i++)
                {
                    var d = Vector3.Distance(p[i], p[i + 1]) - rest;
                    e += 0.5f * k * d * d;
                }

                return e;
            }

            // Beads on a closed loop: a struct with an inactive member between its floating ones.
            [Differentiable(Hessian = true)]
            public static double LoopEnergy(Bead[] beads, double stiffness)
            {
                var e = 0.0;
                for (var i = 0; i < beads.Length; i++)
                {
                    var next = beads[(i + 1) % beads.Length];
                    var dx = next.X - beads[i].X;
                    var dy = next.Y - beads[i].Y;
                    e += stiffness * Math.Pow(Math.Sqrt(dx * dx + dy * dy) - 1, 2) + 0.1 * beads[i].Tag * beads[i].Y;
                }

                return e;
            }
        }

        // Local grids passed to [Differentiable(Hessian = true)] callees (a copy, whose second-order adjoint is added back).
        public static partial class Callers
        {
            [Differentiable(Hessian = true)]
            public static double GridCaller(double x, double y)
            {
                var m = new double[2, 2];
                m[0, 0] = x;
                m[0, 1] = y;
                m[1, 0] = x * y;
                m[1, 1] = 1;
                return Tile(m) * x;
            }

            [Differentiable(Hessian = true)]
            public static double Tile(double[,] m) => m[0, 0] * m[0, 1] * m[1, 0] + Math.Sin(m[1, 1] * m[0, 0]);

            [Differentiable(Hessian = true)]
            public static float JaggedCaller(float x, float y)
            {
                var rows = new float[2][];
                rows[0] = new float[2];
                rows[1] = new float[2];
                rows[0][0] = x;
                rows[0][1] = y;
                rows[1][0] = x * y;
                return Rows(rows) * y;
            }

            [Differentiable(Hessian = true)]
            public static float Rows(float[][] r) => r[0][0] * r[0][1] * r[1][0] + MathF.Exp(r[1][1] * r[0][1]);
        }

        public static class Check
        {
            private static void Flatten<T>(T[,] g, double[] into, int offset) where T : INumber<T> => FlattenGrid(g, into, offset);

            private static void Flatten<T>(T[][] rows, double[] into, int offset) where T : INumber<T>
            {
                foreach (var row in rows) foreach (var e in row) into[offset++] = double.CreateChecked(e);
            }

            private static Vector3[] Points(double[] p, int count)
            {
                var v = new Vector3[count];
                for (var i = 0; i < count; i++) v[i] = new Vector3((float)p[3 * i], (float)p[3 * i + 1], (float)p[3 * i + 2]);
                return v;
            }

            private static void Flatten(Vector3[] v, double[] into)
            {
                for (var i = 0; i < v.Length; i++) (into[3 * i], into[3 * i + 1], into[3 * i + 2]) = (v[i].X, v[i].Y, v[i].Z);
            }

            private static Bead[] Beads(double[] p) => Enumerable.Range(0, p.Length / 2).Select(i => new Bead { X = p[2 * i], Tag = i, Y = p[2 * i + 1] }).ToArray();

            private static void Flatten(Bead[] b, double[] into)
            {
                for (var i = 0; i < b.Length; i++) (into[2 * i], into[2 * i + 1]) = (b[i].X, b[i].Y);
            }

            private static void Copy(Span<float> from, double[] into)
            {
                for (var i = 0; i < from.Length; i++) into[i] = from[i];
            }

            // QuadraticForm: a is 3 × 3 (p[0..9]), x is p[9..12].
            public static void QuadG(double[] p, double[] g)
            {
                var da = new double[3, 3];
                Shapes.QuadraticFormBackward(Grid(p, 0, 3, 3), p[9..], da, g.AsSpan(9));
                Flatten(da, g, 0);
            }

            public static double QuadHv(double[] p, double[] v, double[] hv)
            {
                var hva = new double[3, 3];
                var r = Shapes.QuadraticFormHessianVector(Grid(p, 0, 3, 3), p[9..], Grid(v, 0, 3, 3), v.AsSpan(9), hva, hv.AsSpan(9));
                Flatten(hva, hv, 0);
                return r;
            }

            public static void QuadH(double[] p, double[] h) => Shapes.QuadraticFormHessian(Grid(p, 0, 3, 3), p[9..], h);

            // QuadraticFormF: a is 2 × 2 (p[0..4]), x is p[4..6].
            public static void QuadFG(double[] p, double[] g)
            {
                var da = new float[2, 2];
                var dx = new float[2];
                Shapes.QuadraticFormFBackward(GridF(p, 0, 2, 2), p[4..].Select(e => (float)e).ToArray(), da, dx);
                Flatten(da, g, 0);
                (g[4], g[5]) = (dx[0], dx[1]);
            }

            public static double QuadFHv(double[] p, double[] v, double[] hv)
            {
                var hva = new float[2, 2];
                var hvx = new float[2];
                var r = Shapes.QuadraticFormFHessianVector(GridF(p, 0, 2, 2), p[4..].Select(e => (float)e).ToArray(), GridF(v, 0, 2, 2), v[4..].Select(e => (float)e).ToArray(), hva, hvx);
                Flatten(hva, hv, 0);
                (hv[4], hv[5]) = (hvx[0], hvx[1]);
                return r;
            }

            public static void QuadFH(double[] p, double[] h)
            {
                var hf = new float[h.Length];
                Shapes.QuadraticFormFHessian(GridF(p, 0, 2, 2), p[4..].Select(e => (float)e).ToArray(), hf);
                Copy(hf, h);
            }

            // LogisticLoss: three rows of two features (p[0..6]), weights p[6..8].
            private static readonly int[] s_features = { 2, 2, 2 };
            private static readonly double[] s_labels = { 1, -1, 1 };

            public static void LogisticG(double[] p, double[] g)
            {
                var rows = Ragged<double>(p, 0, s_features);
                var dRows = Ragged<double>(new double[6], 0, s_features);
                Shapes.LogisticLossBackward(rows, p[6..], s_labels, dRows, g.AsSpan(6));
                Flatten(dRows, g, 0);
            }

            public static double LogisticHv(double[] p, double[] v, double[] hv)
            {
                var hvRows = Ragged<double>(new double[6], 0, s_features);
                var r = Shapes.LogisticLossHessianVector(Ragged<double>(p, 0, s_features), p[6..], s_labels, Ragged<double>(v, 0, s_features), v.AsSpan(6), hvRows, hv.AsSpan(6));
                Flatten(hvRows, hv, 0);
                return r;
            }

            public static void LogisticH(double[] p, double[] h) => Shapes.LogisticLossHessian(Ragged<double>(p, 0, s_features), p[6..], s_labels, h);

            // RowEnergy: ragged float rows of lengths 1, 3, 2.
            private static readonly int[] s_ragged = { 1, 3, 2 };
            private static readonly float[,] s_weights = { { 0.5f, 1.5f, -0.7f }, { 0.9f, 1.1f, 0.3f }, { -0.4f, 0.8f, 1.2f } };

            public static void RowG(double[] p, double[] g)
            {
                var dRows = Ragged<float>(new double[6], 0, s_ragged);
                Shapes.RowEnergyBackward(Ragged<float>(p, 0, s_ragged), s_weights, dRows);
                Flatten(dRows, g, 0);
            }

            public static double RowHv(double[] p, double[] v, double[] hv)
            {
                var hvRows = Ragged<float>(new double[6], 0, s_ragged);
                var r = Shapes.RowEnergyHessianVector(Ragged<float>(p, 0, s_ragged), s_weights, Ragged<float>(v, 0, s_ragged), hvRows);
                Flatten(hvRows, hv, 0);
                return r;
            }

            public static void RowH(double[] p, double[] h)
            {
                var hf = new float[h.Length];
                Shapes.RowEnergyHessian(Ragged<float>(p, 0, s_ragged), s_weights, hf);
                Copy(hf, h);
            }

            // SpringEnergy: three points (p[0..9]), k = p[9], rest = p[10].
            public static void SpringG(double[] p, double[] g)
            {
                var dp = new Vector3[3];
                float dk = 0, dRest = 0;
                Shapes.SpringEnergyBackward(Points(p, 3), (float)p[9], (float)p[10], dp, ref dk, ref dRest);
                Flatten(dp, g);
                (g[9], g[10]) = (dk, dRest);
            }

            public static double SpringHv(double[] p, double[] v, double[] hv)
            {
                var hvp = new Vector3[3];
                float hvk = 0, hvRest = 0;
                var r = Shapes.SpringEnergyHessianVector(Points(p, 3), (float)p[9], (float)p[10], Points(v, 3), (float)v[9], (float)v[10], hvp, ref hvk, ref hvRest);
                Flatten(hvp, hv);
                (hv[9], hv[10]) = (hvk, hvRest);
                return r;
            }

            public static void SpringH(double[] p, double[] h)
            {
                var hf = new float[h.Length];
                Shapes.SpringEnergyHessian(Points(p, 3), (float)p[9], (float)p[10], hf);
                Copy(hf, h);
            }

            // LoopEnergy: four beads (p[0..8]), stiffness p[8].
            public static void LoopG(double[] p, double[] g)
            {
                var db = new Bead[4];
                Shapes.LoopEnergyBackward(Beads(p[..8]), p[8], db, ref g[8]);
                Flatten(db, g);
            }

            public static double LoopHv(double[] p, double[] v, double[] hv)
            {
                var hvb = new Bead[4];
                var r = Shapes.LoopEnergyHessianVector(Beads(p[..8]), p[8], Beads(v[..8]), v[8], hvb, ref hv[8]);
                Flatten(hvb, hv);
                return r;
            }

            public static void LoopH(double[] p, double[] h) => Shapes.LoopEnergyHessian(Beads(p[..8]), p[8], h);

            public static void GridCallerG(double[] p, double[] g) => Callers.GridCallerBackward(p[0], p[1], ref g[0], ref g[1]);

            public static double GridCallerHv(double[] p, double[] v, double[] hv) => Callers.GridCallerHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);

            public static void GridCallerH(double[] p, double[] h) => Callers.GridCallerHessian(p[0], p[1], h);

            public static void JaggedCallerG(double[] p, double[] g)
            {
                float dx = 0, dy = 0;
                Callers.JaggedCallerBackward((float)p[0], (float)p[1], ref dx, ref dy);
                (g[0], g[1]) = (dx, dy);
            }

            public static double JaggedCallerHv(double[] p, double[] v, double[] hv)
            {
                float hx = 0, hy = 0;
                var r = Callers.JaggedCallerHessianVector((float)p[0], (float)p[1], (float)v[0], (float)v[1], ref hx, ref hy);
                (hv[0], hv[1]) = (hx, hy);
                return r;
            }

            public static void JaggedCallerH(double[] p, double[] h)
            {
                var hf = new float[4];
                Callers.JaggedCallerHessian((float)p[0], (float)p[1], hf);
                Copy(hf, h);
            }
        }
        """;

    private static readonly Dictionary<string, (double[] Point, bool IsFloat)> s_functions = new()
    {
        ["Quad"] = (new[] { 0.8, -0.3, 0.2, 0.1, 1.1, -0.4, 0.5, 0.3, 0.9, 0.6, -0.7, 0.4 }, false),
        ["QuadF"] = (new[] { 0.9, -0.2, 0.3, 1.2, 0.7, -0.5 }, true),
        ["Logistic"] = (new[] { 0.5, -1.2, 0.3, 0.8, -0.6, 1.4, 0.7, -0.4 }, false),
        ["Row"] = (new[] { 0.4, -0.8, 0.3, 1.1, -0.5, 0.9 }, true),
        ["Spring"] = (new[] { 0.0, 0.1, 0.0, 1.2, 0.0, 0.3, 2.1, 0.9, -0.2, 3.0, 1.0 }, true),
        ["Loop"] = (new[] { 0.0, 0.0, 1.1, 0.1, 1.0, 1.2, -0.1, 0.9, 2.5 }, false),
        ["GridCaller"] = (new[] { 0.7, -0.4 }, false),
        ["JaggedCaller"] = (new[] { 0.6, 0.3 }, true),
    };

    public static TheoryData<string> Functions => new(s_functions.Keys);

    private static readonly Lazy<(GeneratorOutput Output, Type Check)> s_compiled = new(() =>
    {
        var output = GeneratorHarness.Run(Source, ShapeInputSource.Source);
        GeneratorHarness.AssertClean(output);
        return (output, GeneratorHarness.Load(output.OutputCompilation).GetType("Samples.Check")!);
    });

    [Theory]
    [MemberData(nameof(Functions))]
    public void Hessian_vector_product_in_the_parameters_shapes_matches_finite_differences(string name)
    {
        var (point, isFloat) = s_functions[name];
        HessianFiniteDifferences.AssertHessianVector(s_compiled.Value.Check, name, point, isFloat, name);
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Dense_hessian_over_the_parameters_elements_matches_finite_differences(string name)
    {
        var (point, isFloat) = s_functions[name];
        HessianFiniteDifferences.AssertDenseHessian(s_compiled.Value.Check, name, point, isFloat, name);
    }

    [Fact]
    public void Quadratic_form_hessian_file_matches_baseline()
    {
        var output = s_compiled.Value.Output;
        var file = output with { Sources = output.Sources.Where(s => s.HintName == "Samples.Shapes.QuadraticForm.Hessian.g.cs").ToImmutableArray() };
        Assert.Single(file.Sources);
        Baselines.Verify("HessianShapesTests.QuadraticForm", file);
    }
}
