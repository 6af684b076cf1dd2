namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>Two-dimensional and jagged arrays as ML and numerics code uses them: weight matrices, feature rows, grids.</summary>
internal static class ArrayCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace DataCorpus;

        public static partial class Matrices
        {
            public static object[] LinearLoss_Args() => new object[]
            {
                new double[,] { { 0.2, -0.4, 0.1 }, { 0.5, 0.3, -0.2 } },
                new double[] { 1.0, -0.5, 2.0 },
                new double[] { 0.3, -0.1 },
            };

            [Differentiable]
            public static double LinearLoss(double[,] weights, [NoGrad] double[] input, [NoGrad] double[] target)
            {
                var loss = 0.0;
                for (var i = 0; i < weights.GetLength(0); i++)
                {
                    var y = 0.0;
                    for (var j = 0; j < weights.GetLength(1); j++)
                    {
                        y += weights[i, j] * input[j];
                    }

                    var r = Math.Tanh(y) - target[i];
                    loss += r * r;
                }

                return loss;
            }

            public static object[] Quadratic_Args() => new object[] { new double[,] { { 2.0, 0.3 }, { 0.3, 1.0 } }, 0.7, -0.4 };

            [Differentiable]
            public static double Quadratic([NoGrad] double[,] a, double x, double y) =>
                0.5 * (a[0, 0] * x * x + 2 * a[0, 1] * x * y + a[1, 1] * y * y);

            public static object[] Frobenius_Args() => new object[] { new double[,] { { 1.0, 2.0 }, { -0.5, 0.25 }, { 0.1, 0.9 } } };

            [Differentiable]
            public static double Frobenius(double[,] m)
            {
                var sum = 0.0;
                for (var i = 0; i < m.GetLength(0); i++)
                {
                    for (var j = 0; j < m.GetLength(1); j++)
                    {
                        sum += m[i, j] * m[i, j];
                    }
                }

                return Math.Sqrt(sum) + m.Length * 0.0;
            }

            public static object[] Smoothness_Args() => new object[] { new double[,] { { 0.1, 0.4, 0.2 }, { 0.8, 0.5, 0.3 }, { 0.6, 0.9, 0.7 } } };

            [Differentiable]
            public static double Smoothness(double[,] height)
            {
                var energy = 0.0;
                for (var i = 1; i < height.GetLength(0); i++)
                {
                    for (var j = 1; j < height.GetLength(1); j++)
                    {
                        var dx = height[i, j] - height[i - 1, j];
                        var dy = height[i, j] - height[i, j - 1];
                        energy += dx * dx + dy * dy;
                    }
                }

                return energy;
            }

            public static object[] Bilinear_Args() => new object[] { new double[,] { { 0.0, 1.0 }, { 2.0, 0.5 } }, 0.3, 0.6 };

            [Differentiable]
            public static double Bilinear([NoGrad] double[,] grid, double u, double v) =>
                grid[0, 0] * (1 - u) * (1 - v) + grid[1, 0] * u * (1 - v) + grid[0, 1] * (1 - u) * v + grid[1, 1] * u * v;
        }

        public static partial class Rows
        {
            public static object[] LeastSquares_Args() => new object[]
            {
                new double[][] { new[] { 1.0, 0.5 }, new[] { -0.3, 2.0 }, new[] { 0.7, -1.1 } },
                new double[] { 0.4, -0.6, 1.2 },
                0.3, -0.8,
            };

            [Differentiable]
            public static double LeastSquares([NoGrad] double[][] features, [NoGrad] double[] labels, double w0, double w1)
            {
                var loss = 0.0;
                for (var i = 0; i < features.Length; i++)
                {
                    var row = features[i];
                    var prediction = w0 * row[0] + w1 * row[1];
                    loss += (prediction - labels[i]) * (prediction - labels[i]);
                }

                return loss / features.Length;
            }

            public static object[] RowSoftmax_Args() => new object[] { new double[][] { new[] { 0.1, 0.7, -0.3 }, new[] { 1.2, -0.4 } } };

            [Differentiable]
            public static double RowSoftmax(double[][] logits)
            {
                var total = 0.0;
                foreach (var row in logits)
                {
                    var max = row[0];
                    for (var j = 1; j < row.Length; j++)
                    {
                        max = Math.Max(max, row[j]);
                    }

                    var sum = 0.0;
                    for (var j = 0; j < row.Length; j++)
                    {
                        sum += Math.Exp(row[j] - max);
                    }

                    total += max + Math.Log(sum) - row[0];
                }

                return total;
            }

            public static object[] Ragged_Args() => new object[] { new double[][] { new[] { 0.5 }, new[] { 0.2, -0.7, 1.1 }, new[] { 0.9, 0.3 } }, 1.5 };

            [Differentiable]
            public static double Ragged(double[][] values, double scale)
            {
                var s = 0.0;
                for (var i = 0; i < values.Length; i++)
                {
                    for (var j = 0; j < values[i].Length; j++)
                    {
                        s += Math.Sin(scale * values[i][j]) * (i + 1);
                    }
                }

                return s;
            }
        }
        """;
}
