namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 23's domain corpus, statistics and machine-learning losses: log-densities of the normal, Student-t, gamma
/// and beta distributions through a Lanczos log-gamma (with and without the reflection formula), log-sum-exp over a
/// span, Welford's running mean and variance with tuple updates, mixtures, softmax cross-entropy with a range guard,
/// Huber, focal and contrastive losses, cosine similarity, layer and RMS norm over spans, attention over
/// <c>double[,]</c>, GELU. Test points as in <see cref="Session23DomainCorpus.RoboticsSource"/>.
/// </summary>
internal static partial class Session23DomainCorpus
{
    public const string StatisticsSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S23Statistics
        {
            private static readonly double[] Lanczos =
            {
                0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                1.5056327351493116e-7,
            };

            private static readonly int[] EventCounts = { 3, 0, 5, 2, 7, 1 };

            // domain: z=0.6..8
            // near: z=0.5001
            // edge: z=30
            // throws: z=-1
            [Differentiable]
            public static double LogGamma(double z)
            {
                if (z <= 0) throw new ArgumentOutOfRangeException(nameof(z), z, "LogGamma needs a positive argument.");
                z -= 1;
                var x = Lanczos[0];
                for (var i = 1; i < Lanczos.Length; i++)
                    x += Lanczos[i] / (z + i);
                var t = z + 7.5;
                return 0.5 * Math.Log(2 * Math.PI) + (z + 0.5) * Math.Log(t) - t + Math.Log(x);
            }

            // domain: z=0.1..3
            // near: z=0.4999
            // edge: z=0.001
            [Differentiable]
            public static double LogGammaReflected(double z)
            {
                // Reflection for z < 1/2, as Numerical Recipes writes it: Γ(z)Γ(1−z) = π / sin(πz).
                if (z < 0.5)
                    return Math.Log(Math.PI / Math.Sin(Math.PI * z)) - LogGamma(1 - z);
                return LogGamma(z);
            }

            // domain: x=-3..3 mu=-1..1 sigma=0.3..2
            // near: x=0.0000001 mu=0
            // edge: x=40 mu=0 sigma=0.3
            // throws: sigma=0
            [Differentiable]
            public static double NormalLogPdf(double x, double mu, double sigma)
            {
                if (sigma <= 0) throw new ArgumentOutOfRangeException(nameof(sigma), "The standard deviation must be positive.");
                var z = (x - mu) / sigma;
                return -0.5 * z * z - Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI);
            }

            // domain: x=-3..3 nu=1..10 mu=-1..1 scale=0.5..2
            // near: nu=1.0001
            // edge: x=1000 nu=1 mu=0 scale=0.5
            [Differentiable]
            public static double StudentTLogPdf(double x, double nu, double mu, double scale)
            {
                var z = (x - mu) / scale;
                return LogGamma((nu + 1) / 2) - LogGamma(nu / 2) - 0.5 * Math.Log(nu * Math.PI) - Math.Log(scale)
                    - (nu + 1) / 2 * Math.Log(1 + z * z / nu);
            }

            // domain: x=0.2..5 shape=0.8..5 rate=0.5..3
            // near: shape=1.00001
            // edge: x=0.001 shape=5 rate=3
            // throws: x=-1
            [Differentiable]
            public static double GammaLogPdf(double x, double shape, double rate)
            {
                if (x <= 0) throw new ArgumentOutOfRangeException(nameof(x), "The gamma density lives on x > 0.");
                return shape * Math.Log(rate) - LogGamma(shape) + (shape - 1) * Math.Log(x) - rate * x;
            }

            // domain: x=0.05..0.95 a=0.6..5 b=0.6..5
            // near: x=0.5 a=1 b=1
            // edge: x=0.999 a=5 b=0.6
            [Differentiable]
            public static double BetaLogPdf(double x, double a, double b)
            {
                var logBeta = LogGamma(a) + LogGamma(b) - LogGamma(a + b);
                return (a - 1) * Math.Log(x) + (b - 1) * Math.Log(1 - x) - logBeta;
            }

            // domain: xs[6]=-3..3
            // near: xs=1
            // edge: xs[0]=700 xs[1]=-700
            [Differentiable]
            public static double LogSumExp(ReadOnlySpan<double> xs)
            {
                var max = double.NegativeInfinity;
                foreach (var x in xs)
                    if (x > max) max = x;
                if (!double.IsFinite(max)) return max;
                var sum = 0.0;
                foreach (var x in xs)
                    sum += Math.Exp(x - max);
                return max + Math.Log(sum);
            }

            // domain: samples[7]=-2..2
            // near: samples=0.5 samples[3]=0.5000001
            // edge: samples=1e6 samples[0]=1.000001e6
            [Differentiable]
            public static double WelfordVariance(double[] samples)
            {
                var (count, mean, m2) = (0, 0.0, 0.0);
                foreach (var x in samples)
                {
                    count++;
                    var delta = x - mean;
                    mean += delta / count;
                    m2 += delta * (x - mean);
                }
                return count > 1 ? m2 / (count - 1) : 0.0;
            }

            // domain: samples[6]=-2..2
            // near: samples=0.25
            // edge: samples=0
            [Differentiable]
            public static double WelfordTupleMeanPlusStd(double[] samples)
            {
                double mean = 0, m2 = 0;
                for (var n = 1; n <= samples.Length; n++)
                {
                    var x = samples[n - 1];
                    var newMean = mean + (x - mean) / n;
                    (mean, m2) = (newMean, m2 + (x - mean) * (x - newMean));
                }
                return mean + Math.Sqrt(m2 / samples.Length + 1e-12);
            }

            // domain: data[6]=-3..3 weight=0.2..0.8 mu1=-2..0 mu2=0..2 sigma=0.5..1.5
            // near: mu1=-0.00001 mu2=0.00001
            // edge: data=30 weight=0.2 mu1=-2 mu2=2 sigma=0.5
            [Differentiable]
            public static double GaussianMixtureLogLikelihood(double[] data, double weight, double mu1, double mu2, double sigma)
            {
                var total = 0.0;
                var norm = -Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI);
                foreach (var x in data)
                {
                    var a = Math.Log(weight) + norm - 0.5 * Math.Pow((x - mu1) / sigma, 2);
                    var b = Math.Log(1 - weight) + norm - 0.5 * Math.Pow((x - mu2) / sigma, 2);
                    var m = Math.Max(a, b);
                    total += m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m));
                }
                return total;
            }

            // domain: logRates[6]=-1..2
            // near: logRates=0
            // edge: logRates=-30
            [Differentiable]
            public static double PoissonLogLikelihood(double[] logRates)
            {
                var ll = 0.0;
                for (var i = 0; i < EventCounts.Length; i++)
                {
                    var k = EventCounts[i];
                    ll += k * logRates[i] - Math.Exp(logRates[i]) - LogGamma(k + 1);
                }
                return ll;
            }

            // domain: xs[8]=-2..2
            // near: xs[0]=1.9
            // edge: xs[0]=100
            [Differentiable]
            public static double WinsorizedZScoreEnergy(double[] xs)
            {
                var mean = 0.0;
                foreach (var x in xs) mean += x;
                mean /= xs.Length;
                var variance = 0.0;
                foreach (var x in xs) variance += (x - mean) * (x - mean);
                var std = Math.Sqrt(variance / (xs.Length - 1));
                var energy = 0.0;
                foreach (var x in xs)
                {
                    var z = Math.Clamp((x - mean) / std, -2.0, 2.0);
                    energy += z * z;
                }
                return energy;
            }

            // domain: mu1=-1..1 s1=0.5..2 mu2=-1..1 s2=0.5..2
            // near: mu1=0 mu2=0.000001 s1=1 s2=1
            // edge: mu1=10 s1=0.01 mu2=-10 s2=2
            [Differentiable]
            public static double KlDivergenceNormal(double mu1, double s1, double mu2, double s2) =>
                Math.Log(s2 / s1) + (s1 * s1 + (mu1 - mu2) * (mu1 - mu2)) / (2 * s2 * s2) - 0.5;

            // domain: series[8]=-1..1 alpha=0.1..0.5
            // near: alpha=0.1
            // edge: series=0 alpha=0.99
            [Differentiable]
            public static double ExponentialMovingVolatility(double[] series, double alpha)
            {
                double mean = series[0], variance = 0;
                for (var i = 1; i < series.Length; i++)
                {
                    var diff = series[i] - mean;
                    var increment = alpha * diff;
                    mean += increment;
                    variance = (1 - alpha) * (variance + diff * increment);
                }
                return Math.Sqrt(variance + 1e-12);
            }
        }
        """;

    public const string MlSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S23Ml
        {
            private static readonly double[] Labels = { 1, 0, 1, 1, 0 };

            // domain: logits[5]=-3..3 target=0..4
            // near: logits=0.5
            // edge: logits[0]=500 logits[1]=-500 target=1
            // throws: target=7
            [Differentiable]
            public static double SoftmaxCrossEntropy(ReadOnlySpan<double> logits, int target)
            {
                if ((uint)target >= (uint)logits.Length)
                    throw new ArgumentOutOfRangeException(nameof(target), target, "The target class is out of range.");
                var max = logits[0];
                for (var i = 1; i < logits.Length; i++)
                    max = Math.Max(max, logits[i]);
                var sum = 0.0;
                foreach (var z in logits)
                    sum += Math.Exp(z - max);
                return Math.Log(sum) + max - logits[target];
            }

            // domain: logits[4]=-2..2 target=0..3 smoothing=0.05..0.2
            // near: smoothing=0.0001
            // edge: logits=0 smoothing=0.5
            [Differentiable]
            public static double LabelSmoothedCrossEntropy(double[] logits, int target, double smoothing)
            {
                var max = double.MinValue;
                foreach (var z in logits) max = z > max ? z : max;
                var logSum = 0.0;
                foreach (var z in logits) logSum += Math.Exp(z - max);
                logSum = Math.Log(logSum) + max;
                var loss = 0.0;
                for (var k = 0; k < logits.Length; k++)
                {
                    var q = k == target ? 1 - smoothing + smoothing / logits.Length : smoothing / logits.Length;
                    loss -= q * (logits[k] - logSum);
                }
                return loss;
            }

            // domain: predictions[5]=-2..2 targets[5]=-2..2 delta=0.5..1.5
            // near: predictions=1 targets=0 delta=1.0001
            // edge: predictions=1e3 targets=-1e3 delta=0.5
            [Differentiable]
            public static double HuberLoss(double[] predictions, double[] targets, double delta)
            {
                var loss = 0.0;
                for (var i = 0; i < predictions.Length; i++)
                {
                    var r = predictions[i] - targets[i];
                    loss += Math.Abs(r) <= delta ? 0.5 * r * r : delta * (Math.Abs(r) - 0.5 * delta);
                }
                return loss / predictions.Length;
            }

            // domain: logit=-3..3 gamma=0.5..3 alpha=0.1..0.9 positive=0..1
            // near: logit=0.00001 gamma=2
            // edge: logit=40 gamma=2 positive=0
            [Differentiable]
            public static double FocalLoss(double logit, double gamma, double alpha, bool positive)
            {
                var p = 1 / (1 + Math.Exp(-logit));
                var (pt, weight) = positive ? (p, alpha) : (1 - p, 1 - alpha);
                return -weight * Math.Pow(1 - pt, gamma) * Math.Log(Math.Max(pt, 1e-12));
            }

            // domain: a[5]=-1..1 b[5]=-1..1
            // near: a=1 b=1.000001
            // edge: a=1e6
            [Differentiable]
            public static double CosineSimilarity(double[] a, double[] b)
            {
                double dot = 0, na = 0, nb = 0;
                for (var i = 0; i < a.Length; i++)
                {
                    dot += a[i] * b[i];
                    na += a[i] * a[i];
                    nb += b[i] * b[i];
                }
                if (na == 0 || nb == 0) return 0;
                return dot / (Math.Sqrt(na) * Math.Sqrt(nb));
            }

            // domain: x[6]=-2..2 gamma=0.5..1.5 beta=-0.5..0.5
            // near: x=0.3 x[0]=0.31
            // edge: x=1e4 x[5]=-1e4
            [Differentiable]
            public static double LayerNormEnergy(Span<double> x, double gamma, double beta)
            {
                const double eps = 1e-5;
                var mean = 0.0;
                foreach (var v in x) mean += v;
                mean /= x.Length;
                var variance = 0.0;
                foreach (var v in x) variance += (v - mean) * (v - mean);
                variance /= x.Length;
                var inv = 1.0 / Math.Sqrt(variance + eps);
                var energy = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    var y = gamma * (x[i] - mean) * inv + beta;
                    energy += (i + 1) * y * y;
                }
                return energy;
            }

            // domain: x[6]=-2..2
            // near: x=0.5 x[0]=0.001
            // edge: x=100 x[0]=-100
            [Differentiable]
            public static float RmsNormFirst(float[] x)
            {
                var sumSquares = 0f;
                foreach (var v in x) sumSquares += v * v;
                var rms = MathF.Sqrt(sumSquares / x.Length + 1e-6f);
                return x[0] / rms + 0.5f * x[^1] / rms;
            }

            // domain: q[3x4]=-1..1 k[3x4]=-1..1
            // near: q=0.1 k=0.1
            // edge: q=30 k=30
            [Differentiable]
            public static double AttentionEntropy(double[,] q, double[,] k)
            {
                int n = q.GetLength(0), d = q.GetLength(1);
                var scale = 1.0 / Math.Sqrt(d);
                var entropy = 0.0;
                for (var i = 0; i < n; i++)
                {
                    var scores = new double[n];
                    var max = double.NegativeInfinity;
                    for (var j = 0; j < n; j++)
                    {
                        var s = 0.0;
                        for (var c = 0; c < d; c++) s += q[i, c] * k[j, c];
                        scores[j] = s * scale;
                        if (scores[j] > max) max = scores[j];
                    }
                    var z = 0.0;
                    for (var j = 0; j < n; j++) z += Math.Exp(scores[j] - max);
                    for (var j = 0; j < n; j++)
                    {
                        var p = Math.Exp(scores[j] - max) / z;
                        entropy -= p * Math.Log(p + 1e-300);
                    }
                }
                return entropy;
            }

            // domain: q[2x3]=-1..1 k[2x3]=-1..1 v[2x3]=-1..1
            // near: v=0
            // edge: q=0 k=0
            [Differentiable]
            public static double AttentionOutputSum(double[,] q, double[,] k, double[,] v)
            {
                var rows = q.GetLength(0);
                var dim = q.GetLength(1);
                var total = 0.0;
                for (var i = 0; i < rows; i++)
                {
                    var weights = new double[rows];
                    var z = 0.0;
                    for (var j = 0; j < rows; j++)
                    {
                        var dot = 0.0;
                        for (var c = 0; c < dim; c++) dot = Math.FusedMultiplyAdd(q[i, c], k[j, c], dot);
                        weights[j] = Math.Exp(dot / Math.Sqrt(dim));
                        z += weights[j];
                    }
                    for (var j = 0; j < rows; j++)
                        for (var c = 0; c < dim; c++)
                            total += weights[j] / z * v[j, c] * (c + 1);
                }
                return total;
            }

            // domain: x[4]=-2..2 w[4]=-1..1
            // near: x=0.00001 w=1
            // edge: x=10 w=10
            [Differentiable]
            public static double GeluNeuron(double[] x, double[] w)
            {
                const double sqrt2OverPi = 0.7978845608028654;
                var pre = 0.0;
                for (var i = 0; i < x.Length; i++) pre += w[i] * x[i];
                var inner = sqrt2OverPi * (pre + 0.044715 * pre * pre * pre);
                return 0.5 * pre * (1 + Math.Tanh(inner));
            }

            // domain: a[3]=-1..1 b[3]=-1..1 margin=0.5..2 similar=0..1
            // near: a=0 b=0.3 margin=0.5197 similar=0
            // edge: a=0 b=0 similar=1
            [Differentiable]
            public static double ContrastiveLoss(double[] a, double[] b, double margin, bool similar)
            {
                var d2 = 0.0;
                for (var i = 0; i < a.Length; i++) d2 += (a[i] - b[i]) * (a[i] - b[i]);
                var d = Math.Sqrt(d2 + 1e-12);
                return similar ? d2 : Math.Pow(Math.Max(0, margin - d), 2);
            }

            // domain: anchor[3]=-1..1 positive[3]=-1..1 negative[3]=-1..1
            // near: anchor=0 positive=0.1 negative=0.2
            // edge: anchor=5 positive=-5 negative=5
            [Differentiable]
            public static double TripletMarginLoss(double[] anchor, double[] positive, double[] negative)
            {
                const double margin = 0.2;
                static double Distance(double[] u, double[] v)
                {
                    var s = 0.0;
                    for (var i = 0; i < u.Length; i++) s += (u[i] - v[i]) * (u[i] - v[i]);
                    return Math.Sqrt(s + 1e-12);
                }
                var gap = Distance(anchor, positive) - Distance(anchor, negative) + margin;
                return gap > 0 ? gap : 0;
            }

            // domain: w[3]=-1..1 bias=-0.5..0.5
            // near: w=0 bias=0
            // edge: w=20 bias=-20
            [Differentiable]
            public static double LogisticRegressionNll(double[] w, double bias)
            {
                double[,] features = { { 0.5, -1.0, 2.0 }, { 1.5, 0.3, -0.7 }, { -0.2, 0.8, 0.1 }, { 1.0, 1.0, 1.0 }, { -1.3, 0.2, 0.4 } };
                var nll = 0.0;
                for (var i = 0; i < Labels.Length; i++)
                {
                    var z = bias;
                    for (var j = 0; j < w.Length; j++) z += features[i, j] * w[j];
                    // log(1 + e^z) without overflow, then the label's share.
                    var softplus = z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
                    nll += softplus - Labels[i] * z;
                }
                return nll;
            }
        }
        """;
}
