namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Guard and diagnostic code as real numeric code has it: argument checks, assertions, throw expressions, trace lines,
/// discarded validation calls and floating predicates. None of it has a derivative; all of it runs in the forward sweep.
/// </summary>
internal static class GuardCorpus
{
    public const string Source = """
        using System;
        using System.Diagnostics;
        using StaticGrad;

        namespace Corpus;

        public static class Telemetry
        {
            public static int Calls;

            public static void Record(string name, double value) => Calls += value > double.MaxValue ? 2 : 1;

            public static bool IsReasonable(double value) => Math.Abs(value) < 1e6;
        }

        public static partial class Guards
        {
            // domain: x=-2..2 y=-2..2 scale=0.1..2
            [Differentiable]
            public static double CheckedDistance(double x, double y, double scale)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(scale);
                if (double.IsNaN(x) || double.IsInfinity(y))
                    throw new ArgumentException("coordinates must be finite", nameof(x));
                return Math.Sqrt(x * x + y * y + scale);
            }

            // domain: x=-2..2 mu=-1..1 sigma=0.5..2
            [Differentiable]
            public static double GaussianLogDensity(double x, double mu, double sigma)
            {
                Debug.Assert(sigma > 0, $"sigma must be positive, was {sigma:F3}");
                double z = (x - mu) / sigma;
                return -0.5 * z * z - Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI);
            }

            // domain: x=0.5..3 y=-1..1
            [Differentiable]
            public static double LogWithThrowExpression(double x, double y)
            {
                double lx = x > 0 ? Math.Log(x) : throw new ArgumentOutOfRangeException(nameof(x), x, "log of a non-positive value");
                return lx * y + x;
            }

            // domain: x=-1..1 y=-1..1 kind=0..2
            [Differentiable]
            public static double LossByKind(double x, double y, int kind)
            {
                double r = x - y;
                return kind switch
                {
                    0 => r * r,
                    1 => Math.Sqrt(r * r + 1) - 1,
                    2 => Math.Log(Math.Cosh(r)),
                    _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown loss"),
                };
            }

            [Differentiable]
            public static double FinitePredicates(double x, double y)
            {
                if (double.IsFinite(x) && !double.IsNegative(y) && !double.IsSubnormal(x))
                    return x * y + Math.Sin(x);
                return x - y * y;
            }

            // domain: a=0.5..2
            [Differentiable]
            public static double NewtonSqrtWithGuard(double a)
            {
                double x = a;
                int iterations = 0;
                while (Math.Abs(x * x - a) > 1e-12)
                {
                    if (++iterations > 100)
                        throw new InvalidOperationException($"Newton did not converge for a = {a}");
                    x = 0.5 * (x + a / x);
                }

                return x;
            }

            // domain: a[5]=-1..1 w=0.5..2
            [Differentiable]
            public static double CheckedSumOfSquares(double[] a, double w)
            {
                ArgumentNullException.ThrowIfNull(a);
                ArgumentOutOfRangeException.ThrowIfZero(a.Length);
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(w);
                double s = 0;
                foreach (var v in a)
                    s += w * v * v;
                Trace.WriteLine("sum of squares " + s);
                return s;
            }

            // domain: x=-1..1 n=1..4
            [Differentiable]
            public static double FirstTermAbove(double x, int n)
            {
                double term = 1;
                for (int k = 0; k < 64; k++)
                {
                    term *= (x + 2) / (k + 1);
                    if (k >= n)
                        return term;
                }

                throw new InvalidOperationException("unreachable for n < 64");
            }

            [Differentiable]
            public static double DiscardedValidation(double x, double y)
            {
                _ = Telemetry.IsReasonable(x);
                Telemetry.Record("input", x);
                double loss = (x - y) * (x - y);
                Telemetry.Record(nameof(loss), loss);
                return loss;
            }

            // domain: x=-1..1 limit=2..3
            [Differentiable]
            public static double RangeChecks(double x, [NoGrad] double limit)
            {
                ArgumentOutOfRangeException.ThrowIfGreaterThan(x, limit);
                ArgumentOutOfRangeException.ThrowIfLessThan(x, -limit, "x");
                return Math.Tanh(x) * limit;
            }

            // domain: x=-1..1 y=0.5..2
            [Differentiable]
            public static float GuardedFloat(float x, float y)
            {
                if (float.IsNaN(y) || y <= 0f)
                    throw new ArgumentOutOfRangeException(nameof(y));
                Debug.Assert(float.IsFinite(x));
                return x / y + MathF.Exp(x);
            }
        }
        """;
}
