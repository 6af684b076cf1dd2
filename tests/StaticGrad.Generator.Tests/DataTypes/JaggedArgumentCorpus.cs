namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Local jagged arrays handed whole to a helper, as feature code builds rows and scores them: rows created in a loop
/// for a [Differentiable] helper taking <c>double[][]</c>, ragged rows (a triangle) for a float helper, a ragged
/// literal; constant work tables (two-dimensional and jagged) read by plain helpers that are not [Differentiable];
/// and collection expressions spreading a plain helper's array result computed from integer arguments.
/// </summary>
internal static class JaggedArgumentCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace DataCorpus;

        public static partial class JaggedArguments
        {
            public static object[] RowEnergy_Args() => new object[] { 0.7, -0.4 };

            /// <summary>Three feature rows of two built in a loop, scored whole by a helper taking rows.</summary>
            [Differentiable]
            public static double RowEnergy(double a, double b)
            {
                var rows = new double[3][];
                for (var i = 0; i < rows.Length; i++)
                {
                    rows[i] = new double[2];
                    rows[i][0] = a * (i + 1) - b;
                    rows[i][1] = Math.Sin(a * b + i);
                }

                return SumOfSquares(rows) + a * Spread(rows, b);
            }

            [Differentiable]
            public static double SumOfSquares(double[][] rows)
            {
                var s = 0.0;
                foreach (var row in rows)
                {
                    foreach (var v in row)
                    {
                        s += v * v;
                    }
                }

                return s;
            }

            [Differentiable]
            public static double Spread(double[][] rows, double shift)
            {
                var s = 0.0;
                for (var i = 0; i < rows.Length; i++)
                {
                    s += Math.Exp(rows[i][0] * shift) - rows[i][rows[i].Length - 1];
                }

                return s;
            }

            public static object[] TriangleScore_Args() => new object[] { 0.6f, -0.3f };

            /// <summary>A lower triangle (row i has i + 1 entries), rebuilt in every step of a loop and scored by a float helper.</summary>
            [Differentiable]
            public static float TriangleScore(float a, float b)
            {
                var score = 0f;
                for (var step = 0; step < 2; step++)
                {
                    var tri = new float[3][];
                    for (var i = 0; i < tri.Length; i++)
                    {
                        tri[i] = new float[i + 1];
                        for (var j = 0; j <= i; j++)
                        {
                            tri[i][j] = a * (j + 1) + b * (i - step);
                        }
                    }

                    score += Weighted(tri, a + step);
                }

                return score;
            }

            [Differentiable]
            public static float Weighted(float[][] rows, float w)
            {
                var s = 0f;
                for (var i = 0; i < rows.Length; i++)
                {
                    for (var j = 0; j < rows[i].Length; j++)
                    {
                        s += w * rows[i][j] * rows[i][j] / (j + 1);
                    }
                }

                return s;
            }

            public static object[] LiteralRows_Args() => new object[] { 0.4, 1.2 };

            /// <summary>A ragged literal of rows handed to the same helpers.</summary>
            [Differentiable]
            public static double LiteralRows(double x, double y)
            {
                double[][] k = [[x, y], [x * y], [1.0, x - y, y]];
                return SumOfSquares(k) * Spread(k, 0.5);
            }

            public static object[] TableScaled_Args() => new object[] { 0.3, 0.8, 3 };

            /// <summary>Constant work tables (a grid and rows of integers) read by plain helpers: their results are constants.</summary>
            [Differentiable]
            public static double TableScaled(double x, double y, int n)
            {
                var table = new double[n, 2];
                var steps = new double[n][];
                for (var i = 0; i < n; i++)
                {
                    table[i, 0] = i + 1;
                    table[i, 1] = (i + 1) * (i + 1);
                    steps[i] = new double[2];
                    steps[i][0] = 0.5 * i;
                    steps[i][1] = 2 - i;
                }

                return x * x * Tables.Largest(table) + y * Tables.RowTotal(steps, n - 1) + Math.Sin(x * y) * table[n - 1, 1];
            }

            public static object[] SpreadTaps_Args() => new object[] { 0.3, -0.6, 2 };

            /// <summary>Filter taps from a plain helper called with integers, spread around the variables, also in a loop.</summary>
            [Differentiable]
            public static double SpreadTaps(double x, double y, int n)
            {
                double[] v = [.. Tables.Taps(n), x, .. Tables.Taps(n + 1), y * x];
                var s = 0.0;
                for (var k = 0; k < v.Length; k++)
                {
                    s += v[k] * v[k] * (k + 1);
                }

                for (var step = 0; step < 2; step++)
                {
                    double[] w = [x * step, .. Tables.Taps(step + 1), y];
                    s += w[0] * w[w.Length - 1] + w[1] * y;
                }

                return s;
            }
        }

        public static class Tables
        {
            public static double Largest(double[,] t)
            {
                var m = double.MinValue;
                for (var i = 0; i < t.GetLength(0); i++)
                {
                    for (var j = 0; j < t.GetLength(1); j++)
                    {
                        m = Math.Max(m, t[i, j]);
                    }
                }

                return m;
            }

            public static double RowTotal(double[][] t, int r)
            {
                var s = 0.0;
                for (var j = 0; j < t[r].Length; j++)
                {
                    s += t[r][j];
                }

                return s;
            }

            public static double[] Taps(int n)
            {
                var taps = new double[n];
                for (var i = 0; i < n; i++)
                {
                    taps[i] = 1.0 / (i + 2);
                }

                return taps;
            }
        }
        """;
}
