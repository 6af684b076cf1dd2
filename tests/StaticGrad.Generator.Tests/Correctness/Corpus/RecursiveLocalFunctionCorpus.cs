namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Recursive local functions as numeric code writes them: a recursive power and Horner scheme, adaptive Simpson
/// integration with a depth limit, a continued fraction evaluated from its tail, two local functions calling each
/// other, divide-and-conquer sums over an array, and helpers reading active variables of the method. None is marked
/// [Differentiable]: each is lifted to a member and differentiated as a callee of the method.
/// </summary>
internal static class RecursiveLocalFunctionCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class RecursiveLocals
        {
            // domain: b=0.5..1.5 k=0..5
            [Differentiable]
            public static double RecursivePower(double b, int k)
            {
                static double Pow(double x, int n) => n == 0 ? 1 : x * Pow(x, n - 1);
                return Pow(b, k) + Pow(b + 1, 2);
            }

            // domain: c[5]=-1..1 x=-1.2..1.2
            [Differentiable]
            public static double RecursiveHorner(double[] c, double x)
            {
                double Horner(int i) => i == c.Length - 1 ? c[i] : c[i] + x * Horner(i + 1);
                return Horner(0);
            }

            // domain: k=0.3..2 upper=0.5..2 depth=0..4
            [Differentiable]
            public static double AdaptiveSimpson(double k, double upper, int depth)
            {
                double F(double t) => Math.Exp(-k * t * t);

                double Simpson(double a, double b, double fa, double fm, double fb, double whole, int level)
                {
                    double m = 0.5 * (a + b);
                    double lm = 0.5 * (a + m);
                    double rm = 0.5 * (m + b);
                    double flm = F(lm);
                    double frm = F(rm);
                    double left = (m - a) / 6 * (fa + 4 * flm + fm);
                    double right = (b - m) / 6 * (fm + 4 * frm + fb);
                    if (level <= 0)
                        return left + right + (left + right - whole) / 15;
                    return Simpson(a, m, fa, flm, fm, left, level - 1) + Simpson(m, b, fm, frm, fb, right, level - 1);
                }

                double f0 = F(0);
                double fmid = F(0.5 * upper);
                double f1 = F(upper);
                return Simpson(0, upper, f0, fmid, f1, upper / 6 * (f0 + 4 * fmid + f1), depth);
            }

            // tan(x) from its continued fraction x / (1 - x² / (3 - x² / (5 - ...))).
            // domain: x=-1..1 depth=1..6
            [Differentiable]
            public static double ContinuedFractionTan(double x, int depth)
            {
                double Tail(int k) => k > depth ? 2 * k - 1 : 2 * k - 1 - x * x / Tail(k + 1);
                return x / Tail(1);
            }

            // domain: x=-1..1 a=-0.5..0.5 n=0..6
            [Differentiable]
            public static double MutualRecursion(double x, double a, int n)
            {
                double Even(double v, int m) => m == 0 ? v * v : Odd(v * 0.9, m - 1);
                double Odd(double v, int m) => m == 0 ? Math.Sin(v) : Even(v + a, m - 1);
                return Even(x, n) + Odd(x, n);
            }

            // domain: w=-1..1 x=-1..1 n=0..5
            [Differentiable]
            public static double CapturesActiveLocal(double w, double x, int n)
            {
                double scale = Math.Exp(0.3 * w);
                double Decay(double v, int m) => m == 0 ? v : scale * Decay(0.5 * v, m - 1) + Math.Sin(v);
                return Decay(x, n) * scale;
            }

            // domain: xs[7]=-1..1
            [Differentiable]
            public static double DivideAndConquerSum(double[] xs)
            {
                double Sum(int lo, int hi)
                {
                    if (hi - lo == 1)
                        return Math.Sin(xs[lo]) * xs[lo];
                    int mid = (lo + hi) / 2;
                    double left = Sum(lo, mid);
                    double right = Sum(mid, hi);
                    return left + right + 0.1 * left * right;
                }

                return Sum(0, xs.Length);
            }

            // domain: v[5]=-1..1
            [Differentiable]
            public static double RecursiveNormOfSlices(double[] v)
            {
                static double SquaredNorm(ReadOnlySpan<double> s) => s.Length == 0 ? 0 : s[0] * s[0] + SquaredNorm(s[1..]);
                return Math.Sqrt(SquaredNorm(v) + 1e-3);
            }

            // domain: x=0.5..1.5 y=-1..1 n=0..4
            [Differentiable]
            public static float RecursiveFloat(float x, float y, int n)
            {
                float Step(float v, int m) => m == 0 ? v : Step(v * x + y * 0.5f, m - 1);
                return Step(y, n) + x;
            }

            // A recursive helper calling a non-recursive one that reads an outer loop's local.
            // domain: x=-1..1 n=1..3
            [Differentiable]
            public static double RecursionInsideLoop(double x, int n)
            {
                double total = 0;
                for (int i = 0; i < n; i++)
                {
                    double shift = 0.1 * i + x;
                    double Shifted(double v) => v + shift;
                    double Nest(double v, int m) => m == 0 ? Math.Cos(v) : Nest(Shifted(v) * 0.7, m - 1);
                    total += Nest(x * shift, i + 1);
                }

                return total;
            }
        }

        public partial class DampedChain
        {
            private readonly double _damping = 0.8;

            // A recursive local function of an instance method, reading a field and a loop bound of the method.
            // domain: x=-1..1 links=1..5
            [Differentiable]
            public double ChainEnd(double x, int links)
            {
                double Link(double v, int k) => k == links ? v : Link(_damping * Math.Tanh(v + 0.2 * k), k + 1);
                return Link(x, 0) + Link(0.5 * x, links - 1);
            }
        }

        public partial struct Ladder
        {
            private const double Ratio = 0.6;

            // domain: r=0.5..2 rungs=0..4
            [Differentiable]
            public double Resistance(double r, int rungs)
            {
                static double Parallel(double a, double b) => a * b / (a + b);
                double Rung(double load, int k) => k == 0 ? load : Rung(r + Parallel(r * Ratio, load), k - 1);
                return Rung(r, rungs);
            }
        }
        """;
}
