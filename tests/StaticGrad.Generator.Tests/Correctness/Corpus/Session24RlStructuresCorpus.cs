namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 24's domain corpus, reinforcement learning, state estimation and structural engineering: discounted
/// returns and GAE backwards over arrays (<c>for (int t = n - 1; t &gt;= 0; t--)</c>), softmax-policy log-probabilities
/// behind the unsigned range check, PPO's clipped objective with <c>Math.Min</c>/<c>Math.Clamp</c>, entropy, a Huber TD
/// loss, a Q-learning target guarded by <c>double.IsFinite</c>; a Kalman filter step over <c>double[,]</c> and a scalar
/// filter over a measurement array; beam deflections, Euler buckling with a <c>switch</c> statement that throws, truss
/// strain energy over a <c>static readonly</c> member table of tuples, a <c>while (true)</c> section sizing loop.
/// Test points as in <see cref="Session23DomainCorpus.RoboticsSource"/>.
/// </summary>
internal static partial class Session24DomainCorpus
{
    public const string RlSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S24Rl
        {
            // domain: rewards[8]=-1..1 gamma=0.9..0.999
            // near: gamma=0.999
            // edge: rewards=0 gamma=0
            [Differentiable]
            public static double DiscountedReturn(double[] rewards, double gamma)
            {
                var g = 0.0;
                for (int t = rewards.Length - 1; t >= 0; t--)
                    g = rewards[t] + gamma * g;
                return g;
            }

            // domain: rewards[6]=-1..1 values[7]=-1..1 gamma=0.9..0.99 lambda=0.8..0.99
            // near: lambda=0.99
            // edge: rewards=0 values=0 gamma=1 lambda=0
            [Differentiable]
            public static double GaeAdvantageLoss(double[] rewards, double[] values, double gamma, double lambda)
            {
                // values has one more entry than rewards: the bootstrap value of the last state.
                var n = rewards.Length;
                var advantages = new double[n];
                var running = 0.0;
                for (int t = n - 1; t >= 0; t--)
                {
                    var delta = rewards[t] + gamma * values[t + 1] - values[t];
                    running = delta + gamma * lambda * running;
                    advantages[t] = running;
                }
                var loss = 0.0;
                foreach (var a in advantages) loss += a * a;
                return loss / n;
            }

            // domain: logits[4]=-3..3 action=0..3
            // near: logits=0.5
            // edge: logits=500 action=0
            // throws: action=4
            [Differentiable]
            public static double PolicyLogProbability(double[] logits, int action)
            {
                if ((uint)action >= (uint)logits.Length)
                    throw new ArgumentOutOfRangeException(nameof(action), action, "No such action.");
                var max = double.NegativeInfinity;
                foreach (var l in logits) max = Math.Max(max, l);
                var sum = 0.0;
                foreach (var l in logits) sum += Math.Exp(l - max);
                return logits[action] - max - Math.Log(sum);
            }

            // domain: newLogProbs[6]=-2..0 oldLogProbs[6]=-2..0 advantages[6]=-1..1 epsilon=0.1..0.3
            // near: epsilon=0.2 newLogProbs=-1 oldLogProbs=-1.1
            // edge: newLogProbs=0 oldLogProbs=-5 epsilon=0.2
            [Differentiable]
            public static double PpoClippedObjective(double[] newLogProbs, [NoGrad] double[] oldLogProbs, [NoGrad] double[] advantages, double epsilon = 0.2)
            {
                var total = 0.0;
                for (var i = 0; i < newLogProbs.Length; i++)
                {
                    var ratio = Math.Exp(newLogProbs[i] - oldLogProbs[i]);
                    var unclipped = ratio * advantages[i];
                    var clipped = Math.Clamp(ratio, 1 - epsilon, 1 + epsilon) * advantages[i];
                    total += Math.Min(unclipped, clipped);
                }
                return -total / newLogProbs.Length;
            }

            // domain: logits[5]=-3..3 temperature=0.5..2
            // near: logits=0
            // edge: logits=300 temperature=1
            [Differentiable]
            public static double PolicyEntropy(double[] logits, double temperature)
            {
                var scaled = new double[logits.Length];
                var max = double.MinValue;
                for (var i = 0; i < logits.Length; i++)
                {
                    scaled[i] = logits[i] / temperature;
                    if (scaled[i] > max) max = scaled[i];
                }
                var z = 0.0;
                for (var i = 0; i < scaled.Length; i++) z += Math.Exp(scaled[i] - max);
                var entropy = 0.0;
                for (var i = 0; i < scaled.Length; i++)
                {
                    var logP = scaled[i] - max - Math.Log(z);
                    entropy -= Math.Exp(logP) * logP;
                }
                return entropy;
            }

            // domain: values[6]=-2..2 rewards[5]=-1..1 delta=0.5..2
            // near: delta=0.5
            // edge: values=0 rewards=10 delta=0.001
            [Differentiable]
            public static double HuberTdLoss(double[] values, [NoGrad] double[] rewards, double delta)
            {
                const double gamma = 0.99;
                var loss = 0.0;
                for (var t = 0; t < rewards.Length; t++)
                {
                    var td = rewards[t] + gamma * values[t + 1] - values[t];
                    var magnitude = Math.Abs(td);
                    loss += magnitude <= delta ? 0.5 * td * td : delta * (magnitude - 0.5 * delta);
                }
                return loss;
            }

            // domain: q=-1..1 reward=-1..1 nextQ[4]=-2..2
            // near: nextQ=1 nextQ[2]=1.0001
            // edge: q=0 reward=0 nextQ=0
            // throws: nextQ[2]=1e400
            [Differentiable]
            public static double QLearningSquaredError(double q, double reward, double[] nextQ)
            {
                const double gamma = 0.95;
                var best = double.NegativeInfinity;
                foreach (var value in nextQ)
                {
                    if (!double.IsFinite(value)) throw new ArgumentException("A Q-value is not finite.", nameof(nextQ));
                    best = Math.Max(best, value);
                }
                var target = reward + gamma * best;
                return (q - target) * (q - target);
            }
        }
        """;

    public const string StructuresSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S24Structures
        {
            // Nodes of a three-bay plane truss (x, y in metres) and its members (node a, node b, area in cm²).
            private static readonly double[] NodeX = { 0, 2, 4, 6, 1, 3, 5 };
            private static readonly double[] NodeY = { 0, 0, 0, 0, 1.5, 1.5, 1.5 };
            private static readonly (int A, int B, double Area)[] Members =
            {
                (0, 1, 10), (1, 2, 10), (2, 3, 10), (4, 5, 8), (5, 6, 8),
                (0, 4, 6), (4, 1, 6), (1, 5, 6), (5, 2, 6), (2, 6, 6), (6, 3, 6),
            };

            // domain: p=0.5..2 q=0.001..0.1 r=0.1..1 measurement=-2..2
            // near: measurement=0.0001
            // edge: p=1000 q=0 r=1e-6 measurement=100
            [Differentiable]
            public static double KalmanStep(double[,] p, double q, double r, double measurement)
            {
                // Constant-velocity model: state (position, velocity), position measured.
                const double dt = 0.1;
                double x0 = 0.2, x1 = 1.0;
                // Predict: x = F x, P = F P Fᵀ + Q.
                x0 += dt * x1;
                var pp = new double[2, 2];
                pp[0, 0] = p[0, 0] + dt * (p[1, 0] + p[0, 1]) + dt * dt * p[1, 1] + q * dt * dt * dt / 3;
                pp[0, 1] = p[0, 1] + dt * p[1, 1] + q * dt * dt / 2;
                pp[1, 0] = p[1, 0] + dt * p[1, 1] + q * dt * dt / 2;
                pp[1, 1] = p[1, 1] + q * dt;
                // Update with H = [1 0].
                var innovation = measurement - x0;
                var s = pp[0, 0] + r;
                var (k0, k1) = (pp[0, 0] / s, pp[1, 0] / s);
                x0 += k0 * innovation;
                x1 += k1 * innovation;
                var trace = (1 - k0) * pp[0, 0] + pp[1, 1] - k1 * pp[0, 1];
                return trace + innovation * innovation / s + 0.01 * (x0 * x0 + x1 * x1);
            }

            // domain: p[2x2]=0.5..2
            // near: p=1
            // edge: p=0
            [Differentiable]
            public static double KalmanStepDefaultNoise(double[,] p) => KalmanStep(p, 0.01, 0.5, 0.3);

            // domain: measurements[10]=-1..1 q=0.001..0.1 r=0.1..1
            // near: q=0.001
            // edge: measurements=0 q=0.01 r=1e-6
            [Differentiable]
            public static double ScalarKalmanNegLogLikelihood(double[] measurements, double q, double r)
            {
                double estimate = 0, variance = 1, nll = 0;
                foreach (var z in measurements)
                {
                    variance += q;
                    var s = variance + r;
                    var innovation = z - estimate;
                    nll += 0.5 * (Math.Log(2 * Math.PI * s) + innovation * innovation / s);
                    var gain = variance / s;
                    estimate += gain * innovation;
                    variance *= 1 - gain;
                }
                return nll;
            }

            // domain: load=100..1000 length=1..5 modulusGpa=70..210 inertiaCm4=100..10000
            // near: length=1
            // edge: load=0 length=10 modulusGpa=1 inertiaCm4=1
            // throws: inertiaCm4=0
            [Differentiable]
            public static double CantileverTipDeflection(double load, double length, double modulusGpa, double inertiaCm4)
            {
                if (modulusGpa <= 0 || inertiaCm4 <= 0) throw new ArgumentOutOfRangeException(nameof(inertiaCm4), "Stiffness must be positive.");
                // GPa and cm⁴ to SI: E I in N·m².
                var flexuralRigidity = modulusGpa * 1e9 * inertiaCm4 * 1e-8;
                return load * length * length * length / (3 * flexuralRigidity);
            }

            // domain: w=1000..10000 span=2..10 a=0..1
            // near: a=0.5
            // edge: w=1000 span=2 a=-0.5
            [Differentiable]
            public static double SimplySupportedDeflectionAt(double w, double span, double a)
            {
                // Uniform load; deflection at x = a·L, from w x (L³ - 2 L x² + x³) / (24 E I).
                const double modulus = 2.0e11, inertia = 8.0e-6;
                var x = Math.Clamp(a, 0.0, 1.0) * span;
                return w * x * (span * span * span - 2 * span * x * x + x * x * x) / (24 * modulus * inertia);
            }

            // domain: length=1..5 inertia=1e-6..1e-5 support=0..3
            // near: length=1 support=2
            // edge: length=0.01 inertia=1e-4 support=3
            // throws: support=7
            [Differentiable]
            public static double EulerBucklingLoad(double length, double inertia, int support)
            {
                const double modulus = 2.0e11;
                double k;
                switch (support)
                {
                    case 0: k = 1.0; break;  // pinned–pinned
                    case 1: k = 0.5; break;  // fixed–fixed
                    case 2: k = 0.699; break; // fixed–pinned
                    case 3: k = 2.0; break;  // cantilever
                    default: throw new ArgumentOutOfRangeException(nameof(support), support, "Unknown end condition.");
                }
                var effective = k * length;
                return Math.PI * Math.PI * modulus * inertia / (effective * effective) / 1e6;
            }

            // domain: displacements[14]=-0.01..0.01 modulus=1..2
            // near: displacements=0.0001
            // edge: displacements=0 modulus=2
            [Differentiable]
            public static double TrussStrainEnergy(double[] displacements, double modulus)
            {
                var energy = 0.0;
                foreach (var (a, b, area) in Members)
                {
                    var (ax, ay) = (NodeX[a] + displacements[2 * a], NodeY[a] + displacements[2 * a + 1]);
                    var (bx, by) = (NodeX[b] + displacements[2 * b], NodeY[b] + displacements[2 * b + 1]);
                    var rest = Math.Sqrt((NodeX[b] - NodeX[a]) * (NodeX[b] - NodeX[a]) + (NodeY[b] - NodeY[a]) * (NodeY[b] - NodeY[a]));
                    var current = Math.Sqrt((bx - ax) * (bx - ax) + (by - ay) * (by - ay));
                    var strain = (current - rest) / rest;
                    energy += 0.5 * modulus * area * rest * strain * strain;
                }
                return energy;
            }

            // domain: moment=10..100 allowable=150..250
            // near: moment=10
            // edge: moment=1000 allowable=150
            [Differentiable]
            public static double RequiredRectangularDepth(double moment, double allowable)
            {
                // Grow the depth of a 0.1 m wide section until the bending stress is allowable, then refine by a bisection step.
                const double width = 0.1;
                var depth = 0.05;
                while (true)
                {
                    var stress = 6 * moment / (width * depth * depth) / 1000;
                    if (stress <= allowable) break;
                    depth *= 1.25;
                }
                // The exact depth for this moment, blended with the grown one so the result stays smooth in both.
                var exact = Math.Sqrt(6 * moment / (width * allowable * 1000));
                return 0.5 * (depth + exact);
            }

            // domain: deflection=0.001..0.05 span=2..10
            // near: deflection=0.0124 span=5
            // edge: deflection=0 span=10
            [Differentiable]
            public static double ServiceabilityPenalty(double deflection, double span)
            {
                var limit = span / 400;
                var ratio = deflection / limit;
                return ratio switch
                {
                    <= 0.5 => 0.0,
                    > 0.5 and <= 1.0 => (ratio - 0.5) * (ratio - 0.5),
                    _ => 0.25 + 10 * (ratio - 1.0),
                };
            }
        }
        """;
}
