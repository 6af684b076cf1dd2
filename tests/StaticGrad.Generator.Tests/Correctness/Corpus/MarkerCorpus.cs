namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Autograd.Detach, NoGrad blocks and [NoGrad] parameters. Each function whose gradient differs from the plain
/// function's has a <c>_FdReference</c> twin in which the detached values are computed from the base point
/// (the trailing parameters), so finite differences measure exactly what the backward must compute.
/// </summary>
internal static class MarkerCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Markers
        {
            [Differentiable]
            public static double DetachedFactor(double x, double y) => x * Autograd.Detach(x * y) + y;

            public static double DetachedFactor_FdReference(double x, double y, double x0, double y0) => x * (x0 * y0) + y;

            [Differentiable]
            public static double NoGradBlock(double x, double y)
            {
                double c;
                using (Autograd.NoGrad())
                {
                    c = x * y;
                }

                return c * x + Math.Sin(y);
            }

            public static double NoGradBlock_FdReference(double x, double y, double x0, double y0) => x0 * y0 * x + Math.Sin(y);

            [Differentiable]
            public static double NoGradBlockWithLocalsAndLoop(double x, double y)
            {
                double scale = 0;
                using (Autograd.NoGrad())
                {
                    var t = x * x;
                    for (int i = 0; i < 3; i++)
                        t = t * 0.5 + y;
                    scale = t;
                }

                return scale * y + x;
            }

            public static double NoGradBlockWithLocalsAndLoop_FdReference(double x, double y, double x0, double y0)
            {
                var t = x0 * x0;
                for (int i = 0; i < 3; i++)
                    t = t * 0.5 + y0;
                return t * y + x;
            }

            // domain: n=1..4
            [Differentiable]
            public static double DetachInsideLoop(double x, double y, int n)
            {
                double v = x;
                for (int i = 0; i < n; i++)
                    v = v * Autograd.Detach(v) * 0.5 + y;
                return v;
            }

            public static double DetachInsideLoop_FdReference(double x, double y, int n, double x0, double y0, int n0)
            {
                double v = x;
                double v0 = x0;
                for (int i = 0; i < n; i++)
                {
                    v = v * v0 * 0.5 + y;
                    v0 = v0 * v0 * 0.5 + y0;
                }

                return v;
            }

            [Differentiable]
            public static double NoGradParameter(double x, [NoGrad] double k) => k * x * x + Math.Sin(k);

            [Differentiable]
            public static double OnlyNoGradAndIntExceptOne([NoGrad] double a, int n, double b, [NoGrad] float c) => a * b * n + c * b * b;

            [Differentiable]
            public static double DetachOfWholeSubexpressionWithCall(double x, double y) => Autograd.Detach(Helpers.Softplus(x)) * y + x;

            public static double DetachOfWholeSubexpressionWithCall_FdReference(double x, double y, double x0, double y0) => Helpers.Softplus(x0) * y + x;
        }
        """;
}
