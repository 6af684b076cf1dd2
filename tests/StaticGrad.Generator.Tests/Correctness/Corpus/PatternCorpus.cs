namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Patterns as C# code uses them for numeric decisions: relational and logical patterns on active values, switch
/// statements and expressions with 'when' guards, constants on configuration values, 'is var' and Length patterns.
/// </summary>
internal static class PatternCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Patterns
        {
            // domain: x=-2..2
            [Differentiable]
            public static double PiecewiseByRelational(double x)
            {
                if (x is < -1 or > 1)
                    return x * x;
                if (x is >= 0 and <= 1)
                    return 0.5 + 0.5 * x * x;
                return -x * 0.5;
            }

            // domain: r=-3..3 delta=0.5..1.5
            [Differentiable]
            public static double HuberBySwitchExpression(double r, double delta) => Math.Abs(r) switch
            {
                var a when a <= delta => 0.5 * r * r,
                var a => delta * (a - 0.5 * delta),
            };

            // domain: x=-2..2 kind=0..2
            [Differentiable]
            public static double ActivationByKind(double x, int kind)
            {
                switch (kind)
                {
                    case 0:
                        return x > 0 ? x : 0.01 * x;
                    case 1 or 2 when x > 0:
                        return Math.Tanh(x);
                    default:
                        return x / (1 + Math.Abs(x));
                }
            }

            // domain: x=-2..2 y=-2..2
            [Differentiable]
            public static double SwitchStatementWithWhen(double x, double y)
            {
                double s = x * y;
                switch (s)
                {
                    case < 0 when x > 0:
                        s = -s * x;
                        break;
                    case < 0:
                        s = s * s;
                        break;
                    case > 1:
                        s = Math.Sqrt(s);
                        break;
                    default:
                        s += x;
                        break;
                }

                return s + y;
            }

            // domain: t=-0.5..1.5
            [Differentiable]
            public static double SmoothStepByBands(double t) => t switch
            {
                <= 0 => 0.1 * t,
                >= 1 => 1 + 0.1 * (t - 1),
                _ => t * t * (3 - 2 * t),
            };

            // domain: x=-2..2 order=1..3
            [Differentiable]
            public static double PolynomialByOrder(double x, int order) => order switch
            {
                1 => x,
                2 => x * x - 1,
                3 => x * x * x - 3 * x,
                _ => throw new ArgumentOutOfRangeException(nameof(order)),
            };

            // domain: a[4]=-1..1
            [Differentiable]
            public static double LengthPattern(double[] a)
            {
                if (a is { Length: > 3 })
                    return a[0] * a[3] + a[1] * a[2];
                return a[0];
            }

            // domain: x=-2..2 y=-2..2
            [Differentiable]
            public static double IsVarAndNot(double x, double y)
            {
                if (x * y is var p && p is not > 1)
                    return p * x + y;
                return Math.Log(x * y);
            }

            // domain: x=-2..2
            [Differentiable]
            public static double NaNPatternGuard(double x)
            {
                if (x is double.NaN)
                    throw new ArgumentException("NaN input");
                return x is double d ? Math.Sin(d) * x : 0;
            }

            // domain: x=-2..2 mode=0..1
            [Differentiable]
            public static float FloatSwitch(float x, int mode) => x switch
            {
                _ when mode == 0 && x > 0 => x * x,
                _ when mode == 0 => -x,
                _ => MathF.Sin(x),
            };
        }
        """;
}
