namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// The rewrites the remaining refusals suggest, written as a user would after reading the error, each checked like
/// every corpus function: a local grid passed to a helper becomes a one-dimensional local indexed <c>i * m + j</c>
/// (SG1002 on passing a local grid to a plain helper that writes it; a two-dimensional one is passed to a
/// [Differentiable] callee as it is since session 12, a jagged one since session 13, see <see cref="GridArgumentCorpus"/>
/// and <see cref="JaggedArgumentCorpus"/>); ragged rows created in a loop become rows of one length read up
/// to each row's own length (SG1010 on rows of different lengths).
/// </summary>
internal static class RewriteCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace DataCorpus;

        public static partial class Rewrites
        {
            public static object[] OuterKernel_Args() => new object[] { 0.4, -0.3, 0.8, 3 };

            [Differentiable]
            public static double OuterKernel(double a, double b, double c, int n)
            {
                // Instead of 'var k = new double[n, n]; … Frobenius(k)': one dimension, row i at i * n.
                var k = new double[n * n];
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        k[i * n + j] = Math.Exp(-a * (i - j) * (i - j)) * b + c * (i == j ? 1.0 : 0.0);
                    }
                }

                return Frobenius(k, n, n);
            }

            [Differentiable]
            public static double Frobenius(double[] m, int rows, int columns)
            {
                var sum = 0.0;
                for (var i = 0; i < rows; i++)
                {
                    for (var j = 0; j < columns; j++)
                    {
                        sum += m[i * columns + j] * m[i * columns + j];
                    }
                }

                return Math.Sqrt(sum);
            }

            public static object[] Triangle_Args() => new object[] { 0.6f, 1.2f, 4 };

            [Differentiable]
            public static float Triangle(float x, float y, int n)
            {
                // Instead of 'rows[i] = new float[i + 1]': every row n long, row i read up to i.
                var rows = new float[n][];
                for (var i = 0; i < n; i++)
                {
                    rows[i] = new float[n];
                    for (var j = 0; j <= i; j++)
                    {
                        rows[i][j] = MathF.Sin(x * (j + 1)) + y * i;
                    }
                }

                var total = 0f;
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j <= i; j++)
                    {
                        total += rows[i][j] * rows[i][j];
                    }
                }

                return total;
            }
        }
        """;
}
