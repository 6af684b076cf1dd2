namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>Loops: for/while/do, overwrites of the same variable each iteration, nesting, break/continue, returns inside.</summary>
internal static class LoopCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Loops
        {
            // domain: n=0..6
            [Differentiable]
            public static double ForAccumulates(double x, double y, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    s += x * i + y;
                }

                return s;
            }

            // domain: x=-1..1 y=-1..1 n=1..8
            [Differentiable]
            public static double ForOverwritesTheSameVariable(double x, double y, int n)
            {
                double v = x;
                for (int i = 0; i < n; i++)
                {
                    v = Math.Sin(v) * y + v * 0.5;
                }

                return v;
            }

            // domain: x=-1..1 n=1..6
            [Differentiable]
            public static double ForProduct(double x, int n)
            {
                double p = 1;
                for (int i = 1; i <= n; i++)
                    p = p * (x + i);
                return p;
            }

            // domain: n=0..5
            [Differentiable]
            public static double WhileLoop(double x, double y, int n)
            {
                double v = x;
                int k = 0;
                while (k < n)
                {
                    v = v * 0.5 + y * Math.Cos(v);
                    k++;
                }

                return v * v;
            }

            // domain: n=0..5
            [Differentiable]
            public static double DoWhileLoop(double x, double y, int n)
            {
                double v = y;
                int k = 0;
                do
                {
                    v = Math.Tanh(v + x);
                    k += 1;
                }
                while (k < n);
                return v;
            }

            // domain: x=-1..1 y=-1..1 n=1..4
            [Differentiable]
            public static double NestedLoops(double x, double y, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    double row = x;
                    for (int j = 0; j <= i; j++)
                    {
                        row = row * y + Math.Sin(x * j);
                        s = s * 0.5 + row;
                    }
                }

                return s;
            }

            // domain: x=-1..1 n=0..9
            [Differentiable]
            public static double BreakAndContinue(double x, double y, int n)
            {
                double v = 1;
                for (int i = 0; i < 10; i++)
                {
                    if (i % 2 == 0)
                        continue;
                    if (i > n)
                        break;
                    v = v * x + y;
                }

                return v;
            }

            // domain: x=0.5..2 y=0.5..2
            [Differentiable]
            public static double BreakOnActiveCondition(double x, double y)
            {
                double v = x;
                int k = 0;
                while (true)
                {
                    v = v * 1.5 + y;
                    k++;
                    if (v > 10 || k > 20)
                        break;
                }

                return v * k;
            }

            // domain: x=0.8..1.5 y=1..4
            [Differentiable]
            public static double EarlyReturnInsideLoop(double x, double y)
            {
                double v = 1;
                for (int i = 0; i < 30; i++)
                {
                    v = v * x + 0.25;
                    if (v > y)
                        return v - y * x;
                }

                return v;
            }

            // domain: x=0.5..1.5 n=1..4
            [Differentiable]
            public static double EarlyReturnInsideNestedLoop(double x, double y, int n)
            {
                double acc = y;
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        acc = acc * x + j;
                        if (i * n + j == 5)
                            return acc * acc;
                    }
                }

                return acc;
            }

            // domain: n=1..6
            [Differentiable]
            public static double CountingDown(double x, double y, int n)
            {
                double v = 0;
                for (int i = n; i > 0; i--)
                {
                    v = v * 0.5 + x * i;
                    v -= y / i;
                }

                return v;
            }

            // domain: x=-1..1 y=-1..1 n=1..5
            [Differentiable]
            public static double LoopWithCompoundAndIncrementOnDoubles(double x, double y, int n)
            {
                double v = x;
                double w = y;
                for (int i = 0; i < n; i++)
                {
                    v++;
                    v *= 0.5;
                    w += v * x;
                    w /= 1.5;
                    v--;
                }

                return v + w;
            }

            // domain: x=-1..1 y=-1..1 n=1..5
            [Differentiable]
            public static double LoopCarriedSwap(double x, double y, int n)
            {
                double a = x;
                double b = y;
                for (int i = 0; i < n; i++)
                {
                    var t = a;
                    a = b * 0.9 + Math.Sin(t);
                    b = t;
                }

                return a * b;
            }

            // domain: x=-1..1 n=1..4
            [Differentiable]
            public static double ThreeNestedLoopsWithBreaks(double x, double y, int n)
            {
                double s = x;
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < 3; j++)
                    {
                        if (j > i)
                            break;
                        for (int k = 0; k < 2; k++)
                        {
                            if (k == 1 && j == 0)
                                continue;
                            s = s * 0.8 + y * Math.Cos(s);
                        }
                    }
                }

                return s;
            }
        }
        """;
}
