namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>Straight-line scalar code: arithmetic, casts, every Math function with a built-in rule, fields, locals.</summary>
internal static class ScalarCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Scalars
        {
            private const double Scale = 2.5;
            private static readonly double Offset = 0.75;

            [Differentiable]
            public static double Polynomial(double x, double y) => x * x * x - 2 * x * y + 3 * y - 7;

            [Differentiable]
            public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

            [Differentiable]
            public static double Quotient(double x, double y) => (x + 1) / (y * y + 1) - x / (2 + Math.Cos(y));

            [Differentiable]
            public static double UnaryMinusAndCasts(double x, double y, int n)
            {
                double k = (double)n;
                return -x * k + -(y * y) + (double)(x * y) + (float)3;
            }

            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double Trigonometric(double x, double y) => Math.Sin(x) * Math.Cos(y) + Math.Tan(x * y);

            // domain: x=-0.9..0.9 y=0.5..2 z=-2..2
            [Differentiable]
            public static double InverseTrigonometric(double x, double y, double z) =>
                Math.Asin(x) + Math.Acos(x * 0.5) + Math.Atan(z) + Math.Atan2(z, y) + Math.Atan2(y, z + 3);

            [Differentiable]
            public static double Hyperbolic(double x, double y) => Math.Sinh(x) - Math.Cosh(y) * 0.5 + Math.Tanh(x * y);

            // domain: x=0.5..3 y=-2..2
            [Differentiable]
            public static double ExponentialsAndLogarithms(double x, double y) =>
                Math.Exp(y) + Math.Log(x) * y + Math.Log10(x + 1) - Math.Log2(x * x + 1);

            // domain: x=0.5..3 y=-3..-0.5
            [Differentiable]
            public static double Roots(double x, double y) => Math.Sqrt(x) * Math.Cbrt(y) + Math.Cbrt(x * x + 1);

            // domain: x=0.5..2 y=-2..2
            [Differentiable]
            public static double Powers(double x, double y) => Math.Pow(x, y) + Math.Pow(x, 3) + Math.Pow(2, y) + Math.Pow(y, 2);

            // domain: x=0.3..2 y=-2..-0.3
            [Differentiable]
            public static double AbsoluteValues(double x, double y) => Math.Abs(x) * Math.Abs(y) + Math.Abs(x + y + 5);

            // domain: x=1..2 y=-1..0.5
            [Differentiable]
            public static double MinimaAndMaxima(double x, double y) => Math.Min(x, y) * 3 + Math.Max(x, y) * Math.Max(y * y, 2);

            // domain: x=-3..3 y=0.5..1.5
            [Differentiable]
            public static double Clamped(double x, double y) => Math.Clamp(x, -1.0, 1.0) * y + Math.Clamp(x * y, -10, 10);

            // domain: x=-3..3 y=-3..3
            [Differentiable]
            public static double RoundingHasZeroDerivative(double x, double y) =>
                Math.Floor(x) + Math.Ceiling(y) * x + Math.Round(x * y) + Math.Truncate(y) + x * y;

            [Differentiable]
            public static double FusedMultiplyAdd(double x, double y, double z) => Math.FusedMultiplyAdd(x, y, z) * Math.FusedMultiplyAdd(z, z, 1);

            // domain: x=0.5..2 y=-2..-0.5
            [Differentiable]
            public static double CopySignAndSign(double x, double y) => Math.CopySign(x * x, y) + Math.CopySign(y, x) + Math.Sign(y) * x;

            [Differentiable]
            public static double SafeLogAndRoot(double x, double y) => Math.Log(1 + x * x) + Math.Sqrt(1 + y * y) * x;

            [Differentiable]
            public static double ConstAndStaticReadonlyFields(double x, double y) => Scale * x * x + Offset * y + Math.PI * x * y + Math.E;

            [Differentiable]
            public static double LocalsReassignedManyTimes(double x, double y)
            {
                var t = x;
                t = t * t;
                t = Math.Sin(t) + y;
                var u = t * x;
                t = u - t;
                t = t * t + u;
                u = y;
                return t * u;
            }

            [Differentiable]
            public static double CompoundAssignments(double x, double y)
            {
                var r = x;
                r += y;
                r *= x;
                r -= 2 * y;
                r /= 1 + y * y;
                r += r * x;
                return r;
            }

            [Differentiable]
            public static double IncrementAndDecrement(double x, double y)
            {
                double v = x;
                v++;
                v *= v;
                v--;
                ++v;
                --v;
                var w = v++ * y;
                return w + v;
            }

            [Differentiable]
            public static double IntegersMixedIn(double x, double y, int n)
            {
                int k = n * 2 + 1;
                double s = k * x;
                int half = n / 2;
                s += half * y + n % 3;
                return s * y;
            }

            [Differentiable]
            public static double UnusedAndDeadLocals(double x, double y)
            {
                var unused = Math.Exp(y);
                var z = x * 3;
                z = y * y;
                return z + x;
            }

            [Differentiable]
            public static double SameVariableOnBothSides(double x) => x * x - x / (1 + x * x) + x;
        }
        """;
}
