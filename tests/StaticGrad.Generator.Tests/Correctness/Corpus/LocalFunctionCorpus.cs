namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Local functions as numeric code uses them: small helpers (static and capturing), helpers calling helpers, helpers
/// with statements, helpers writing captured accumulators, and helpers over arrays. None is marked [Differentiable].
/// </summary>
internal static class LocalFunctionCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class LocalFunctions
        {
            [Differentiable]
            public static double SquaredDistance(double x1, double y1, double x2, double y2)
            {
                return Sq(x1 - x2) + Sq(y1 - y2);

                static double Sq(double v) => v * v;
            }

            // domain: x=-2..2 beta=0.5..2
            [Differentiable]
            public static double SoftplusWithCapture(double x, double beta)
            {
                double Softplus(double t) => Math.Log(1 + Math.Exp(beta * t)) / beta;
                return Softplus(x) - Softplus(-x) + Softplus(x * 0.5);
            }

            [Differentiable]
            public static double HelpersCallHelpers(double x, double y)
            {
                static double Cube(double v) => v * Square(v);
                static double Square(double v) => v * v;
                double Mix(double a, double b) => Cube(a) - 2 * Square(b) + a * b;
                return Mix(x, y) + Mix(y, x);
            }

            // domain: x=-1..1 v=-1..1 dt=0.01..0.1 k=0.5..2 n=1..6
            [Differentiable]
            public static double VerletWithLocalForce(double x, double v, double dt, double k, int n)
            {
                double Force(double position) => -k * position - 0.1 * position * position * position;
                double a = Force(x);
                for (int i = 0; i < n; i++)
                {
                    x += v * dt + 0.5 * a * dt * dt;
                    double next = Force(x);
                    v += 0.5 * (a + next) * dt;
                    a = next;
                }

                return x + 0.3 * v;
            }

            // domain: w[4]=-1..1 x[4]=-1..1 b=-1..1
            [Differentiable]
            public static double LogisticLossWithHelpers(double[] w, double[] x, double b)
            {
                double Dot(double[] u, double[] v)
                {
                    double s = 0;
                    for (int i = 0; i < u.Length; i++)
                        s += u[i] * v[i];
                    return s;
                }

                double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
                double p = Sigmoid(Dot(w, x) + b);
                return -Math.Log(p) + 0.01 * Dot(w, w);
            }

            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double CapturedAccumulator(double x, double y)
            {
                double total = 0;
                void Add(double term)
                {
                    total += term * term;
                }

                Add(x);
                Add(x * y);
                Add(Math.Sin(y));
                return total;
            }

            // domain: x=0.5..2 y=0.5..2
            [Differentiable]
            public static double HelperWithBranches(double x, double y)
            {
                double Huber(double r)
                {
                    double a = Math.Abs(r);
                    double result;
                    if (a <= 1)
                        result = 0.5 * r * r;
                    else
                        result = a - 0.5;
                    return result;
                }

                return Huber(x - y) + Huber(2 * x - 0.2);
            }

            // domain: x=0.2..1.5 n=1..5
            [Differentiable]
            public static double HelperInLoopCondition(double x, int n)
            {
                double Decay(double t) => t * 0.5;
                double s = x;
                int k = 0;
                while (Decay(s) > 0.01 && k < n)
                {
                    s = s * s * 0.9 + 0.05;
                    k++;
                }

                return s;
            }

            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static float FloatLocalFunction(float x, float y)
            {
                static float Smooth(float t) => t * t * (3 - 2 * t);
                return Smooth(x) * y + Smooth(y);
            }

            // domain: x=-1..1
            [Differentiable]
            public static double GuardInLocalFunction(double x)
            {
                static double Checked(double v)
                {
                    if (double.IsNaN(v))
                        throw new ArgumentException("NaN");
                    return v * 3;
                }

                return Checked(x) * Checked(x + 1);
            }
        }
        """;
}
