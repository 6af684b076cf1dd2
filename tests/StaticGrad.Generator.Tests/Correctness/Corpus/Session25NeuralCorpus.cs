namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 25's domain corpus, neural-network pieces written without tensors, as in a hand-rolled inference engine:
/// layer norm and RMS norm with <c>const</c> epsilons, GELU by <c>Math.Tanh</c> as an extension method, single-query
/// attention with its softmax over a <c>Span&lt;double&gt;</c> from <c>stackalloc</c>, a SwiGLU unit, a ReLU MLP over
/// <c>double[,]</c> weights with <c>Math.FusedMultiplyAdd</c>, a GRU cell with a static local sigmoid, rotary position
/// embedding with <c>Math.SinCos</c>, cross-entropy with label smoothing, an Adam step's update size with a
/// <c>ref</c> local. Test points as in <see cref="Session23DomainCorpus.RoboticsSource"/>.
/// </summary>
internal static partial class Session25DomainCorpus
{
    public const string NeuralSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S25Activations
        {
            // domain: x=-4..4
            // near: x=0
            // edge: x=40
            [Differentiable]
            public static double Gelu(this double x)
            {
                const double sqrtTwoOverPi = 0.7978845608028654;
                return 0.5 * x * (1 + Math.Tanh(sqrtTwoOverPi * (x + 0.044715 * x * x * x)));
            }
        }

        public static partial class S25Neural
        {
            private static readonly double[,] Keys = { { 0.2, -0.1, 0.4, 0.0 }, { -0.3, 0.5, 0.1, 0.2 }, { 0.1, 0.1, -0.2, 0.6 } };
            private static readonly double[,] Values = { { 1.0, 0.0 }, { 0.0, 1.0 }, { 0.5, -0.5 } };

            // domain: x[6]=-2..2 gamma[6]=0.5..1.5 beta[6]=-0.5..0.5
            // near: x=1 x[0]=1.0001
            // edge: x=1e6 x[2]=-1e6 gamma=1 beta=0
            [Differentiable]
            public static double LayerNormOutputEnergy(double[] x, double[] gamma, double[] beta)
            {
                const double epsilon = 1e-5;
                var n = x.Length;
                var mean = 0.0;
                foreach (var v in x) mean += v;
                mean /= n;
                var variance = 0.0;
                foreach (var v in x) variance += (v - mean) * (v - mean);
                variance /= n;
                var inverse = 1 / Math.Sqrt(variance + epsilon);
                var energy = 0.0;
                for (var i = 0; i < n; i++)
                {
                    var y = gamma[i] * (x[i] - mean) * inverse + beta[i];
                    energy += y * y * (i + 1);
                }
                return energy;
            }

            // domain: x[8]=-2..2 weight[8]=0.5..1.5
            // near: x=0.5 x[0]=0.001
            // edge: x=1e3 weight=1
            [Differentiable]
            public static float RmsNormFirst(float[] x, float[] weight)
            {
                const float epsilon = 1e-6f;
                var sumSquares = 0f;
                foreach (var v in x) sumSquares += v * v;
                var rms = MathF.Sqrt(sumSquares / x.Length + epsilon);
                var output = 0f;
                for (var i = 0; i < x.Length; i++) output += (i % 2 == 0 ? 1f : -0.5f) * weight[i] * x[i] / rms;
                return output;
            }

            // domain: x[5]=-4..4
            // near: x=0.0001
            // edge: x=-30 x[4]=30
            [Differentiable]
            public static double GeluSum(double[] x)
            {
                var total = 0.0;
                foreach (var v in x) total += v.Gelu();
                return total;
            }

            // domain: query[4]=-1..1 temperature=0.5..2
            // near: query=0 temperature=1
            // edge: query=50 temperature=0.01
            // throws: temperature=0
            [Differentiable]
            public static double AttentionOutput(double[] query, double temperature)
            {
                if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Temperature must be positive.");
                var keyCount = Keys.GetLength(0);
                Span<double> weights = stackalloc double[keyCount];
                var scale = 1 / (Math.Sqrt(query.Length) * temperature);
                for (var k = 0; k < keyCount; k++)
                {
                    var score = 0.0;
                    for (var d = 0; d < query.Length; d++) score += query[d] * Keys[k, d];
                    weights[k] = score * scale;
                }
                var max = double.NegativeInfinity;
                foreach (var w in weights) max = Math.Max(max, w);
                var sum = 0.0;
                for (var k = 0; k < keyCount; k++)
                {
                    weights[k] = Math.Exp(weights[k] - max);
                    sum += weights[k];
                }
                double first = 0, second = 0;
                for (var k = 0; k < keyCount; k++)
                {
                    first += weights[k] / sum * Values[k, 0];
                    second += weights[k] / sum * Values[k, 1];
                }
                return first - 0.5 * second;
            }

            // domain: x[4]=-2..2 gate[4]=-2..2
            // near: gate=0
            // edge: x=100 gate=-100
            [Differentiable]
            public static double SwiGluSum(double[] x, double[] gate)
            {
                static double Swish(double z) => z / (1 + Math.Exp(-z));
                var total = 0.0;
                for (var i = 0; i < x.Length; i++) total += Swish(gate[i]) * x[i];
                return total;
            }

            // domain: w1[3x4]=-1..1 b1[3]=-0.5..0.5 input[4]=-1..1
            // near: b1=0.0001 w1=0.0001
            // edge: w1=0 b1=-1 input=1
            [Differentiable]
            public static double ReluMlpOutput(double[,] w1, double[] b1, [NoGrad] double[] input)
            {
                var hiddenCount = w1.GetLength(0);
                var output = 0.0;
                for (var h = 0; h < hiddenCount; h++)
                {
                    var z = b1[h];
                    for (var i = 0; i < input.Length; i++) z = Math.FusedMultiplyAdd(w1[h, i], input[i], z);
                    var activation = Math.Max(z, 0.0);
                    output += (h % 2 == 0 ? 0.7 : -0.4) * activation;
                }
                return output;
            }

            // domain: x=-1..1 h=-1..1 wz=-1..1 uz=-1..1 wr=-1..1 ur=-1..1 wh=-1..1 uh=-1..1
            // near: x=0 h=0
            // edge: x=100 h=-1 wz=10 uz=10 wr=-10 ur=-10 wh=10 uh=10
            [Differentiable]
            public static double GruCell(double x, double h, double wz, double uz, double wr, double ur, double wh, double uh)
            {
                // The stable form: 1 / (1 + e^{-v}) overflows to 0·∞ in its derivative for v ≪ 0.
                static double Sigmoid(double v) => v >= 0 ? 1 / (1 + Math.Exp(-v)) : Math.Exp(v) / (1 + Math.Exp(v));
                var z = Sigmoid(wz * x + uz * h);
                var r = Sigmoid(wr * x + ur * h);
                var candidate = Math.Tanh(wh * x + uh * (r * h));
                return (1 - z) * h + z * candidate;
            }

            // domain: q[4]=-1..1 k[4]=-1..1 position=0..16
            // near: position=0
            // edge: q=1 k=1 position=10000
            [Differentiable]
            public static double RotaryScore(double[] q, double[] k, int position)
            {
                var score = 0.0;
                for (var pair = 0; pair < q.Length / 2; pair++)
                {
                    var frequency = Math.Pow(10000, -2.0 * pair / q.Length);
                    var (sin, cos) = Math.SinCos(position * frequency);
                    var q0 = q[2 * pair] * cos - q[2 * pair + 1] * sin;
                    var q1 = q[2 * pair] * sin + q[2 * pair + 1] * cos;
                    score += q0 * k[2 * pair] + q1 * k[2 * pair + 1];
                }
                return score;
            }

            // domain: logits[5]=-3..3 smoothing=0..0.2 target=0..4
            // near: smoothing=0
            // edge: logits=0 logits[0]=700 smoothing=0.1 target=0
            // throws: target=9
            [Differentiable]
            public static double LabelSmoothedCrossEntropy(double[] logits, double smoothing, int target)
            {
                if (target is < 0 || target >= logits.Length) throw new ArgumentOutOfRangeException(nameof(target));
                var max = logits[0];
                for (var i = 1; i < logits.Length; i++) if (logits[i] > max) max = logits[i];
                var sumExp = 0.0;
                foreach (var z in logits) sumExp += Math.Exp(z - max);
                var logSumExp = max + Math.Log(sumExp);
                var loss = 0.0;
                for (var i = 0; i < logits.Length; i++)
                {
                    var weight = (i == target ? 1 - smoothing : 0.0) + smoothing / logits.Length;
                    loss -= weight * (logits[i] - logSumExp);
                }
                return loss;
            }

            // domain: gradients[4]=-1..1 learningRate=1e-3..1e-2
            // near: gradients=0.5 gradients[1]=-0.449
            // edge: gradients=1e6 learningRate=1
            [Differentiable]
            public static double AdamStepSize(double[] gradients, double learningRate)
            {
                const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
                Span<double> moments = stackalloc double[2];
                var total = 0.0;
                for (var t = 1; t <= gradients.Length; t++)
                {
                    ref var m = ref moments[0];
                    ref var v = ref moments[1];
                    m = beta1 * m + (1 - beta1) * gradients[t - 1];
                    v = beta2 * v + (1 - beta2) * gradients[t - 1] * gradients[t - 1];
                    var mHat = m / (1 - Math.Pow(beta1, t));
                    var vHat = v / (1 - Math.Pow(beta2, t));
                    total += learningRate * Math.Abs(mHat) / (Math.Sqrt(vHat) + epsilon);
                }
                return total;
            }
        }
        """;
}
