namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>Calls: to other [Differentiable] methods (same type, other types, chains, recursion) and through [DerivativeOf] rules.</summary>
internal static class CallCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Helpers
        {
            [Differentiable]
            public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

            [Differentiable]
            public static double Square(double x) => x * x;

            [Differentiable]
            public static double WeightedPair(double a, [NoGrad] double weight, double b) => weight * a * a + b * a;

            // domain: v[3]=-1..1
            [Differentiable]
            public static double Norm2(double[] v)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++)
                    s += v[i] * v[i];
                return s;
            }
        }

        public static partial class Calls
        {
            [Differentiable]
            public static double CallsSameType(double x, double y) => Cube(x) + Cube(y) * x;

            [Differentiable]
            public static double Cube(double x) => x * x * x;

            [Differentiable]
            public static double CallsAcrossTypes(double x, double y) => Helpers.Softplus(x * y) * Helpers.Square(y - x);

            [Differentiable]
            public static double CallChain(double x) => Middle(x) * 2;

            [Differentiable]
            public static double Middle(double x) => Helpers.Softplus(Cube(x) + 1) + x;

            // An active argument to a callee's [NoGrad] parameter still gets its derivative: the caller calls the
            // callee's backward that includes it, so the gradient is the true one.
            [Differentiable]
            public static double CallWithNoGradParameterInCallee(double x, double y) => Helpers.WeightedPair(x, y, y * x);

            // domain: a[3]=-1..1
            [Differentiable]
            public static double CallWithArrayArgument(double[] a, double x) => Helpers.Norm2(a) * x;

            // domain: n=1..5
            [Differentiable]
            public static double CallsInsideLoop(double x, double y, int n)
            {
                double v = x;
                for (int i = 0; i < n; i++)
                    v = Helpers.Softplus(v * y) - Helpers.Square(v) * 0.1;
                return v;
            }

            // domain: x=0.5..3
            [Differentiable]
            public static double CustomRuleForUserMethod(double x, double y) => Rules.NewtonSqrt(x) * y + Rules.NewtonSqrt(y * y + 1);

            // domain: x=-2..2 n=-3..3
            [Differentiable]
            public static double CustomRuleForBclMethodWithIntArgument(double x, int n) => Math.ScaleB(x * x, n) + x;

            [Differentiable]
            public static double CustomRuleForBclMethodTwoArguments(double x, double y) => double.Hypot(x, y + 3) * x;
        }

        public static class Rules
        {
            /// <summary>Newton's iteration: not [Differentiable], so it needs a rule.</summary>
            public static double NewtonSqrt(double a)
            {
                double r = a > 1 ? a : 1;
                for (int i = 0; i < 60; i++)
                    r = 0.5 * (r + a / r);
                return r;
            }

            [DerivativeOf(typeof(Rules), nameof(NewtonSqrt))]
            public static double NewtonSqrtPullback(double a, ref double da, double seed)
            {
                var r = NewtonSqrt(a);
                da += seed * 0.5 / r;
                return r;
            }

            [DerivativeOf(typeof(Math), nameof(Math.ScaleB))]
            public static double ScaleBPullback(double x, int n, ref double dx, double seed)
            {
                dx += seed * Math.ScaleB(1.0, n);
                return Math.ScaleB(x, n);
            }

            [DerivativeOf(typeof(double), nameof(double.Hypot))]
            public static double HypotPullback(double x, double y, ref double dx, ref double dy, double seed)
            {
                var h = double.Hypot(x, y);
                dx += seed * x / h;
                dy += seed * y / h;
                return h;
            }
        }

        public static partial class Recursion
        {
            // domain: x=-1.5..1.5 n=0..5
            [Differentiable]
            public static double Power(double x, int n) => n == 0 ? 1 : x * Power(x, n - 1);
        }
        """;
}
