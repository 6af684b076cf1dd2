namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Adversarial checks of the LINQ reductions session 21 made supported (Sum, Average, Max, Min over an array, its
/// Select, or a Zip of two arrays): float arrays (summed in double, as Enumerable does), a Zip of an array with itself
/// and of arrays of different lengths, Select with the index, a reduction nested in a selector, in a loop, over a
/// local array written before, over an empty local array (Sum is 0), over a static readonly table with a selector that
/// carries a derivative, Max and Min with their argmax/argmin gradient, and the empty sequences whose Average, Max and
/// Min throw (the exception tests call them with n = 0).
/// </summary>
internal static class Session21LinqCorpus
{
    public const string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Corpus;

        public static partial class S21Linq
        {
            private static readonly double[] Weights = { 0.5, -1.25, 2.0 };

            // domain: xs[5]=-2..2
            [Differentiable]
            public static float FloatSumAndAverage(float[] xs) => xs.Sum() * 0.5f + xs.Average(x => x * x) + xs.Select(x => MathF.Sin(x)).Sum();

            // domain: a[4]=-2..2
            [Differentiable]
            public static double ZipWithItself(double[] a) => a.Zip(a, (x, y) => x * y).Sum() + a.Zip(a.Select(v => 2 * v), (p, q) => p - q).Max();

            // domain: a[5]=-2..2 b[3]=-2..2
            [Differentiable]
            public static double ZipDifferentLengths(double[] a, double[] b)
            {
                var shorter = a.Zip(b, (x, y) => x * Math.Exp(y)).Sum();
                var reversed = b.Zip(a, (x, y) => x - y * y).Min();
                return shorter + reversed;
            }

            // domain: xs[5]=-2..2
            [Differentiable]
            public static double SelectWithIndex(double[] xs) => xs.Select((x, i) => x * (i + 1)).Sum() + xs.Select((x, i) => i % 2 == 0 ? x * x : -x).Average();

            // domain: a[3]=-1..1 b[4]=-1..1
            [Differentiable]
            public static double NestedInSelector(double[] a, double[] b) => a.Sum(x => b.Sum(y => Math.Tanh(x * y)) * x);

            // domain: xs[4]=-1..1 scale=0.5..2
            [Differentiable]
            public static double ReductionInLoop(double[] xs, double scale)
            {
                double total = 0;
                double shift = 0;
                for (int i = 0; i < 3; i++)
                {
                    var energy = xs.Sum(x => (x - shift) * (x - shift));
                    total += scale * energy;
                    shift += 0.1 * energy;
                }
                return total;
            }

            // domain: x=-1..1 y=-1..1 n=1..4
            [Differentiable]
            public static double LocalArrayWrittenBefore(double x, double y, int n)
            {
                var values = new double[n];
                for (int i = 0; i < n; i++)
                    values[i] = x * i + y;
                values[0] = Math.Sin(values[0]);
                var empty = new double[0];
                return values.Sum(v => v * v) + values.Max() - values.Min() + empty.Sum() + empty.Sum(v => v * x);
            }

            // domain: x=-1..1 n=1..3
            [Differentiable]
            public static double AverageOfPrefix(double x, int n)
            {
                var prefix = new double[n];
                for (int i = 0; i < n; i++)
                    prefix[i] = Math.Exp(x * (i + 1));
                return prefix.Average() + prefix.Max(p => p * x) + prefix.Min(p => -p);
            }

            // domain: x=-1..1
            [Differentiable]
            public static double TableWithActiveSelector(double x) => Weights.Sum(w => w * Math.Cos(w * x)) + Weights.Max(w => w * x * x);

            // domain: logits[5]=-3..3 temperature=0.5..2
            [Differentiable]
            public static double LogSumExpTemperature(double[] logits, double temperature)
            {
                var max = logits.Max(l => l / temperature);
                var sum = logits.Select(l => l / temperature).Select(z => Math.Exp(z - max)).Sum();
                return max + Math.Log(sum);
            }

            // domain: xs[4]=-2..2
            [Differentiable]
            public static double NaNOrderedMax(double[] xs) => xs.Max(x => Math.Sin(x) + x);

            // domain: xs[4]=-2..2
            [Differentiable]
            public static double FirstNaNMin(double[] xs) => xs.Min(x => x * 0.5) + xs.Length;

            // domain: xs[4]=-2..2 ws[4]=0.5..1.5
            [Differentiable]
            public static float FloatWeightedMean(float[] xs, float[] ws)
                => xs.Zip(ws, (x, w) => x * w).Sum() / ws.Sum() + xs.Max() * 0.25f + xs.Min(x => x * x);
        }
        """;
}
