namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Local jagged arrays whose rows get different lengths in a counted loop, as tables are built: a lower-triangular
/// table of pairwise terms, rows whose length grows with a parameter-dependent stride, rows re-created in every
/// iteration of an outer loop (each time zeroed), float rows.
/// </summary>
internal static class RaggedLoopCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace DataCorpus;

        public static partial class RaggedLoops
        {
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
