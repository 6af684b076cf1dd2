namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Local arrays as users write them: a per-point buffer allocated inside the loop (GMM-style), a buffer created again
/// later, <c>new[] { … }</c> and collection expressions passed straight to a callee, and <c>params</c> arrays. Methods
/// with array parameters are reached through <c>{Name}_Backward</c> and <c>{Name}_Tangent</c> (reflection cannot pass a span).
/// </summary>
internal static class BufferCorpus
{
    public const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace DataCorpus;

        public static partial class Buffers
        {
            public static object[] MixtureLogLikelihood_Args() => new object[] { new[] { 0.1, -0.2, 1.1, 0.9, -0.8, 0.4 }, new[] { 0.2, -0.1, 0.3 }, new[] { 0.0, 0.1, 1.0, 1.2, -0.5, 0.3, 0.7, -0.4 }, 2 };

            [Differentiable]
            public static double MixtureLogLikelihood(double[] means, double[] logWeights, [NoGrad] double[] points, [NoGrad] int dims)
            {
                var k = logWeights.Length;
                var total = 0.0;
                for (var p = 0; p < points.Length / dims; p++)
                {
                    var scores = new double[k];
                    for (var c = 0; c < k; c++)
                    {
                        var distance = 0.0;
                        for (var d = 0; d < dims; d++)
                        {
                            var diff = points[p * dims + d] - means[c * dims + d];
                            distance += diff * diff;
                        }

                        scores[c] = logWeights[c] - 0.5 * distance;
                    }

                    var max = scores[0];
                    for (var c = 1; c < k; c++)
                    {
                        max = Math.Max(max, scores[c]);
                    }

                    var sum = 0.0;
                    for (var c = 0; c < k; c++)
                    {
                        sum += Math.Exp(scores[c] - max);
                    }

                    total += max + Math.Log(sum);
                }

                return total;
            }

            public static double MixtureLogLikelihood_Backward(double[] means, double[] logWeights, double[] points, int dims, double[] dMeans, double[] dLogWeights, double seed) =>
                MixtureLogLikelihoodBackward(means, logWeights, points, dims, dMeans, dLogWeights, seed);

            public static (double, double) MixtureLogLikelihood_Tangent(double[] means, double[] logWeights, double[] points, int dims, double[] dMeans, double[] dLogWeights) =>
                MixtureLogLikelihoodTangent(means, logWeights, points, dims, dMeans, dLogWeights);

            public static object[] RollingWindow_Args() => new object[] { 0.7, 1.3, 4 };

            [Differentiable]
            public static double RollingWindow(double a, double b, int steps)
            {
                var total = 0.0;
                for (var step = 0; step < steps; step++)
                {
                    var window = new double[step + 2];
                    for (var i = 0; i < window.Length; i++)
                    {
                        window[i] = Math.Sin(a * i + b * step);
                    }

                    var energy = 0.0;
                    foreach (var w in window)
                    {
                        energy += w * w;
                    }

                    total += energy / window.Length;
                }

                return total;
            }

            public static object[] TwoPasses_Args() => new object[] { 0.4, 1.7 };

            [Differentiable]
            public static double TwoPasses(double x, double y)
            {
                var buffer = new double[3];
                buffer[0] = x * y;
                buffer[1] = x + y;
                buffer[2] = Math.Exp(-x);
                var first = buffer[0] * buffer[1] + buffer[2];
                buffer = new double[2];
                buffer[0] = first * x;
                buffer[1] = y * y;
                return buffer[0] - buffer[1] * first;
            }

            public static object[] SoftmaxOfThree_Args() => new object[] { 0.3, -1.2, 0.8 };

            [Differentiable]
            public static double SoftmaxOfThree(double x, double y, double z) => LogSumExp(new[] { x, 2.0 * y, x * z }) - LogSumExp([y, z]);

            [Differentiable]
            public static double LogSumExp(double[] values)
            {
                var max = values[0];
                for (var i = 1; i < values.Length; i++)
                {
                    max = Math.Max(max, values[i]);
                }

                var sum = 0.0;
                foreach (var v in values)
                {
                    sum += Math.Exp(v - max);
                }

                return max + Math.Log(sum);
            }

            public static object[] PolynomialFit_Args() => new object[] { 0.5, -0.3, 0.8 };

            [Differentiable]
            public static double PolynomialFit(double c0, double c1, double c2)
            {
                double[] xs = [0.0, 0.5, 1.0, 1.5];
                double[] ys = [1.0, 1.4, 2.1, 3.3];
                var loss = 0.0;
                for (var i = 0; i < xs.Length; i++)
                {
                    var coefficients = new[] { c0, c1, c2 };
                    var prediction = 0.0;
                    for (var k = coefficients.Length - 1; k >= 0; k--)
                    {
                        prediction = prediction * xs[i] + coefficients[k];
                    }

                    loss += (prediction - ys[i]) * (prediction - ys[i]);
                }

                return loss;
            }

            public static object[] WeightedSum_Args() => new object[] { 0.9, 1.1, -0.4 };

            [Differentiable]
            public static double WeightedSum(double x, double y, double z) => SumOfSquares(x, y * z, 2.0) + SumOfSquares(z);

            [Differentiable]
            public static double SumOfSquares(params double[] values)
            {
                var sum = 0.0;
                for (var i = 0; i < values.Length; i++)
                {
                    sum += values[i] * values[i];
                }

                return sum;
            }

            public static object[] TriangleFan_Args() => new object[] { new Vector2(0.2f, 0.1f), new Vector2(1.1f, 0.3f), new Vector2(0.6f, 1.4f) };

            [Differentiable]
            public static float TriangleFan(Vector2 a, Vector2 b, Vector2 c)
            {
                var area = 0f;
                for (var turn = 0; turn < 3; turn++)
                {
                    var corners = new[] { a, b, c };
                    var edge1 = corners[(turn + 1) % 3] - corners[turn];
                    var edge2 = corners[(turn + 2) % 3] - corners[turn];
                    area += 0.5f * (edge1.X * edge2.Y - edge1.Y * edge2.X) * (turn + 1);
                }

                return area;
            }
        }
        """;
}
