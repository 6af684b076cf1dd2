namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 20's domain corpus, machine learning: softmax cross-entropy with the max trick, layer norm, Huber and
/// log-cosh losses, attention over small <c>double[,]</c> matrices, a two-layer perceptron, GELU, focal loss,
/// cosine similarity over spans, and an is-pattern guard on the label.
/// </summary>
internal static partial class Session20DomainCorpus
{
    public const string MlSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S20Ml
        {
            private const double Epsilon = 1e-5;
            private static readonly double SqrtTwoOverPi = Math.Sqrt(2 / Math.PI);

            // domain: logits[4]=-3..3 label=0..3
            [Differentiable]
            public static double SoftmaxCrossEntropy(double[] logits, int label)
            {
                if (label is < 0 || label >= logits.Length)
                    throw new ArgumentOutOfRangeException(nameof(label), $"label {label} outside 0..{logits.Length - 1}");
                double max = logits[0];
                for (int i = 1; i < logits.Length; i++)
                    max = Math.Max(max, logits[i]);
                double sum = 0;
                for (int i = 0; i < logits.Length; i++)
                    sum += Math.Exp(logits[i] - max);
                return Math.Log(sum) + max - logits[label];
            }

            // domain: x[5]=-2..2 gamma[5]=0.5..1.5 beta[5]=-0.5..0.5
            [Differentiable]
            public static double LayerNorm(double[] x, double[] gamma, double[] beta)
            {
                double mean = 0;
                foreach (var v in x) mean += v;
                mean /= x.Length;
                double variance = 0;
                foreach (var v in x) variance += (v - mean) * (v - mean);
                variance /= x.Length;
                var inverseStd = 1 / Math.Sqrt(variance + Epsilon);
                double output = 0;
                for (var i = 0; i < x.Length; i++)
                {
                    var y = gamma[i] * (x[i] - mean) * inverseStd + beta[i];
                    output += y * (i + 1);
                }

                return output;
            }

            // domain: residuals[6]=-3..3 delta=0.5..1.5
            [Differentiable]
            public static double HuberLoss(double[] residuals, [NoGrad] double delta)
            {
                double loss = 0;
                foreach (var r in residuals)
                {
                    var a = Math.Abs(r);
                    loss += a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
                }

                return loss / residuals.Length;
            }

            // domain: predictions[5]=-3..3 targets[5]=-3..3
            [Differentiable]
            public static double LogCoshLoss(double[] predictions, [NoGrad] double[] targets)
            {
                double loss = 0;
                for (var i = 0; i < predictions.Length; i++)
                {
                    var x = predictions[i] - targets[i];
                    var a = Math.Abs(x);
                    // log cosh x = |x| + log(1 + e^{-2|x|}) - log 2, stable for large |x|
                    loss += a + Math.Log(1 + Math.Exp(-2 * a)) - Math.Log(2.0);
                }

                return loss;
            }

            // domain: q[2x3]=-1..1 k[3x3]=-1..1 v[3x2]=-1..1
            [Differentiable]
            public static double Attention(double[,] q, double[,] k, double[,] v)
            {
                int queries = q.GetLength(0), keys = k.GetLength(0), dim = q.GetLength(1), outDim = v.GetLength(1);
                var scale = 1 / Math.Sqrt(dim);
                double total = 0;
                var scores = new double[keys];
                for (var i = 0; i < queries; i++)
                {
                    var max = double.NegativeInfinity;
                    for (var j = 0; j < keys; j++)
                    {
                        double s = 0;
                        for (var d = 0; d < dim; d++)
                            s += q[i, d] * k[j, d];
                        scores[j] = s * scale;
                        if (scores[j] > max) max = scores[j];
                    }

                    double z = 0;
                    for (var j = 0; j < keys; j++)
                    {
                        scores[j] = Math.Exp(scores[j] - max);
                        z += scores[j];
                    }

                    for (var c = 0; c < outDim; c++)
                    {
                        double o = 0;
                        for (var j = 0; j < keys; j++)
                            o += scores[j] / z * v[j, c];
                        total += o * (i + c + 1);
                    }
                }

                return total;
            }

            // domain: x[3]=-1..1 w1[4x3]=-1..1 w2[4]=-1..1
            [Differentiable]
            public static double TwoLayerPerceptron(double[] x, double[,] w1, double[] w2)
            {
                double output = 0;
                for (var h = 0; h < w1.GetLength(0); h++)
                {
                    double pre = 0;
                    for (var i = 0; i < x.Length; i++)
                        pre = Math.FusedMultiplyAdd(w1[h, i], x[i], pre);
                    output += w2[h] * Math.Tanh(pre);
                }

                return output;
            }

            // domain: x[4]=-3..3
            [Differentiable]
            public static double GeluSum(ReadOnlySpan<double> x)
            {
                double sum = 0;
                foreach (var v in x)
                    sum += 0.5 * v * (1 + Math.Tanh(SqrtTwoOverPi * (v + 0.044715 * v * v * v)));
                return sum;
            }

            // domain: logit=-3..3 label=0..1 gammaFocus=1..3
            [Differentiable]
            public static double FocalLoss(double logit, int label, [NoGrad] double gammaFocus)
            {
                var p = 1 / (1 + Math.Exp(-logit));
                var pt = label == 1 ? p : 1 - p;
                return -Math.Pow(1 - pt, gammaFocus) * Math.Log(Math.Max(pt, 1e-12));
            }

            // domain: x[4]=-3..3
            [Differentiable]
            public static float SiluSum(float[] x)
            {
                var sum = 0f;
                for (var i = 0; i < x.Length; i++)
                    sum += x[i] / (1f + MathF.Exp(-x[i]));
                return sum;
            }

            // domain: a[4]=0.2..1 b[4]=0.2..1
            [Differentiable]
            public static double CosineSimilarity(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
            {
                if (a.Length != b.Length)
                    throw new ArgumentException($"Lengths differ: {a.Length} vs {b.Length}", nameof(b));
                double dot = 0, na = 0, nb = 0;
                for (var i = 0; i < a.Length; i++)
                {
                    dot += a[i] * b[i];
                    na += a[i] * a[i];
                    nb += b[i] * b[i];
                }

                return dot / (Math.Sqrt(na) * Math.Sqrt(nb));
            }

            // domain: w[4]=-1..1 lambda=0.01..0.1
            [Differentiable]
            public static double ElasticNetPenalty(double[] w, double lambda)
            {
                double l2 = 0, l1 = 0;
                foreach (var v in w)
                {
                    l2 += v * v;
                    l1 += Math.Abs(v);
                }

                return lambda * (0.5 * l2 + 0.1 * l1);
            }

            // domain: scores[4]=-2..2 temperature=0.5..2
            [Differentiable]
            public static double SoftmaxEntropy(double[] scores, double temperature)
            {
                var probabilities = new double[scores.Length];
                double max = scores[0], z = 0;
                for (var i = 1; i < scores.Length; i++)
                    if (scores[i] > max) max = scores[i];
                for (var i = 0; i < scores.Length; i++)
                {
                    probabilities[i] = Math.Exp((scores[i] - max) / temperature);
                    z += probabilities[i];
                }

                double entropy = 0;
                for (var i = 0; i < probabilities.Length; i++)
                {
                    var p = probabilities[i] / z;
                    entropy -= p * Math.Log(p);
                }

                return entropy;
            }

            // domain: x[4]=-2..2 running=-1..1 momentum=0.8..0.99
            [Differentiable]
            public static double BatchMeanEma(double[] x, double running, [NoGrad] double momentum)
            {
                double mean = 0;
                for (var i = 0; i < x.Length; i++) mean += x[i];
                mean /= x.Length;
                var ema = momentum * running + (1 - momentum) * mean;
                return ema * ema;
            }
        }
        """;
}
