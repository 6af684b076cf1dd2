namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Local jagged arrays whose rows get different lengths in a counted loop, as tables are built: a lower-triangular
/// table of pairwise terms, rows whose length grows with a parameter-dependent stride, rows re-created in every
/// iteration of an outer loop (each time zeroed), float rows; rows created in a <c>while</c> and a <c>do</c> loop
/// counting like a <c>for</c>.
/// </summary>
internal static class RaggedLoopCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace DataCorpus;

        public static partial class RaggedLoops
        {
            public static double BandedSmoother_Backward(double[] y, double lambda, double[] dy, ref double dLambda, double seed) => BandedSmootherBackward(y, lambda, dy, ref dLambda, seed);

            public static (double, double) BandedSmoother_Tangent(double[] y, double lambda, double[] dy, double dLambda) => BandedSmootherTangent(y, lambda, dy, dLambda);

            public static object[] BandedSmoother_Args() => new object[] { new[] { 0.4, -0.2, 0.7, 1.1, 0.5 }, 0.3 };

            /// <summary>A banded table whose rows (one per point, as wide as the band left of it) are created in a while loop.</summary>
            [Differentiable]
            public static double BandedSmoother(double[] y, double lambda)
            {
                var n = y.Length;
                var band = new double[n][];
                var i = 0;
                while (i < n)
                {
                    band[i] = new double[i < 2 ? i + 1 : 3];
                    for (var k = 0; k < band[i].Length; k++)
                    {
                        var d = y[i] - y[i - k];
                        band[i][k] = Math.Exp(-lambda * (k + 1)) * d * d;
                    }

                    i++;
                }

                var penalty = 0.0;
                foreach (var row in band)
                {
                    foreach (var v in row)
                    {
                        penalty += v;
                    }
                }

                return penalty + lambda * y[n - 1];
            }

            public static object[] Staircase_Args() => new object[] { 0.8f, 1.3f };

            /// <summary>Float rows growing by one element per step, created in a do-while loop over 'rows.Length'.</summary>
            [Differentiable]
            public static float Staircase(float a, float b)
            {
                var rows = new float[4][];
                var step = 0;
                do
                {
                    rows[step] = new float[step + 1];
                    for (var j = 0; j <= step; j++)
                    {
                        rows[step][j] = MathF.Sin(a * (j + 1)) + b * step;
                    }

                    step++;
                }
                while (step < rows.Length);

                var total = 0f;
                for (var r = 0; r < rows.Length; r++)
                {
                    total += rows[r][r] * rows[r][0];
                }

                return total;
            }

            public static object[] PairTable_Args() => new object[] { new[] { 0.3, -0.5, 0.9, 0.2 } };

            [Differentiable]
            public static double PairTable(double[] x)
            {
                var n = x.Length;
                var table = new double[n][];
                for (var i = 0; i < n; i++)
                {
                    table[i] = new double[i + 1];
                    for (var j = 0; j <= i; j++)
                    {
                        table[i][j] = Math.Exp(-(x[i] - x[j]) * (x[i] - x[j]));
                    }
                }

                var total = 0.0;
                for (var i = 0; i < table.Length; i++)
                {
                    for (var j = 0; j < table[i].Length; j++)
                    {
                        total += table[i][j] * x[j];
                    }
                }

                return total;
            }

            public static double PairTable_Backward(double[] x, double[] dx, double seed) => PairTableBackward(x, dx, seed);

            public static (double, double) PairTable_Tangent(double[] x, double[] dx) => PairTableTangent(x, dx);

            public static object[] Strided_Args() => new object[] { 0.7f, -0.4f, 3, 2 };

            [Differentiable]
            public static float Strided(float a, float b, int rows, int stride)
            {
                for (var pass = 0; pass < 2; pass++)
                {
                    a = a * 0.9f + b;
                }

                var blocks = new float[rows][];
                var sum = 0f;
                for (var repeat = 0; repeat < 2; repeat++)
                {
                    for (var i = 0; i < rows; i++)
                    {
                        blocks[i] = new float[stride * i + 1];
                        for (var j = 0; j < blocks[i].Length; j++)
                        {
                            blocks[i][j] += MathF.Sin(a * j + b * i + repeat);
                        }
                    }

                    for (var i = 0; i < rows; i++)
                    {
                        for (var j = 0; j < blocks[i].Length; j++)
                        {
                            sum += blocks[i][j] * blocks[i][j];
                        }
                    }
                }

                return sum;
            }
        }
        """;
}
