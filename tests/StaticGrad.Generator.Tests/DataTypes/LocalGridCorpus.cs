namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Local two-dimensional and jagged arrays as numerical code keeps its work grids: an explicit heat stencil on a
/// local grid, a per-sample feature table with rows allocated in a loop, a dynamic-programming table, a local
/// covariance matrix filled and read through <c>GetLength</c>. Reached through <c>{Name}_Backward</c> and
/// <c>{Name}_Tangent</c> (reflection cannot pass a span).
/// </summary>
internal static class LocalGridCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace DataCorpus;

        public static partial class Grids
        {
            public static double HeatStencil_Backward(double[] initial, double diffusivity, int steps, double[] dInitial, ref double dDiffusivity, double seed) => HeatStencilBackward(initial, diffusivity, steps, dInitial, ref dDiffusivity, seed);

            public static (double, double) HeatStencil_Tangent(double[] initial, double diffusivity, int steps, double[] dInitial, double dDiffusivity) => HeatStencilTangent(initial, diffusivity, steps, dInitial, dDiffusivity);

            public static object[] HeatStencil_Args() => new object[] { new[] { 0.0, 0.4, 1.0, 0.7, 0.1 }, 0.2, 3 };

            [Differentiable]
            public static double HeatStencil(double[] initial, double diffusivity, int steps)
            {
                var n = initial.Length;
                var grid = new double[steps + 1, n];
                for (var j = 0; j < n; j++)
                {
                    grid[0, j] = initial[j];
                }

                for (var t = 0; t < steps; t++)
                {
                    grid[t + 1, 0] = grid[t, 0];
                    grid[t + 1, n - 1] = grid[t, n - 1];
                    for (var j = 1; j < n - 1; j++)
                    {
                        grid[t + 1, j] = grid[t, j] + diffusivity * (grid[t, j - 1] - 2 * grid[t, j] + grid[t, j + 1]);
                    }
                }

                var energy = 0.0;
                for (var j = 0; j < grid.GetLength(1); j++)
                {
                    energy += grid[grid.GetLength(0) - 1, j] * grid[grid.GetLength(0) - 1, j];
                }

                return energy;
            }

            public static double FeatureTable_Backward(double[] samples, double scale, double shift, double[] dSamples, ref double dScale, ref double dShift, double seed) => FeatureTableBackward(samples, scale, shift, dSamples, ref dScale, ref dShift, seed);

            public static (double, double) FeatureTable_Tangent(double[] samples, double scale, double shift, double[] dSamples, double dScale, double dShift) => FeatureTableTangent(samples, scale, shift, dSamples, dScale, dShift);

            public static object[] FeatureTable_Args() => new object[] { new[] { 0.5, -1.2, 2.0 }, 0.3, 0.8 };

            [Differentiable]
            public static double FeatureTable(double[] samples, double scale, double shift)
            {
                var rows = new double[samples.Length][];
                for (var i = 0; i < samples.Length; i++)
                {
                    rows[i] = new double[3];
                    rows[i][0] = scale * samples[i] + shift;
                    rows[i][1] = Math.Tanh(rows[i][0]);
                    rows[i][2] = rows[i][1] * samples[i];
                }

                var loss = 0.0;
                foreach (var row in rows)
                {
                    for (var k = 0; k < row.Length; k++)
                    {
                        loss += row[k] * row[k];
                    }
                }

                return loss / rows.Length;
            }

            public static double SoftAlignment_Backward(double[] a, double[] b, double gamma, double[] da, double[] db, ref double dGamma, double seed) => SoftAlignmentBackward(a, b, gamma, da, db, ref dGamma, seed);

            public static (double, double) SoftAlignment_Tangent(double[] a, double[] b, double gamma, double[] da, double[] db, double dGamma) => SoftAlignmentTangent(a, b, gamma, da, db, dGamma);

            public static object[] SoftAlignment_Args() => new object[] { new[] { 0.1, 0.9, 0.4 }, new[] { 0.2, 0.7, 0.5, 0.3 }, 0.5 };

            [Differentiable]
            public static double SoftAlignment(double[] a, double[] b, double gamma)
            {
                // Soft dynamic time warping: a table of soft minima over the three predecessors.
                var table = new double[a.Length + 1, b.Length + 1];
                for (var i = 0; i <= a.Length; i++)
                {
                    for (var j = 0; j <= b.Length; j++)
                    {
                        table[i, j] = i == 0 && j == 0 ? 0.0 : 1e3;
                    }
                }

                for (var i = 1; i <= a.Length; i++)
                {
                    for (var j = 1; j <= b.Length; j++)
                    {
                        var cost = (a[i - 1] - b[j - 1]) * (a[i - 1] - b[j - 1]);
                        var soft = -gamma * Math.Log(Math.Exp(-table[i - 1, j] / gamma) + Math.Exp(-table[i, j - 1] / gamma) + Math.Exp(-table[i - 1, j - 1] / gamma));
                        table[i, j] = cost + soft;
                    }
                }

                return table[a.Length, b.Length];
            }

            public static double Covariance_Backward(double[] x, double[] y, double[] dx, double[] dy, double seed) => CovarianceBackward(x, y, dx, dy, seed);

            public static (double, double) Covariance_Tangent(double[] x, double[] y, double[] dx, double[] dy) => CovarianceTangent(x, y, dx, dy);

            public static object[] Covariance_Args() => new object[] { new[] { 1.0, 2.0, 0.5, 1.5 }, new[] { 0.3, 0.1, 0.9, 0.4 } };

            [Differentiable]
            public static double Covariance(double[] x, double[] y)
            {
                var n = x.Length;
                var c = new double[2, 2];
                var mx = 0.0;
                var my = 0.0;
                for (var k = 0; k < n; k++)
                {
                    mx += x[k] / n;
                    my += y[k] / n;
                }

                for (var k = 0; k < n; k++)
                {
                    c[0, 0] += (x[k] - mx) * (x[k] - mx);
                    c[0, 1] += (x[k] - mx) * (y[k] - my);
                    c[1, 1] += (y[k] - my) * (y[k] - my);
                }

                c[1, 0] = c[0, 1];
                var trace = 0.0;
                for (var i = 0; i < c.GetLength(0); i++)
                {
                    trace += c[i, i];
                }

                return (c[0, 0] * c[1, 1] - c[0, 1] * c[1, 0]) / (trace * c.Length);
            }

            public static double Blur_Backward(double[] image, double weight, double[] dImage, ref double dWeight, double seed) => BlurBackward(image, weight, dImage, ref dWeight, seed);

            public static (double, double) Blur_Tangent(double[] image, double weight, double[] dImage, double dWeight) => BlurTangent(image, weight, dImage, dWeight);

            public static double Padded_Backward(double[] signal, double[] kernel, double edge, double[] dSignal, double[] dKernel, ref double dEdge, double seed) => PaddedBackward(signal, kernel, edge, dSignal, dKernel, ref dEdge, seed);

            public static (double, double) Padded_Tangent(double[] signal, double[] kernel, double edge, double[] dSignal, double[] dKernel, double dEdge) => PaddedTangent(signal, kernel, edge, dSignal, dKernel, dEdge);

            public static object[] Padded_Args() => new object[] { new[] { 0.3, -0.5, 0.8, 0.1 }, new[] { 0.25, 0.5, 0.25 }, 0.2 };

            [Differentiable]
            public static double Padded(double[] signal, double[] kernel, double edge)
            {
                // A convolution over the signal padded with the edge value on both sides.
                double[] padded = [edge, .. signal, edge * edge];
                var total = 0.0;
                for (var i = 0; i + kernel.Length <= padded.Length; i++)
                {
                    var sum = 0.0;
                    for (var k = 0; k < kernel.Length; k++)
                    {
                        sum += kernel[k] * padded[i + k];
                    }

                    total += sum * sum;
                }

                return total;
            }

            public static object[] Blur_Args() => new object[] { new[] { 0.2, 0.8, 0.5, 0.1, 0.9, 0.4 }, 0.25 };

            [Differentiable]
            public static double Blur(double[] image, double weight)
            {
                var total = 0.0;
                for (var pass = 0; pass < 2; pass++)
                {
                    // A scratch tile per pass, GMM-style: created again in every iteration.
                    var tile = new double[2, 3];
                    for (var i = 0; i < 2; i++)
                    {
                        for (var j = 0; j < 3; j++)
                        {
                            tile[i, j] = image[i * 3 + j] * (1 + weight * pass);
                        }
                    }

                    for (var j = 0; j < 3; j++)
                    {
                        total += Math.Sin(tile[0, j] * tile[1, j]) + weight * tile[1, j];
                    }
                }

                return total;
            }
        }
        """;
}
