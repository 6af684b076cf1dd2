namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 20's domain corpus, physics and robotics: integrators as simulation code writes them (a spring-damper
/// with semi-implicit Euler, a pendulum step through a local function, a tuple state), Lennard-Jones over a
/// <c>Vector3[]</c> built from coordinates, two-link arm kinematics with tuples, quaternion rotation with a user
/// struct and with System.Numerics. Private [Differentiable] helpers take structs and are checked through their
/// public callers.
/// </summary>
internal static partial class Session20DomainCorpus
{
    /// <summary>In a source that uses record structs and <c>with</c> on structs: strict consumers before C# 10 leave it out.</summary>
    public const string CSharp10Marker = "// requires C# 10";

    public const string PhysicsSource = """
        // requires C# 10
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Corpus;

        public readonly record struct PhaseState(double Position, double Velocity)
        {
            public double Kinetic(double mass) => 0.5 * mass * Velocity * Velocity;
        }

        public readonly struct Quat
        {
            public Quat(double w, double x, double y, double z) { W = w; X = x; Y = y; Z = z; }
            public double W { get; }
            public double X { get; }
            public double Y { get; }
            public double Z { get; }
            public Quat Conjugate() => new Quat(W, -X, -Y, -Z);
            public static Quat operator *(Quat a, Quat b) => new Quat(
                a.W * b.W - a.X * b.X - a.Y * b.Y - a.Z * b.Z,
                a.W * b.X + a.X * b.W + a.Y * b.Z - a.Z * b.Y,
                a.W * b.Y - a.X * b.Z + a.Y * b.W + a.Z * b.X,
                a.W * b.Z + a.X * b.Y - a.Y * b.X + a.Z * b.W);
        }

        public static partial class S20Physics
        {
            private const double TimeStep = 0.01;
            private const double Gravity = 9.81;
            private static readonly double[] LinkLengths = { 1.0, 0.8, 0.5 };

            // domain: x0=-1..1 v0=-1..1 stiffness=1..4 damping=0.1..0.5 steps=5..20
            [Differentiable]
            public static double SpringDamperEnergy(double x0, double v0, double stiffness, double damping, int steps)
            {
                double x = x0, v = v0;
                for (int i = 0; i < steps; i++)
                {
                    double a = -stiffness * x - damping * v;
                    v += a * TimeStep;
                    x += v * TimeStep;
                }

                return 0.5 * stiffness * x * x + 0.5 * v * v;
            }

            // domain: theta=-1..1 omega=-1..1 length=0.5..2
            [Differentiable]
            public static double PendulumStep(double theta, double omega, double length)
            {
                double Acceleration(double angle) => -Gravity / length * Math.Sin(angle);

                const double h = 0.02;
                for (var step = 0; step < 10; step++)
                {
                    // velocity Verlet
                    var halfOmega = omega + 0.5 * h * Acceleration(theta);
                    theta += h * halfOmega;
                    omega = halfOmega + 0.5 * h * Acceleration(theta);
                }

                return theta + 0.1 * omega;
            }

            private static (double x, double v) LeapfrogStep((double x, double v) s, double k) =>
                (s.x + TimeStep * s.v - 0.5 * TimeStep * TimeStep * k * s.x, s.v - TimeStep * k * s.x);

            // domain: x=-1..1 v=-1..1 k=0.5..3
            [Differentiable]
            public static double TupleStateOscillator(double x, double v, double k)
            {
                var state = (x, v);
                for (var i = 0; i < 8; i++)
                {
                    state = LeapfrogStep(state, k);
                }

                var (position, velocity) = state;
                return position * position + velocity;
            }

            // domain: position=-1..1 velocity=-1..1 mass=0.5..2
            [Differentiable]
            public static double RecordStateEnergy(double position, double velocity, double mass)
            {
                var s = new PhaseState(position, velocity);
                var next = s with { Position = s.Position + TimeStep * s.Velocity };
                return next.Kinetic(mass) + 0.5 * next.Position * next.Position;
            }

            [Differentiable]
            private static float PairPotential(Vector3 a, Vector3 b, float epsilon, float sigma)
            {
                var r2 = Vector3.DistanceSquared(a, b);
                var s2 = sigma * sigma / r2;
                var s6 = s2 * s2 * s2;
                return 4f * epsilon * (s6 * s6 - s6);
            }

            [Differentiable]
            private static float LennardJones(Vector3[] positions, float epsilon, float sigma)
            {
                float energy = 0f;
                for (int i = 0; i < positions.Length; i++)
                    for (int j = i + 1; j < positions.Length; j++)
                        energy += PairPotential(positions[i], positions[j], epsilon, sigma);
                return energy;
            }

            // domain: jitter[9]=-0.1..0.1 epsilon=0.5..1.5
            [Differentiable]
            public static float LennardJonesCluster(float[] jitter, float epsilon)
            {
                var positions = new Vector3[3];
                positions[0] = new Vector3(jitter[0], jitter[1], jitter[2]);
                positions[1] = new Vector3(1.1f + jitter[3], jitter[4], jitter[5]);
                positions[2] = new Vector3(0.5f + jitter[6], 0.9f + jitter[7], jitter[8]);
                return LennardJones(positions, epsilon, 1f);
            }

            // domain: stiffness=1..3 x[5]=-1..1
            [Differentiable]
            public static double ChainEnergy(double stiffness, params double[] x)
            {
                double energy = 0;
                for (var i = 1; i < x.Length; i++)
                {
                    var stretch = x[i] - x[i - 1] - 1.0;
                    energy += 0.5 * stiffness * stretch * stretch;
                }

                return energy;
            }

            // domain: vx=0.5..2 vy=1..3 drag=0.01..0.2
            [Differentiable]
            public static float ProjectileWithDrag(float vx, float vy, float drag)
            {
                var position = Vector2.Zero;
                var velocity = new Vector2(vx, vy);
                const float dt = 0.05f;
                for (var i = 0; i < 12; i++)
                {
                    var speed = velocity.Length();
                    var acceleration = new Vector2(0f, -(float)Gravity) - drag * speed * velocity;
                    velocity += dt * acceleration;
                    position += dt * velocity;
                }

                return position.X + 0.5f * position.Y;
            }

            // domain: x=-1..1 y=-1..1 z=0.5..1.5 vx=-1..1 vy=-1..1 vz=-1..1
            [Differentiable]
            public static double OrbitalEnergy(double x, double y, double z, double vx, double vy, double vz)
            {
                const double mu = 1.0;
                var r = Math.Sqrt(x * x + y * y + z * z);
                var v2 = Math.FusedMultiplyAdd(vx, vx, Math.FusedMultiplyAdd(vy, vy, vz * vz));
                return v2 / 2 - mu / r;
            }

            private static (double X, double Y) Forward(double q1, double q2, double l1, double l2) =>
                (l1 * Math.Cos(q1) + l2 * Math.Cos(q1 + q2), l1 * Math.Sin(q1) + l2 * Math.Sin(q1 + q2));

            // domain: q1=-1.5..1.5 q2=-1.5..1.5 targetX=0..1 targetY=0..1
            [Differentiable]
            public static double TwoLinkReachError(double q1, double q2, [NoGrad] double targetX, [NoGrad] double targetY)
            {
                var (x, y) = Forward(q1, q2, LinkLengths[0], LinkLengths[1]);
                var dx = x - targetX;
                var dy = y - targetY;
                return dx * dx + dy * dy;
            }

            // domain: q[3]=-1.5..1.5
            [Differentiable]
            public static double ThreeLinkTipHeight(double[] q)
            {
                double angle = 0, height = 0, i = 0;
                var joint = 0;
                foreach (var length in LinkLengths)
                {
                    angle += q[joint++];
                    height += length * Math.Sin(angle);
                    i++;
                }

                return height / i;
            }

            // domain: angle=-2..2 vx=-1..1 vy=-1..1 vz=-1..1
            [Differentiable]
            public static double QuaternionRotateX(double angle, double vx, double vy, double vz)
            {
                var (s, c) = Math.SinCos(angle / 2);
                var axis = Math.Sqrt(3.0);
                var q = new Quat(c, s / axis, s / axis, s / axis);
                var rotated = q * new Quat(0, vx, vy, vz) * q.Conjugate();
                return rotated.X + 2 * rotated.Y * rotated.Z;
            }

            // domain: angle=-2..2 vx=-1..1 vy=-1..1 vz=-1..1
            [Differentiable]
            public static float NumericsQuaternionRotate(float angle, float vx, float vy, float vz)
            {
                var q = Quaternion.CreateFromAxisAngle(Vector3.Normalize(new Vector3(1f, 2f, 2f)), angle);
                var v = Vector3.Transform(new Vector3(vx, vy, vz), q);
                return v.X * v.Y + v.Z;
            }

            // domain: q=-2..2 limit=0.5..1
            [Differentiable]
            public static double JointLimitPenalty(double q, [NoGrad] double limit)
            {
                var excess = q switch
                {
                    < 0 when q < -limit => q + limit,
                    > 0 when q > limit => q - limit,
                    _ => 0.0,
                };
                return excess * excess * 100 + 0.01 * q * q;
            }

            // domain: q1=-1.5..1.5 q2=0.2..2.5
            [Differentiable]
            public static double ManipulabilityMeasure(double q1, double q2)
            {
                var l1 = LinkLengths[0];
                var l2 = LinkLengths[1];
                // |det J| of the planar 2-link arm is l1 l2 |sin q2|; q2 stays in (0, π).
                var j11 = -l1 * Math.Sin(q1) - l2 * Math.Sin(q1 + q2);
                var j12 = -l2 * Math.Sin(q1 + q2);
                var j21 = l1 * Math.Cos(q1) + l2 * Math.Cos(q1 + q2);
                var j22 = l2 * Math.Cos(q1 + q2);
                var det = j11 * j22 - j12 * j21;
                return Math.Atan2(det, 1.0 + j11 * j11);
            }
        }
        """;
}
