namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 20's domain corpus, finance and statistics: bond price and duration from a cash-flow array, SABR with
/// guards that throw with interpolated messages, Heston characteristic pieces in real arithmetic, Black-Scholes
/// with a local normal CDF, log-sum-exp with the max trick, a Student-t log-pdf through a Lanczos log-gamma helper,
/// and a Kalman update over <c>double[,]</c>.
/// </summary>
internal static partial class Session20DomainCorpus
{
    public const string FinanceSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S20NumberExtensions
        {
            // domain: x=-2..2
            [Differentiable]
            public static double Squared(this double x) => x * x;

            // domain: rate=0..0.1 time=0.5..5
            [Differentiable]
            public static double DiscountFactor(this double rate, double time) => Math.Exp(-rate * time);
        }

        public static partial class S20Finance
        {
            private const int PaymentsPerYear = 2;
            private static readonly double[] LanczosCoefficients =
            {
                676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
                12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
            };

            // domain: yield=0.01..0.1 cashFlows[6]=1..5
            [Differentiable]
            public static double BondPrice(double yield, double[] cashFlows)
            {
                double price = 0;
                for (int i = 0; i < cashFlows.Length; i++)
                {
                    double t = (i + 1) / (double)PaymentsPerYear;
                    price += cashFlows[i] / Math.Pow(1 + yield / PaymentsPerYear, PaymentsPerYear * t);
                }

                return price;
            }

            // domain: yield=0.01..0.1 cashFlows[6]=1..5
            [Differentiable]
            public static double MacaulayDuration(double yield, double[] cashFlows)
            {
                double weighted = 0, price = 0;
                int period = 0;
                foreach (var cf in cashFlows)
                {
                    period++;
                    double t = (double)period / PaymentsPerYear;
                    double pv = cf * Math.Exp(-yield * t);
                    weighted += t * pv;
                    price += pv;
                }

                if (price <= 0)
                    throw new InvalidOperationException($"Price {price} must be positive for {nameof(MacaulayDuration)}.");
                return weighted / price;
            }

            // domain: yield=0.01..0.1 cashFlows[6]=1..5
            [Differentiable]
            public static double ModifiedDuration(double yield, double[] cashFlows) =>
                MacaulayDuration(yield, cashFlows) / (1 + yield / PaymentsPerYear);

            // domain: f=0.02..0.05 k=0.055..0.08 alpha=0.1..0.4 beta=0.3..0.7 rho=-0.5..0.5 nu=0.2..0.8 t=0.5..3
            [Differentiable]
            public static double SabrVolatility(double f, double k, double alpha, [NoGrad] double beta, double rho, double nu, double t)
            {
                if (f <= 0 || k <= 0)
                    throw new ArgumentOutOfRangeException(nameof(f), $"Forward {f} and strike {k} must be positive.");
                if (alpha <= 0) throw new ArgumentOutOfRangeException(nameof(alpha));

                var oneMinusBeta = 1 - beta;
                var fk = f * k;
                var logFk = Math.Log(f / k);
                var fkBeta = Math.Pow(fk, oneMinusBeta / 2);
                var z = nu / alpha * fkBeta * logFk;
                var x = Math.Log((Math.Sqrt(1 - 2 * rho * z + z * z) + z - rho) / (1 - rho));
                var denominator = fkBeta * (1 + oneMinusBeta.Squared() / 24 * logFk * logFk + Math.Pow(oneMinusBeta, 4) / 1920 * Math.Pow(logFk, 4));
                var correction = 1 + (oneMinusBeta.Squared() / 24 * alpha * alpha / Math.Pow(fk, oneMinusBeta)
                    + 0.25 * rho * beta * nu * alpha / fkBeta
                    + (2 - 3 * rho * rho) / 24 * nu * nu) * t;
                return alpha / denominator * (z / x) * correction;
            }

            // domain: kappa=1..3 theta=0.02..0.08 sigma=0.2..0.5 rho=-0.8..-0.2 u=0.1..0.9 t=0.25..2
            [Differentiable]
            public static double HestonLogMgf(double kappa, double theta, double sigma, double rho, double u, double t)
            {
                // The moment generating function E[exp(u log S_T)] for real u in (0, 1): real arithmetic throughout.
                var b = kappa - rho * sigma * u;
                var d = Math.Sqrt(b * b - sigma * sigma * (u * u - u));
                var g = (b - d) / (b + d);
                var edt = Math.Exp(-d * t);
                var bigD = (b - d) / (sigma * sigma) * (1 - edt) / (1 - g * edt);
                var bigC = kappa * theta / (sigma * sigma) * ((b - d) * t - 2 * Math.Log((1 - g * edt) / (1 - g)));
                return bigC + bigD * theta;
            }

            // domain: spot=80..120 strike=90..110 vol=0.1..0.4 rate=0..0.05 time=0.25..2
            [Differentiable]
            public static double BlackScholesCall(double spot, [NoGrad] double strike, double vol, double rate, double time)
            {
                static double NormalCdf(double x)
                {
                    // Abramowitz-Stegun 26.2.17 (|error| < 7.5e-8), written for x >= 0 and mirrored.
                    var z = Math.Abs(x);
                    var k = 1 / (1 + 0.2316419 * z);
                    var poly = k * (0.319381530 + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429))));
                    var tail = Math.Exp(-z * z / 2) / Math.Sqrt(2 * Math.PI) * poly;
                    return x >= 0 ? 1 - tail : tail;
                }

                var sqrtT = Math.Sqrt(time);
                var d1 = (Math.Log(spot / strike) + (rate + vol * vol / 2) * time) / (vol * sqrtT);
                var d2 = d1 - vol * sqrtT;
                return spot * NormalCdf(d1) - strike * rate.DiscountFactor(time) * NormalCdf(d2);
            }

            // domain: rate=0.01..0.08 payment=50..150 n=5..30
            [Differentiable]
            public static double AnnuityPresentValue(double rate, double payment, int n)
            {
                if (n <= 0) return 0;
                return payment * (1 - Math.Pow(1 + rate, -n)) / rate;
            }

            // domain: w[3]=0.1..1 cov[3x3]=-0.2..0.2
            [Differentiable]
            public static double PortfolioVariance(double[] w, double[,] cov)
            {
                double variance = 0;
                for (int i = 0; i < w.Length; i++)
                    for (int j = 0; j < w.Length; j++)
                        variance += w[i] * w[j] * 0.5 * (cov[i, j] + cov[j, i]);
                return variance + 0.05 * w.Length;
            }

            // domain: zeroRates[5]=0.01..0.06
            [Differentiable]
            public static double ForwardRateSpread(double[] zeroRates)
            {
                double spread = 0;
                for (int i = 1; i < zeroRates.Length; i++)
                {
                    int previous = checked(i - 1);
                    double t0 = previous + 1, t1 = unchecked(i + 1);
                    double forward = (zeroRates[i] * t1 - zeroRates[previous] * t0) / (t1 - t0);
                    spread += (forward - zeroRates[i]).Squared();
                }

                return spread;
            }

            // domain: wealth=-1..3 riskAversion=0.5..2
            [Differentiable]
            public static double ClampedUtility(double wealth, double riskAversion)
            {
                var w = Math.Clamp(wealth, 0.0, 2.0);
                return (1 - Math.Exp(-riskAversion * w)) / riskAversion + 0.01 * wealth;
            }

            [Differentiable]
            private static double LogGamma(double z)
            {
                // Lanczos (g = 7) for z >= 0.5, as numerical recipes write it.
                z -= 1;
                var x = 0.99999999999980993;
                for (var i = 0; i < LanczosCoefficients.Length; i++)
                    x += LanczosCoefficients[i] / (z + i + 1);
                var t = z + LanczosCoefficients.Length - 0.5;
                return 0.5 * Math.Log(2 * Math.PI) + (z + 0.5) * Math.Log(t) - t + Math.Log(x);
            }

            // domain: x=-3..3 mu=-1..1 sigma=0.5..2 nu=1..10
            [Differentiable]
            public static double StudentTLogPdf(double x, double mu, double sigma, double nu)
            {
                if (sigma <= 0) throw new ArgumentOutOfRangeException(nameof(sigma), $"scale must be positive, was {sigma}");
                var z = (x - mu) / sigma;
                return LogGamma((nu + 1) / 2) - LogGamma(nu / 2) - 0.5 * Math.Log(nu * Math.PI) - Math.Log(sigma)
                    - (nu + 1) / 2 * Math.Log(1 + z * z / nu);
            }

            // domain: x[5]=-3..3
            [Differentiable]
            public static double LogSumExp(double[] x)
            {
                var max = double.NegativeInfinity;
                foreach (var v in x)
                    if (v > max) max = v;
                double sum = 0;
                foreach (var v in x)
                    sum += Math.Exp(v - max);
                return max + Math.Log(sum);
            }

            // domain: state[2]=-1..1 cov[2x2]=0.5..1 z=-1..1 r=0.1..1
            [Differentiable]
            public static double KalmanUpdate(double[] state, double[,] cov, double z, double r)
            {
                // H = [1 0]: innovation, its variance, gain, and the updated state and covariance.
                var p00 = cov[0, 0] + 0.5;
                var p10 = cov[1, 0];
                var p11 = cov[1, 1] + 0.5;
                var innovation = z - state[0];
                var s = p00 + r;
                var gain = new double[] { p00 / s, p10 / s };
                var updated = new double[2];
                for (var i = 0; i < 2; i++)
                    updated[i] = state[i] + gain[i] * innovation;
                var posterior11 = p11 - gain[1] * p10;
                var logLikelihood = -0.5 * (Math.Log(2 * Math.PI * s) + innovation * innovation / s);
                return updated[0] * updated[1] + posterior11 + logLikelihood;
            }

            // domain: x[4]=-2..2 mu=-1..1 logSigma=-1..1
            [Differentiable]
            public static double GaussianNll(ReadOnlySpan<double> x, double mu, double logSigma)
            {
                var inverseVariance = Math.Exp(-2 * logSigma);
                double nll = 0;
                foreach (var v in x)
                    nll += 0.5 * (v - mu).Squared() * inverseVariance + logSigma;
                return nll + 0.5 * x.Length * Math.Log(2 * Math.PI);
            }

            // domain: values[5]=-2..2 weights[5]=0.1..1
            [Differentiable]
            public static double WeightedVariance(double[] values, double[] weights)
            {
                var pairs = new (double Value, double Weight)[values.Length];
                for (var i = 0; i < values.Length; i++)
                    pairs[i] = (values[i], weights[i]);
                double total = 0, mean = 0;
                foreach (var (value, weight) in pairs)
                {
                    total += weight;
                    mean += weight * value;
                }

                mean /= total;
                double variance = 0;
                foreach (var p in pairs)
                    variance += p.Weight * (p.Value - mean) * (p.Value - mean);
                return variance / total;
            }

            // domain: x[6]=-2..2
            [Differentiable]
            public static double WelfordVariance(Span<double> x)
            {
                double mean = 0, m2 = 0;
                var n = 0;
                for (var i = 0; i < x.Length; i++)
                {
                    n++;
                    var delta = x[i] - mean;
                    mean += delta / n;
                    m2 += delta * (x[i] - mean);
                }

                return n < 2 ? 0 : m2 / (n - 1);
            }

            // domain: x=-3..3 mu1=-1..0 mu2=0..1 logit=-1..1
            [Differentiable]
            public static double MixtureLogPdf(double x, double mu1, double mu2, double logit)
            {
                var weight = 1 / (1 + Math.Exp(-logit));
                var a = Math.Log(weight) - 0.5 * (x - mu1).Squared();
                var b = Math.Log(1 - weight) - 0.5 * (x - mu2).Squared();
                var m = Math.Max(a, b);
                return m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m)) - 0.5 * Math.Log(2 * Math.PI);
            }
        }
        """;
}
