namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Numerical recipes, physics, finance, machine-learning losses and geometry written the way C# programmers write
/// them: guards first, small local helpers, patterns for piecewise definitions, indices from the end, the newer math
/// library. Each mixes the constructs of the everyday-C# issue.
/// </summary>
internal static class EverydayCorpus
{
    public const string Source = """
        using System;
        using System.Diagnostics;
        using StaticGrad;

        namespace Corpus;

        public static partial class Everyday
        {
            // domain: s=50..150 k=80..120 t=0.2..2 r=0..0.05 sigma=0.1..0.5
            [Differentiable]
            public static double BlackScholesCall(double s, double k, double t, double r, double sigma)
            {
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigma);
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(t);

                // Abramowitz–Stegun 7.1.26 through the logistic-free erf approximation.
                static double NormalCdf(double x)
                {
                    double z = Math.Abs(x) / Math.Sqrt(2);
                    double u = 1 / (1 + 0.3275911 * z);
                    double poly = u * (0.254829592 + u * (-0.284496736 + u * (1.421413741 + u * (-1.453152027 + u * 1.061405429))));
                    double erf = 1 - poly * Math.Exp(-z * z);
                    return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
                }

                double sqrtT = Math.Sqrt(t);
                double d1 = (Math.Log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * sqrtT);
                double d2 = d1 - sigma * sqrtT;
                return s * NormalCdf(d1) - k * Math.Exp(-r * t) * NormalCdf(d2);
            }

            // domain: principal=100..1000 rate=0.01..0.1 years=1..10 periods=1..12
            [Differentiable]
            public static double CompoundInterest(double principal, double rate, double years, int periods)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(periods, 1);
                return principal * double.Pow(1 + rate / periods, periods * years);
            }

            // domain: logits[5]=-2..2 target=0..4
            [Differentiable]
            public static double CrossEntropyWithLogits(double[] logits, int target)
            {
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(target, logits.Length);
                double LogSumExp(double[] values)
                {
                    double max = values[0];
                    for (int i = 1; i < values.Length; i++)
                        max = Math.Max(max, values[i]);
                    double sum = 0;
                    foreach (var v in values)
                        sum += Math.Exp(v - max);
                    return max + Math.Log(sum);
                }

                return LogSumExp(logits) - logits[target] + 0.001 * logits[^1] * logits[^1];
            }

            // domain: score=-2..2 label=0..1
            [Differentiable]
            public static double SmoothHinge(double score, int label)
            {
                double y = label is 1 ? 1.0 : -1.0;
                double margin = y * score;
                return margin switch
                {
                    >= 1 => 0,
                    <= 0 => 0.5 - margin,
                    _ => 0.5 * (1 - margin) * (1 - margin),
                };
            }

            // domain: logit=-3..3 gamma=1..3
            [Differentiable]
            public static double FocalLoss(double logit, double gamma)
            {
                double p = 1 / (1 + Math.Exp(-logit));
                Debug.Assert(p is >= 0 and <= 1, "probability out of range");
                if (p is < 1e-12 or > 1 - 1e-12)
                    throw new ArgumentOutOfRangeException(nameof(logit), logit, "saturated");
                return -Math.Pow(1 - p, gamma) * Math.Log(p);
            }

            // domain: x=-1..1 v=-1..1 c=0.1..0.5 k=1..2 dt=0.01..0.05 steps=2..6
            [Differentiable]
            public static double DampedOscillatorRk4(double x, double v, double c, double k, double dt, int steps)
            {
                double Acc(double position, double velocity) => -k * position - c * velocity;
                for (int i = 0; i < steps; i++)
                {
                    double k1x = v;
                    double k1v = Acc(x, v);
                    double k2x = v + 0.5 * dt * k1v;
                    double k2v = Acc(x + 0.5 * dt * k1x, v + 0.5 * dt * k1v);
                    double k3x = v + 0.5 * dt * k2v;
                    double k3v = Acc(x + 0.5 * dt * k2x, v + 0.5 * dt * k2v);
                    double k4x = v + dt * k3v;
                    double k4v = Acc(x + dt * k3x, v + dt * k3v);
                    x += dt / 6 * (k1x + 2 * k2x + 2 * k3x + k4x);
                    v += dt / 6 * (k1v + 2 * k2v + 2 * k3v + k4v);
                }

                return x * x + v * v;
            }

            // domain: speed=5..20 angle=10..80
            [Differentiable]
            public static double ProjectileRange(double speed, double angle)
            {
                const double G = 9.81;
                double theta = double.DegreesToRadians(angle);
                return speed * speed * Math.Sin(2 * theta) / G;
            }

            // domain: xs[5]=-1..1 ys[5]=-1..1
            [Differentiable]
            public static double ShoelaceArea(double[] xs, double[] ys)
            {
                double twice = xs[^1] * ys[0] - xs[0] * ys[^1];
                for (int i = 0; i + 1 < xs.Length; i++)
                    twice += xs[i] * ys[i + 1] - xs[i + 1] * ys[i];
                return 0.5 * twice;
            }

            // domain: px=-2..2 py=-2..2 ax=-1..0 ay=-1..1 bx=0.5..1.5 by=-1..1
            [Differentiable]
            public static double PointSegmentDistance(double px, double py, double ax, double ay, double bx, double by)
            {
                double dx = bx - ax, dy = by - ay;
                double t = Math.Clamp(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy), 0, 1);
                return double.Hypot(px - (ax + t * dx), py - (ay + t * dy));
            }

            // domain: a=3..4 b=3..4 c=3..4
            [Differentiable]
            public static double HeronArea(double a, double b, double c)
            {
                if (a + b <= c || a + c <= b || b + c <= a)
                    throw new ArgumentException("not a triangle");
                double s = (a + b + c) / 2;
                return Math.Sqrt(s * (s - a) * (s - b) * (s - c));
            }

            // domain: coeffs[4]=-1..1 x=-1..1
            [Differentiable]
            public static double Horner(double[] coeffs, double x)
            {
                double result = coeffs[^1];
                for (int i = coeffs.Length - 2; i >= 0; i--)
                    result = result * x + coeffs[i];
                return result;
            }

            // domain: a=0..1 b=1.5..2.5 omega=0.5..2
            [Differentiable]
            public static double SimpsonIntegral(double a, double b, double omega)
            {
                double F(double t) => Math.Sin(omega * t) * Math.Exp(-0.1 * t);
                const int N = 8;
                double h = (b - a) / N;
                double sum = F(a) + F(b);
                for (int i = 1; i < N; i++)
                {
                    double weight = i % 2 == 1 ? 4 : 2;
                    sum += weight * F(a + i * h);
                }

                return sum * h / 3;
            }

            // domain: samples[6]=-1..1
            [Differentiable]
            public static double WelfordVariance(double[] samples)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(samples.Length, 2);
                double mean = 0, m2 = 0;
                int n = 0;
                foreach (var x in samples)
                {
                    n++;
                    double delta = x - mean;
                    mean += delta / n;
                    m2 += delta * (x - mean);
                }

                return m2 / (n - 1);
            }

            // domain: a=-2..2 b=-2..2 mode=0..2 temperature=0.5..2
            [Differentiable]
            public static double SmoothMaximum(double a, double b, int mode, double temperature)
            {
                switch (mode)
                {
                    case 0:
                        return Math.Max(a, b);
                    case 1 when temperature > 0:
                        double m = Math.Max(a, b);
                        return m + temperature * Math.Log(Math.Exp((a - m) / temperature) + Math.Exp((b - m) / temperature));
                    default:
                        return 0.5 * (a + b + Math.Sqrt((a - b) * (a - b) + temperature));
                }
            }

            // domain: x=-1..1 y=-1..1 t=0..1
            [Differentiable]
            public static float BlendedDistanceF(float x, float y, float t)
            {
                static float Ease(float u) => u * u * (3f - 2f * u);
                return float.Lerp(float.Hypot(x, y), MathF.Abs(x) + MathF.Abs(y), Ease(t));
            }
        }
        """;
}
