namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Local two-dimensional arrays passed to a [Differentiable] helper taking <c>double[,]</c>, as numerical code hands
/// a work grid to an energy or a norm: a five-point Laplacian of a field on a local grid, a per-step tile built in a
/// loop and scored by a float helper, a constant stencil table to a [NoGrad] parameter, a constant grid to a
/// differentiable one. Array parameters are reached through <c>{Name}_Backward</c> and <c>{Name}_Tangent</c>.
/// </summary>
internal static class GridArgumentCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace DataCorpus;

        public static partial class GridArguments
        {
            public static double LaplacianEnergy_Backward(double[] field, double stiffness, double[] dField, ref double dStiffness, double seed) => LaplacianEnergyBackward(field, stiffness, dField, ref dStiffness, seed);

            public static (double, double) LaplacianEnergy_Tangent(double[] field, double stiffness, double[] dField, double dStiffness) => LaplacianEnergyTangent(field, stiffness, dField, dStiffness);

            public static object[] LaplacianEnergy_Args() => new object[] { new[] { 0.1, 0.5, 0.2, 0.9, 1.3, 0.4, 0.3, 0.8, 0.6, 0.7, 0.2, 1.1 }, 0.7 };

            /// <summary>A field on a 3 × 4 grid: its five-point Laplacian (zero outside) on a second local grid, both scored by helpers.</summary>
            [Differentiable]
            public static double LaplacianEnergy(double[] field, double stiffness)
            {
                const int rows = 3;
                const int columns = 4;
                var u = new double[rows, columns];
                for (var i = 0; i < rows; i++)
                {
                    for (var j = 0; j < columns; j++)
                    {
                        u[i, j] = field[i * columns + j];
                    }
                }

                var laplacian = new double[rows, columns];
                for (var i = 0; i < rows; i++)
                {
                    for (var j = 0; j < columns; j++)
                    {
                        var up = i > 0 ? u[i - 1, j] : 0.0;
                        var down = i < rows - 1 ? u[i + 1, j] : 0.0;
                        var left = j > 0 ? u[i, j - 1] : 0.0;
                        var right = j < columns - 1 ? u[i, j + 1] : 0.0;
                        laplacian[i, j] = up + down + left + right - 4 * u[i, j];
                    }
                }

                return stiffness * Energy(laplacian) + Potential(u, stiffness);
            }

            [Differentiable]
            public static double Energy(double[,] g)
            {
                var e = 0.0;
                for (var i = 0; i < g.GetLength(0); i++)
                {
                    for (var j = 0; j < g.GetLength(1); j++)
                    {
                        e += 0.5 * g[i, j] * g[i, j];
                    }
                }

                return e;
            }

            [Differentiable]
            public static double Potential(double[,] g, double scale)
            {
                var p = 0.0;
                for (var i = 0; i < g.GetLength(0); i++)
                {
                    for (var j = 0; j < g.GetLength(1); j++)
                    {
                        p += Math.Cos(scale * g[i, j]);
                    }
                }

                return p;
            }

            public static object[] TileScore_Args() => new object[] { 0.6f, -0.3f };

            /// <summary>A tile built anew in every step of a loop (kept on the tape) and scored by a float helper.</summary>
            [Differentiable]
            public static float TileScore(float a, float b)
            {
                var score = 0f;
                for (var step = 0; step < 3; step++)
                {
                    var tile = new float[2, 3];
                    for (var j = 0; j < 3; j++)
                    {
                        tile[0, j] = a * (j + 1) + b * step;
                        tile[1, j] = MathF.Sin(a * b + j);
                    }

                    score += Frobenius(tile) * (1 + 0.5f * step);
                }

                return score;
            }

            [Differentiable]
            public static float Frobenius(float[,] m)
            {
                var s = 0f;
                for (var i = 0; i < m.GetLength(0); i++)
                {
                    for (var j = 0; j < m.GetLength(1); j++)
                    {
                        s += m[i, j] * m[i, j];
                    }
                }

                return MathF.Sqrt(s);
            }

            public static object[] Smoothed_Args() => new object[] { 0.4, 1.2 };

            /// <summary>A constant stencil table (a literal) to a [NoGrad] parameter, and a constant grid to a differentiable one.</summary>
            [Differentiable]
            public static double Smoothed(double x, double y)
            {
                var weights = new double[,] { { 0.5, 0.25 }, { 0.125, 0.125 } };
                var values = new double[2, 2];
                values[0, 0] = x;
                values[0, 1] = y;
                values[1, 0] = x * y;
                values[1, 1] = x - y;
                return Weighted(weights, values) + Energy(weights) * x;
            }

            [Differentiable]
            public static double Weighted([NoGrad] double[,] w, double[,] v) => w[0, 0] * v[0, 0] + w[0, 1] * v[0, 1] + w[1, 0] * v[1, 0] * v[1, 0] + w[1, 1] * Math.Exp(v[1, 1]);
        }
        """;
}
