namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// The edge cases of the cheap reversals (issue 6): integer updates undone by their inverse, loop-local values
/// recomputed in the reverse sweep, linear accumulations left unsaved, and backward calls whose value is reused.
/// Each method has a shape where one of them must not apply, or applies only just.
/// </summary>
internal static class ReversalCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Reversals
        {
            // The loop bound shrinks in the body: the trip count, not the bound, drives the reverse sweep.
            // domain: x=-1..1 n=1..7
            [Differentiable]
            public static double BoundModifiedInBody(double x, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    s += Math.Sin(x * i) * x;
                    if (s > 0.3)
                    {
                        n--;
                    }
                }

                return s * s;
            }

            // The counter also moves inside the body, conditionally: each update is inverted where it happened.
            // domain: a[7]=-1..1 x=-1..1
            [Differentiable]
            public static double CounterSkipsInBody(double[] a, double x)
            {
                double v = 0.5;
                for (int i = 0; i < a.Length; i++)
                {
                    v = v * x + a[i];
                    if (v > 0.2)
                    {
                        i += 2;
                    }
                }

                return v;
            }

            // A recomputed loop local read by the break test and after it.
            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double BreakAfterRecomputedLocal(double[] a, double x)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    var t = a[i] * a[i] * x;
                    if (t > 0.3)
                    {
                        break;
                    }

                    s += Math.Cos(t) * t;
                }

                return s;
            }

            // An accumulator read nonlinearly inside the loop, after its update: it must be saved.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double AccumulatorReadNonlinearlyInLoop(double[] a, double x)
            {
                double s = 0;
                double p = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    s += a[i] * x;
                    p = p + s * s;
                }

                return p + s;
            }

            // An accumulator read nonlinearly between its definition and the inner loop that updates it.
            // domain: a[4]=-1..1 x=-1..1 n=1..4
            [Differentiable]
            public static double AccumulatorReadBeforeInnerLoop(double[] a, double x, int n)
            {
                double r = 0;
                double s = 0;
                for (int k = 0; k < n; k++)
                {
                    s = x + k;
                    var t = s * s;
                    for (int j = 0; j < a.Length; j++)
                    {
                        s += a[j] * x;
                    }

                    r += s * t;
                }

                return r;
            }

            // An accumulator updated in two nested loops and read nonlinearly only after both.
            // domain: a[4]=-1..1 x=-1..1 y=-1..1 n=1..4
            [Differentiable]
            public static double AccumulatorAcrossNestedLoops(double[] a, double x, double y, int n)
            {
                double s = x * x;
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < a.Length; j++)
                    {
                        s += a[j] * y;
                        s = a[i % a.Length] * x + s;
                    }

                    s -= y * i;
                }

                return Math.Sin(s) * s;
            }

            // An accumulator read nonlinearly in the outer loop between inner loops: saved.
            // domain: a[4]=-1..1 x=-1..1 n=1..4
            [Differentiable]
            public static double AccumulatorReadBetweenInnerLoops(double[] a, double x, int n)
            {
                double s = x;
                double r = 0;
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < a.Length; j++)
                    {
                        s += a[j] * x;
                    }

                    r += Math.Sin(s);
                }

                return r;
            }

            // Loop locals depending on each other and on the counter, recomputed in order.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double ChainedRecomputation(double[] a, double x)
            {
                double s = 0;
                for (int i = 0; i < 7; i++)
                {
                    var p = (i * 3) % a.Length;
                    var q = a[p] * x;
                    var r = q * q + x;
                    s += r * q;
                }

                return s;
            }

            // A loop local reading a value the body changes after it: saved, not recomputed.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double LocalReadsValueChangedLater(double[] a, double x)
            {
                double v = x;
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    var t = v * x;
                    v = v + a[i];
                    s += t * t * v;
                }

                return s;
            }

            // A loop local reading an array the loop writes (which may alias): saved, not recomputed.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double LocalReadsArrayWrittenInLoop(double[] a, double x)
            {
                var b = new double[a.Length];
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    var t = a[i] + b[(i + 4) % a.Length];
                    b[i] = t * x;
                    s += t * b[i];
                }

                return s;
            }

            // A variable written in the loop and read after it: its last value matters, so it is saved.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double LocalReadAfterLoop(double[] a, double x)
            {
                double t = 0;
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    t = a[i] * x;
                    s += t * t;
                }

                return s + t * t * t;
            }

            // A long counter stepping down by two, and an index stepping by a variable stride.
            // domain: a[9]=-1..1 x=-1..1 stride=1..3
            [Differentiable]
            public static double LongCounterAndStride(double[] a, double x, int stride)
            {
                double s = 0;
                int k = 0;
                for (long i = 8; i >= 0; i -= 2)
                {
                    s = s * x + a[(int)i] * a[k % a.Length];
                    k += stride;
                }

                return s;
            }

            // Subtracting and left-added accumulations.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double SubtractedAccumulation(double[] a, double x)
            {
                double s = 1;
                double u = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    s -= a[i] * x;
                    u = a[i] * a[i] + u;
                }

                return s * s + u * x;
            }

            [Differentiable]
            public static double Cube(double x) => x * x * x;

            // Products with calls on either side, and of two calls: the backward's returned value is reused.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double ProductsWithCalls(double x, double y)
            {
                var a = x * Cube(y);
                var b = Cube(x) * y;
                var c = Cube(x + y) * Cube(x - y);
                return a + b * a + c;
            }

            // A call in a loop multiplied by a loop local.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double CallTimesLocalInLoop(double[] a, double x)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    var t = a[i] + x;
                    s += t * Cube(t);
                }

                return s;
            }
        }
        """;
}
