namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>Arrays and spans: parameters read by index and foreach, local arrays and stackalloc written and read in loops.</summary>
internal static class ArrayCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Arrays
        {
            // domain: a[5]=-1..1 b[5]=-1..1
            [Differentiable]
            public static double Dot(double[] a, double[] b)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                    s += a[i] * b[i];
                return s;
            }

            // domain: v[6]=-1..1
            [Differentiable]
            public static double SumOfSquaresReadOnlySpan(ReadOnlySpan<double> v)
            {
                double s = 0;
                foreach (var e in v)
                {
                    s += e * e;
                }

                return Math.Sqrt(1 + s);
            }

            // domain: v[4]=-1..1
            [Differentiable]
            public static double ReadsSpanParameter(Span<double> v, double scale)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++)
                    s += Math.Sin(v[i] * scale);
                return s;
            }

            // domain: xs[5]=-1..1
            [Differentiable]
            public static double ForeachOverArray(double[] xs, double w)
            {
                double s = 0;
                foreach (var x in xs)
                {
                    s = s * w + x * x;
                }

                return s;
            }

            // domain: m[9]=-1..1 v[3]=-1..1 n=3..3
            [Differentiable]
            public static double QuadraticFormIndexedByArithmetic(double[] m, double[] v, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                        s += v[i] * m[i * n + j] * v[j];
                return s;
            }

            // domain: a[5]=-2..2
            [Differentiable]
            public static double SoftmaxWeightedSumInLocalArray(double[] a)
            {
                var t = new double[a.Length];
                double total = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    t[i] = Math.Exp(a[i]);
                    total += t[i];
                }

                double r = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    t[i] = t[i] / total;
                    r += t[i] * a[i];
                }

                return r;
            }

            // domain: a[6]=-1..1
            [Differentiable]
            public static double PrefixSumsOverwrittenInLocalArray(double[] a, double x)
            {
                var p = new double[a.Length];
                p[0] = a[0];
                for (int i = 1; i < a.Length; i++)
                    p[i] = p[i - 1] * x + a[i];
                for (int pass = 0; pass < 2; pass++)
                    for (int i = 0; i < p.Length; i++)
                        p[i] = Math.Sin(p[i]) + p[i] * 0.5;
                double s = 0;
                for (int i = 0; i < p.Length; i++)
                    s += p[i] * p[i];
                return s;
            }

            // domain: a[4]=-1..1
            [Differentiable]
            public static double StackallocBuffer(double[] a, double y)
            {
                Span<double> buffer = stackalloc double[4];
                for (int i = 0; i < 4; i++)
                    buffer[i] = a[i] * y;
                for (int i = 1; i < 4; i++)
                    buffer[i] += buffer[i - 1] * buffer[i];
                return buffer[3] + buffer[0];
            }

            // domain: w[4]=-1..1 x[4]=-1..1 y[4]=-1..1
            [Differentiable]
            public static double LeastSquaresWithFrozenData(double[] w, [NoGrad] double[] x, [NoGrad] double[] y, double bias)
            {
                double loss = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    var r = w[i] * x[i] + bias - y[i];
                    loss += r * r;
                }

                return loss / x.Length;
            }

            // domain: a[5]=-1..1
            [Differentiable]
            public static double ReversedIndexing(double[] a)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                    s += a[i] * a[a.Length - 1 - i] * (i + 1);
                return s;
            }

            // domain: a[5]=-3..3
            [Differentiable]
            public static double LogSumExp(ReadOnlySpan<double> a)
            {
                double max = a[0];
                for (int i = 1; i < a.Length; i++)
                    max = Math.Max(max, Autograd.Detach(a[i]));
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                    s += Math.Exp(a[i] - max);
                return Math.Log(s) + max;
            }

            // domain: a[5]=-1..1
            [Differentiable]
            public static double EarlyReturnReadingArray(double[] a, double t)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    s += a[i] * t;
                    if (s > 1.5)
                        return s * a[i];
                }

                return s;
            }

            // domain: a[3]=-1..1 b[3]=-1..1
            [Differentiable]
            public static double LocalArrayOfPairwiseProducts(double[] a, double[] b)
            {
                var products = new double[a.Length * b.Length];
                for (int i = 0; i < a.Length; i++)
                    for (int j = 0; j < b.Length; j++)
                        products[i * b.Length + j] = a[i] * b[j];
                double s = 0;
                foreach (var p in products)
                    s += Math.Tanh(p);
                return s;
            }
        }
        """;
}
