namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Rows of jagged arrays as users walk and build them: <c>foreach (var v in row)</c> over a parameter's row, a row of
/// a local (uniform, ragged-literal and ragged-loop layouts) and <c>rows[i]</c> itself; spreads of rows and of a static
/// readonly table; ragged rows sized from a layer-width table, from a local of the loop body, from a choice, and
/// from another jagged array's row lengths (the rewrite of <c>rows[i] = other[i]</c>).
/// </summary>
internal static class RowShapeCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace DataCorpus;

        public static partial class RowShapes
        {
            private static readonly double[] Weights = { 0.5, -1.5, 2.0 };

            public static object[] ParamRows_Args() => new object[] { new double[][] { new[] { 0.4, -0.2 }, new[] { 0.9, 0.1, -0.6 } }, 0.8 };

            [Differentiable]
            public static double ParamRows(double[][] rows, double x)
            {
                var s = 0.0;
                foreach (var v in rows[1])
                {
                    s += Math.Sin(v * x);
                }

                foreach (var row in rows)
                {
                    foreach (var v in row)
                    {
                        s += v * v * x;
                    }
                }

                return s;
            }

            public static object[] LocalRows_Args() => new object[] { 0.7f, -0.3f, 3 };

            [Differentiable]
            public static float LocalRows(float a, float b, int n)
            {
                var grid = new float[n][];
                for (var i = 0; i < n; i++)
                {
                    grid[i] = new float[2];
                    grid[i][0] = a * i + b;
                    grid[i][1] = MathF.Cos(a - b * i);
                }

                float[][] tab = [[a, b * a], [b]];
                var s = 0f;
                foreach (var row in grid)
                {
                    foreach (var v in row)
                    {
                        s += v * v;
                    }
                }

                for (var i = 0; i < n; i++)
                {
                    foreach (var v in grid[i])
                    {
                        s += v * (i + 1);
                    }
                }

                foreach (var v in tab[0])
                {
                    s += MathF.Exp(v * 0.5f);
                }

                return s;
            }

            public static object[] RowSpreads_Args() => new object[] { new double[][] { new[] { 0.3, -0.8 }, new[] { 1.1, 0.2, -0.4 } }, 0.6 };

            [Differentiable]
            public static double RowSpreads(double[][] rows, double x)
            {
                var row = rows[1];
                double[] padded = [x, .. rows[0], .. row, .. Weights];
                var s = 0.0;
                for (var i = 0; i < padded.Length; i++)
                {
                    s += Math.Sin(padded[i] * (i + 1)) * x;
                }

                return s + Energy([.. rows[1], x * x]);
            }

            [Differentiable]
            public static double Energy(double[] v)
            {
                var e = 0.0;
                for (var i = 0; i < v.Length; i++)
                {
                    e += v[i] * v[i] * (i + 1);
                }

                return e;
            }

            public static object[] LocalRowSpreads_Args() => new object[] { 0.9f, -0.5f, 4 };

            [Differentiable]
            public static float LocalRowSpreads(float x, float y, int n)
            {
                var t = new float[n][];
                for (var i = 0; i < t.Length; i++)
                {
                    t[i] = new float[i + 1];
                    for (var j = 0; j <= i; j++)
                    {
                        t[i][j] = MathF.Sin(x * (j + 1)) + y * i;
                    }
                }

                float[] joined = [.. t[2], y, .. t[1]];
                var s = 0f;
                for (var k = 0; k < joined.Length; k++)
                {
                    s += joined[k] * joined[k] * (k + 1);
                }

                return s;
            }

            public static object[] Layers_Args() => new object[] { new[] { 0.5, -0.3 }, new[] { 2, 3, 1 }, 0.7 };

            [Differentiable]
            public static double Layers(double[] input, int[] sizes, double weight)
            {
                var layers = new double[sizes.Length][];
                for (var l = 0; l < layers.Length; l++)
                {
                    layers[l] = new double[sizes[l]];
                }

                for (var j = 0; j < input.Length; j++)
                {
                    layers[0][j] = input[j];
                }

                for (var l = 1; l < layers.Length; l++)
                {
                    for (var j = 0; j < layers[l].Length; j++)
                    {
                        var z = 0.1 * j;
                        for (var k = 0; k < layers[l - 1].Length; k++)
                        {
                            z += Math.Cos(weight * (j + 1) + k) * layers[l - 1][k];
                        }

                        layers[l][j] = Math.Tanh(z);
                    }
                }

                return layers[layers.Length - 1][0];
            }

            public static double Layers_Backward(double[] input, int[] sizes, double weight, double[] dInput, ref double dWeight, double seed) => LayersBackward(input, sizes, weight, dInput, ref dWeight, seed);

            public static (double, double) Layers_Tangent(double[] input, int[] sizes, double weight, double[] dInput, double dWeight) => LayersTangent(input, sizes, weight, dInput, dWeight);

            public static object[] Banded_Args() => new object[] { 0.4f, 1.3f, 4 };

            [Differentiable]
            public static float Banded(float a, float b, int n)
            {
                var band = new float[n][];
                var pick = new float[n][];
                for (var i = 0; i < n; i++)
                {
                    var half = i / 2;
                    var width = 2 * half + 1;
                    band[i] = new float[width];
                    pick[i] = new float[i % 2 == 0 ? 2 : 3];
                    for (var j = 0; j < width; j++)
                    {
                        band[i][j] = MathF.Sin(a * (j + 1) - b * i);
                    }

                    for (var j = 0; j < pick[i].Length; j++)
                    {
                        pick[i][j] = a * b * (j - i);
                    }
                }

                var s = 0f;
                for (var i = 0; i < n; i++)
                {
                    foreach (var v in band[i])
                    {
                        s += v * v;
                    }

                    foreach (var v in pick[i])
                    {
                        s += MathF.Tanh(v);
                    }
                }

                return s;
            }

            public static object[] GridSums_Args() => new object[] { new double[,] { { 0.3, -0.6, 1.1 }, { 0.8, 0.2, -0.9 } }, 0.7 };

            [Differentiable]
            public static double GridSums(double[,] weights, double x)
            {
                var s = 0.0;
                var k = 0;
                foreach (var w in weights)
                {
                    s += Math.Sin(w * x) * (k + 1);
                    k++;
                }

                var local = new double[2, 2];
                local[0, 1] = x * x;
                local[1, 0] = weights[1, 2];
                foreach (var v in local)
                {
                    s += v * v;
                }

                return s;
            }

            public static object[] GridSumsFloat_Args() => new object[] { new float[,] { { 0.5f, -0.2f }, { 0.9f, 0.4f }, { -0.7f, 0.1f } }, 1.3f };

            [Differentiable]
            public static float GridSumsFloat(float[,] weights, float x)
            {
                var s = 0f;
                foreach (var w in weights)
                {
                    s += w * w * x + MathF.Exp(0.5f * w);
                }

                return s;
            }

            public static object[] Alternating_Args() => new object[] { 0.8, -0.35, 5 };

            [Differentiable]
            public static double Alternating(double a, double b, int n)
            {
                var rows = new double[n][];
                for (var i = 0; i < n; i++)
                {
                    if (i % 2 == 0)
                    {
                        rows[i] = new double[2];
                        rows[i][1] = a * i;
                    }
                    else
                    {
                        rows[i] = new double[i + 1];
                    }

                    for (var j = 0; j < rows[i].Length; j++)
                    {
                        rows[i][j] += Math.Sin(a * j - b * i);
                    }
                }

                var s = 0.0;
                foreach (var row in rows)
                {
                    for (var j = 0; j < row.Length; j++)
                    {
                        s += row[j] * row[j] * (j + 1);
                    }
                }

                return s;
            }

            public static object[] AlternatingFloat_Args() => new object[] { 0.5f, 1.1f, 4 };

            [Differentiable]
            public static float AlternatingFloat(float a, float b, int n)
            {
                var rows = new float[n][];
                for (var i = 0; i < rows.Length; i++)
                {
                    if (i < 2)
                        rows[i] = new float[3];
                    else
                        rows[i] = new float[1];
                    rows[i][0] = a * b + i;
                }

                var s = 0f;
                foreach (var row in rows)
                {
                    foreach (var v in row)
                    {
                        s += MathF.Cos(v * a);
                    }
                }

                return s;
            }

            public static object[] CopiedRows_Args() => new object[] { new double[][] { new[] { 0.2 }, new[] { -0.7, 0.4, 1.0 } }, 1.2 };

            [Differentiable]
            public static double CopiedRows(double[][] other, double x)
            {
                // Instead of 'rows[i] = other[i]': a row of the same length, its elements copied.
                var rows = new double[other.Length][];
                for (var i = 0; i < rows.Length; i++)
                {
                    rows[i] = new double[other[i].Length];
                    for (var j = 0; j < rows[i].Length; j++)
                    {
                        rows[i][j] = other[i][j] * x;
                    }
                }

                var s = 0.0;
                foreach (var row in rows)
                {
                    foreach (var v in row)
                    {
                        s += Math.Exp(v) * x;
                    }
                }

                return s;
            }
        }
        """;
}
