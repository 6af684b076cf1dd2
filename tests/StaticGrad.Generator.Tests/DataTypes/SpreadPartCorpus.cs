namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Collection expressions spreading a part of an array or span (<c>[.. a[1..3]]</c>, <c>[x, .. a[^2..]]</c>,
/// <c>[.. s.Slice(i, n)]</c>) as signal and window code writes them: padding a window, a moving sum of slices inside a
/// loop, a float span slice; spreads of a helper's result called with constant arguments (taps, weights). Array parameters are reached through <c>{Name}_Backward</c> and <c>{Name}_Tangent</c>.
/// </summary>
internal static class SpreadPartCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace DataCorpus;

        public static partial class SpreadParts
        {
            public static object[] Blurred_Args() => new object[] { 0.7, -0.4 };

            /// <summary>Gaussian taps from a helper called with constant arguments, spread into a signal and, in a loop, into an argument.</summary>
            [Differentiable]
            public static double Blurred(double x, double y)
            {
                double[] signal = [x, .. Taps(3, 0.5), y * x];
                var s = 0.0;
                for (var step = 0; step < 3; step++)
                {
                    s += Energy([.. Taps(2, 1.0), x * step, y]) * signal[step + 1];
                }

                return s + signal[4] * signal[0];
            }

            public static double[] Taps(int n, double width)
            {
                var taps = new double[n];
                for (var i = 0; i < n; i++)
                {
                    taps[i] = Math.Exp(-i * i / (2 * width * width));
                }

                return taps;
            }

            public static object[] Mix_Args() => new object[] { 0.6f, 1.1f };

            /// <summary>A float mix of constant weights (a helper's result, spread twice) around a computed value.</summary>
            [Differentiable]
            public static float Mix(float a, float b)
            {
                float[] v = [.. Weights(), a * b, .. Weights()];
                var s = 0f;
                for (var i = 0; i < v.Length; i++)
                {
                    s += v[i] * MathF.Sin(a + i);
                }

                return s + b;
            }

            public static float[] Weights() => new[] { 0.25f, 0.5f, 0.25f };

            public static object[] PaddedWindow_Args() => new object[] { new[] { 0.3, -0.7, 1.1, 0.4, 0.9 }, 0.5 };

            [Differentiable]
            public static double PaddedWindow(double[] signal, double edge)
            {
                double[] window = [edge, .. signal[1..4], edge * edge, .. signal[^2..]];
                return Energy(window) + Energy([.. signal[..2], edge]);
            }

            public static double PaddedWindow_Backward(double[] signal, double edge, double[] dSignal, ref double dEdge, double seed) =>
                PaddedWindowBackward(signal, edge, dSignal, ref dEdge, seed);

            public static (double, double) PaddedWindow_Tangent(double[] signal, double edge, double[] dSignal, double dEdge) =>
                PaddedWindowTangent(signal, edge, dSignal, dEdge);

            [Differentiable]
            public static double Energy(double[] v)
            {
                var total = 0.0;
                for (var i = 0; i < v.Length; i++)
                {
                    total += v[i] * v[i] * (1.0 + 0.1 * i);
                }

                return total;
            }

            public static object[] SlidingSum_Args() => new object[] { new[] { 0.2, 0.5, -0.3, 0.8, 0.1, -0.6 }, 3 };

            [Differentiable]
            public static double SlidingSum(double[] x, int width)
            {
                var score = 0.0;
                for (var i = 0; i + width <= x.Length; i++)
                {
                    double[] part = [.. x[i..(i + width)], x[i] * x[i]];
                    score += Math.Tanh(Energy(part));
                }

                return score;
            }

            public static double SlidingSum_Backward(double[] x, int width, double[] dx, double seed) => SlidingSumBackward(x, width, dx, seed);

            public static (double, double) SlidingSum_Tangent(double[] x, int width, double[] dx) => SlidingSumTangent(x, width, dx);

            public static object[] SpanSlice_Args() => new object[] { new[] { 0.4f, -0.2f, 0.9f, 0.3f }, 0.7f };

            [Differentiable]
            public static float SpanSlice(float[] values, float gain)
            {
                float[] picked = [.. values.AsSpan(1, 2), gain];
                var sum = 0f;
                foreach (var p in picked)
                {
                    sum += MathF.Sin(p * gain);
                }

                return sum;
            }

            public static float SpanSlice_Backward(float[] values, float gain, float[] dValues, ref float dGain, float seed) =>
                SpanSliceBackward(values, gain, dValues, ref dGain, seed);

            public static (float, float) SpanSlice_Tangent(float[] values, float gain, float[] dValues, float dGain) =>
                SpanSliceTangent(values, gain, dValues, dGain);
        }
        """;
}
