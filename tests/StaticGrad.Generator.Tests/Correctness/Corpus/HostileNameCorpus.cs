namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// User names that are also names the generator mints: adjoints (<c>dx</c> next to <c>x</c>), <c>seed</c>, the
/// normaliser's <c>_result</c>/<c>_returned</c>/<c>_break</c>, the tape, temporaries, keywords. Each method must get a
/// backward that compiles without warnings and is right (a clash used to break the build or, for <c>_result</c>,
/// silently return the user's variable with a zero gradient).
/// </summary>
internal static class HostileNameCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public partial class HostileNames
        {
            private readonly double dx = 0.25;
            private static readonly double seed = 2.0;

            [Differentiable]
            public static double AdjointNamedParameter(double x, double dx) => x * x * dx + Math.Sin(dx);

            [Differentiable]
            public static double SeedParameter(double seed, double x) => seed * Math.Exp(x) + seed * seed;

            [Differentiable]
            public static double TimeStep(double t, double dt)
            {
                var v = Math.Cos(t);
                return t + dt * v;
            }

            [Differentiable]
            public static double Distance(double x1, double y1, double x2, double y2)
            {
                var dx = x2 - x1;
                var dy = y2 - y1;
                return Math.Sqrt(dx * dx + dy * dy + 1e-3);
            }

            [Differentiable]
            public static double KeywordParameter(double @base, double @double)
            {
                var @in = @base * @double;
                return @in * @in + @base;
            }

            [Differentiable]
            public static double LocalNamedO(double x)
            {
                var o = x * x;
                var @do = o + x;
                return o * @do;
            }

            // domain: x=0.5..2 n=1..4
            [Differentiable]
            public static double LoopCounterNamedResult(double x, int n)
            {
                var s = x;
                for (int _result = 0; _result < n; _result++)
                {
                    s = s * x + 1.0;
                }

                return s;
            }

            [Differentiable]
            public static double InternalNames(double x, double y)
            {
                var _tape = x * y;
                var d_result = _tape + y;
                var dx1 = d_result * x;
                var _t0 = Math.Sin(dx1);
                var _returned = _t0 * _t0;
                return _returned + _tape;
            }

            [Differentiable]
            public static double AdjointOfParameterNearby(double a, double da, double dA)
            {
                var d = a * da;
                return d * dA + a;
            }

            [Differentiable]
            public static double EveryBranchReturns(double x, double y)
            {
                if (x > 0.3)
                {
                    return x * y;
                }
                else
                {
                    return y - x * x;
                }
            }

            // domain: x=-2..2 k=0..3
            [Differentiable]
            public static double SwitchReturns(double x, int k)
            {
                switch (k)
                {
                    case 0:
                        return x * x;
                    case 1:
                        return Math.Sin(x);
                    default:
                        return x * 3.0;
                }
            }

            // domain: x=0.5..2 n=2..6
            [Differentiable]
            public static double EarlyExitWithInternalNames(double x, int n)
            {
                var _break = 0.0;
                var _continue = x;
                for (var i = 0; i < n; i++)
                {
                    if (i == 3)
                    {
                        break;
                    }

                    if (i == 1)
                    {
                        continue;
                    }

                    _break += _continue * x;
                }

                if (_break > 100.0)
                {
                    return _break;
                }

                return _break * x;
            }

            // domain: xs[4]=-1..1
            [Differentiable]
            public static double ArrayNamedLikeAdjoint(double[] xs, double dXs)
            {
                var _tape = new double[xs.Length];
                var seed = 0.0;
                for (var _t1 = 0; _t1 < xs.Length; _t1++)
                {
                    _tape[_t1] = xs[_t1] * dXs;
                    seed += _tape[_t1] * xs[_t1];
                }

                return seed;
            }

            [Differentiable]
            public double ReadsFieldsNamedLikeAdjoints(double x) => x * x * dx + seed * x;

            [Differentiable]
            public static double CallsWithHostileNames(double x, double dx) => AdjointNamedParameter(dx, x) * SeedParameter(x, dx);
        }
        """;
}
