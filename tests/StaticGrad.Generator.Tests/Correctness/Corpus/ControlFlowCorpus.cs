namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>Branches: comparisons, bools, if/else chains, ?:, switch on inactive values, early returns.</summary>
internal static class ControlFlowCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class ControlFlow
        {
            [Differentiable]
            public static double IfElseChain(double x, double y)
            {
                double r;
                if (x > 1)
                {
                    r = x * y;
                }
                else if (x > -0.5)
                {
                    r = Math.Sin(x) + y * y;
                }
                else
                {
                    r = x * x * x;
                }

                return r + x;
            }

            [Differentiable]
            public static double IfWithoutElseOverwrites(double x, double y)
            {
                var r = x * y;
                if (y < 0)
                {
                    r = r * r;
                }

                if (x + y > 0.5)
                    r += Math.Exp(x);
                return r;
            }

            [Differentiable]
            public static double Conditional(double x, double y) => x > y ? x * x * y : Math.Cos(x) - y;

            [Differentiable]
            public static double NestedConditionals(double x, double y)
            {
                var a = x > 0 ? (y > 0 ? x * y : x - y) : (y > 0 ? y * y : x * x * 0.5);
                return a * (x < y ? 2 : 3);
            }

            [Differentiable]
            public static double BoolLocals(double x, double y, bool flip)
            {
                bool positive = x > 0;
                bool both = positive && y > 0 || flip;
                var r = both ? x + y : x * y;
                if (!positive)
                {
                    r -= x;
                }

                return flip ? -r : r;
            }

            // domain: n=0..4
            [Differentiable]
            public static double SwitchStatementOnInt(double x, double y, int n)
            {
                double r = 0;
                switch (n)
                {
                    case 0:
                        r = x;
                        break;
                    case 1:
                    case 2:
                        r = x * y;
                        break;
                    case 3:
                        r = Math.Sin(x * y);
                        return r * 2;
                    default:
                        r = y * y;
                        break;
                }

                return r + x;
            }

            // domain: n=0..3
            [Differentiable]
            public static double SwitchExpressionOnInt(double x, double y, int n) => n switch
            {
                0 => x * y,
                1 => x + y,
                2 => Math.Exp(x) * y,
                _ => x * x,
            };

            [Differentiable]
            public static double EarlyReturn(double x, double y)
            {
                if (x > 0)
                {
                    return x * y;
                }

                var t = y * y;
                t += x;
                return t - x * t;
            }

            [Differentiable]
            public static double SeveralEarlyReturns(double x, double y)
            {
                var t = x * y;
                if (t > 1)
                    return t;
                t = t * t + x;
                if (y < -1)
                    return t * y;
                if (x < -1)
                    return Math.Exp(t);
                t = Math.Sin(t);
                return t + y;
            }

            // domain: n=0..5
            [Differentiable]
            public static double ComparisonOnInactiveInt(double x, double y, int n)
            {
                var r = x;
                if (n >= 2 && n != 4)
                {
                    r = r * y;
                }

                if (n == 0 || n > 3)
                {
                    r = r + y * x;
                }

                return r;
            }
        }
        """;
}
