namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Local grids written out as literals, as small fixed models are: a 2-by-2 rotation-and-scale matrix applied to a
/// point, a 3-by-3 stencil of weights around a parameter, Butcher-style tableaux of rows of different lengths
/// (ragged), a float quadratic form and a jagged collection expression; spreads passed straight to helpers
/// (reached through <c>{Name}_Backward</c> and <c>{Name}_Tangent</c>: reflection cannot pass a span).
/// </summary>
internal static class LiteralGridCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace DataCorpus;

        public static partial class LiteralGrids
        {
            public static object[] Rotate_Args() => new object[] { 0.7, 1.3, -0.4 };

            [Differentiable]
            public static double Rotate(double angle, double x, double y)
            {
                var m = new double[,] { { Math.Cos(angle), -Math.Sin(angle) }, { Math.Sin(angle), Math.Cos(angle) } };
                var p = new[] { x, y };
                var q = new double[2];
                for (var i = 0; i < m.GetLength(0); i++)
                {
                    for (var j = 0; j < m.GetLength(1); j++)
                    {
                        q[i] += m[i, j] * p[j];
                    }
                }

                return q[0] * q[0] * 0.5 + q[1] * x;
            }

            public static object[] Stencil_Args() => new object[] { 0.35, 1.8 };

            [Differentiable]
            public static double Stencil(double t, double scale)
            {
                double[,] weights = { { 1, 2, 1 }, { 2, 4 * t, 2 }, { 1, 2, t * t } };
                var total = 0.0;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < 3; j++)
                    {
                        weights[i, j] *= scale;
                        total += Math.Sin(weights[i, j] * (i - j + 0.5));
                    }
                }

                return total / weights.Length;
            }

            public static object[] Tableau_Args() => new object[] { 0.8, 0.1 };

            [Differentiable]
            public static double Tableau(double y0, double h)
            {
                // A Runge-Kutta step for y' = -y·y whose stage coefficients are a ragged lower-triangular table.
                var a = new double[][] { new double[] { }, new[] { 0.5 }, new[] { 0.0, 0.5 }, new[] { 0.0, 0.0, 1.0 } };
                var b = new[] { 1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6 };
                var k = new double[a.Length];
                for (var s = 0; s < a.Length; s++)
                {
                    var y = y0;
                    for (var j = 0; j < a[s].Length; j++)
                    {
                        y += h * a[s][j] * k[j];
                    }

                    k[s] = -y * y;
                }

                var next = y0;
                for (var s = 0; s < k.Length; s++)
                {
                    next += h * b[s] * k[s];
                }

                return next;
            }

            public static object[] Ragged_Args() => new object[] { 1.1, -0.6 };

            [Differentiable]
            public static double Ragged(double u, double v)
            {
                double[][] rows = [[u, v, u * v], [v * v], [u - v, 2 * u]];
                var total = 0.0;
                foreach (var row in rows)
                {
                    var sum = 0.0;
                    for (var j = 0; j < row.Length; j++)
                    {
                        sum += row[j] * (j + 1);
                    }

                    total += Math.Tanh(sum);
                }

                rows[1][0] = total * u;
                return total + rows[1][0] * rows[2][1];
            }

            public static object[] Quadratic_Args() => new object[] { 0.6f, -1.2f };

            [Differentiable]
            public static float Quadratic(float x, float y)
            {
                var q = new float[,] { { 2f, x }, { x, 3f + y } };
                var p = new[] { x, y };
                var value = 0f;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < 2; j++)
                    {
                        value += p[i] * q[i, j] * p[j];
                    }
                }

                return value;
            }

            public static object[] Weights_Args() => new object[] { 0.4f, 0.9f };

            [Differentiable]
            public static float Weights(float a, float b)
            {
                var w = new[] { new[] { a, b }, new[] { a * b }, new[] { b, a, 1f } };
                var total = 0f;
                for (var i = 0; i < w.Length; i++)
                {
                    for (var j = 0; j < w[i].Length; j++)
                    {
                        total += MathF.Exp(-w[i][j] * (i + 1)) * w[i][j];
                    }
                }

                return total;
            }

            public static double Framed_Backward(double[] signal, double edge, double[] dSignal, ref double dEdge, double seed) => FramedBackward(signal, edge, dSignal, ref dEdge, seed);

            public static (double, double) Framed_Tangent(double[] signal, double edge, double[] dSignal, double dEdge) => FramedTangent(signal, edge, dSignal, dEdge);

            public static object[] Framed_Args() => new object[] { new[] { 0.3, -0.5, 0.8 }, 0.2 };

            [Differentiable]
            public static double Framed(double[] signal, double edge)
            {
                // Spreads passed straight to a helper: the signal framed by edge values, and a copy of it.
                var total = Energy([edge, .. signal, edge * edge]);
                return total + Math.Sqrt(Energy([.. signal]) + 1);
            }

            [Differentiable]
            public static double Energy(double[] values)
            {
                var sum = 0.0;
                for (var i = 0; i < values.Length; i++)
                {
                    sum += values[i] * values[i] * (i + 1);
                }

                return sum;
            }

            public static float Joined_Backward(float[] a, float[] b, float w, float[] da, float[] db, ref float dw, float seed) => JoinedBackward(a, b, w, da, db, ref dw, seed);

            public static (float, float) Joined_Tangent(float[] a, float[] b, float w, float[] da, float[] db, float dw) => JoinedTangent(a, b, w, da, db, dw);

            public static object[] Joined_Args() => new object[] { new[] { 0.4f, -0.2f }, new[] { 0.9f, 0.1f, 0.5f }, 0.7f };

            [Differentiable]
            public static float Joined(float[] a, float[] b, float w)
            {
                var score = 0f;
                for (var k = 0; k < 2; k++)
                {
                    // A spread built again in every iteration and passed as a span.
                    score += SoftMax([.. a, w * k, .. b]);
                }

                return score;
            }

            [Differentiable]
            public static float SoftMax(ReadOnlySpan<float> values)
            {
                var sum = 0f;
                foreach (var v in values)
                {
                    sum += MathF.Exp(v);
                }

                return MathF.Log(sum);
            }
        }
        """;
}
