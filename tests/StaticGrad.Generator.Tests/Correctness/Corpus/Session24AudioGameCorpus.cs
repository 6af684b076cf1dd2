namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 24's domain corpus, audio DSP and game development: an RBJ biquad with a mutable state struct, an envelope
/// follower with attack and release branches, soft clipping with <c>Math.Tanh</c>, one-pole smoothers in
/// <c>float</c> with <c>MathF</c>, a compressor's soft knee, decibels by an extension method on <c>double</c>, an FIR
/// over a <c>static readonly</c> tap table, a feedback delay with <c>checked</c> index arithmetic; easing functions by a
/// <c>switch</c> expression on an enum, critically damped springs (SmoothDamp) over <c>float</c>, <c>Vector2</c> and
/// <c>Vector3</c>, orbit-camera angles with <c>Math.Atan2</c>, an instance method reading a settable property, a
/// Bézier arc length. Test points as in <see cref="Session23DomainCorpus.RoboticsSource"/>.
/// </summary>
internal static partial class Session24DomainCorpus
{
    public const string AudioSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public struct S24BiquadState
        {
            public double X1, X2, Y1, Y2;
        }

        public static partial class S24Decibels
        {
            // domain: db=-40..20
            // near: db=0
            // edge: db=-300
            [Differentiable]
            public static double DbToGain(this double db) => Math.Pow(10.0, db / 20.0);
        }

        public static partial class S24Audio
        {
            private const double SampleRate = 48_000.0;
            private static readonly double[] Taps = { 0.05, 0.2, 0.5, 0.2, 0.05 };

            // domain: input[12]=-1..1 cutoff=500..5000 q=0.5..2
            // near: q=0.7071
            // edge: input=0 cutoff=20 q=10
            // throws: q=0
            [Differentiable]
            public static double BiquadLowpassEnergy(double[] input, double cutoff, double q)
            {
                if (q <= 0) throw new ArgumentOutOfRangeException(nameof(q), "The quality factor must be positive.");
                var w0 = 2 * Math.PI * cutoff / SampleRate;
                var (sin, cos) = (Math.Sin(w0), Math.Cos(w0));
                var alpha = sin / (2 * q);
                var a0 = 1 + alpha;
                var b0 = (1 - cos) / 2 / a0;
                var b1 = (1 - cos) / a0;
                var a1 = -2 * cos / a0;
                var a2 = (1 - alpha) / a0;
                var state = new S24BiquadState();
                var energy = 0.0;
                foreach (var x in input)
                {
                    var y = b0 * x + b1 * state.X1 + b0 * state.X2 - a1 * state.Y1 - a2 * state.Y2;
                    state.X2 = state.X1;
                    state.X1 = x;
                    state.Y2 = state.Y1;
                    state.Y1 = y;
                    energy += y * y;
                }
                return energy;
            }

            // domain: input[10]=-1..1 attack=0.2..0.9 release=0.01..0.2
            // near: input=0.5 attack=0.3
            // edge: input=0 attack=1 release=0
            [Differentiable]
            public static double EnvelopeFollower(double[] input, double attack, double release)
            {
                var envelope = 0.0;
                var total = 0.0;
                for (var n = 0; n < input.Length; n++)
                {
                    var level = Math.Abs(input[n]);
                    if (level > envelope)
                        envelope += attack * (level - envelope);
                    else
                        envelope += release * (level - envelope);
                    total += envelope;
                }
                return total / input.Length;
            }

            // domain: x=-2..2 drive=0.5..5
            // near: x=0.0001
            // edge: x=50 drive=10
            [Differentiable]
            public static double SoftClip(double x, double drive) => Math.Tanh(drive * x) / Math.Tanh(drive);

            // domain: input[10]=-1..1 coefficient=0.1..0.9
            // near: coefficient=0.9
            // edge: input=1 coefficient=0
            [Differentiable]
            public static float OnePoleSmoother(float[] input, float coefficient)
            {
                var z = 0f;
                var sum = 0f;
                foreach (var x in input)
                {
                    z = MathF.FusedMultiplyAdd(coefficient, z - x, x);
                    sum += z * z;
                }
                return MathF.Sqrt(sum / input.Length);
            }

            // domain: levelDb=-40..0 threshold=-30..-10 ratio=2..8 knee=2..10
            // near: levelDb=-20 threshold=-25 knee=10
            // edge: levelDb=0 threshold=-60 ratio=100 knee=0.001
            // throws: ratio=0.5
            [Differentiable]
            public static double CompressorGainDb(double levelDb, double threshold, double ratio, double knee)
            {
                if (ratio is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(ratio), "A ratio lies in [1, 1000].");
                var over = levelDb - threshold;
                if (2 * over < -knee) return 0.0;
                if (2 * Math.Abs(over) <= knee)
                {
                    var k = over + knee / 2;
                    return (1 / ratio - 1) * k * k / (2 * knee);
                }
                return (1 / ratio - 1) * over;
            }

            // domain: inputDb=-30..0 trimDb=-6..6
            // near: trimDb=0
            // edge: inputDb=-200 trimDb=0
            [Differentiable]
            public static double GainStagedPeak(double inputDb, double trimDb)
            {
                var gain = (inputDb + trimDb).DbToGain();
                return Math.Tanh(gain * 1.5);
            }

            // domain: x=-2..2
            // near: x=0.99999
            // edge: x=-100
            [Differentiable]
            public static double CubicWaveshaper(double x) => x switch
            {
                <= -1 => -2.0 / 3.0,
                >= 1 => 2.0 / 3.0,
                _ => x - x * x * x / 3,
            };

            // domain: signal[10]=-1..1
            // near: signal=0.001
            // edge: signal=0
            [Differentiable]
            public static double FirOutputPower(double[] signal)
            {
                var power = 0.0;
                for (var i = 0; i + Taps.Length <= signal.Length; i++)
                {
                    var window = signal.AsSpan(i, Taps.Length);
                    var y = 0.0;
                    for (var k = 0; k < Taps.Length; k++) y += Taps[k] * window[k];
                    power += y * y;
                }
                return power;
            }

            // domain: signal[10]=-1..1
            // near: signal=0.001
            // edge: signal=0
            [Differentiable]
            public static double FirOutputPowerIndexed(double[] signal)
            {
                // FirOutputPower's rewrite: read signal[i + k] instead of a span window.
                var power = 0.0;
                for (var i = 0; i + Taps.Length <= signal.Length; i++)
                {
                    var y = 0.0;
                    for (var k = 0; k < Taps.Length; k++) y += Taps[k] * signal[i + k];
                    power += y * y;
                }
                return power;
            }

            // domain: input[12]=-1..1 feedback=0.1..0.8 delay=1..4
            // near: feedback=0.8
            // edge: input=1 feedback=0.99 delay=1
            [Differentiable]
            public static double FeedbackEchoTail(double[] input, double feedback, int delay)
            {
                var output = new double[input.Length];
                for (var i = 0; i < input.Length; i++)
                {
                    var echo = i >= delay ? output[checked(i - delay)] : 0.0;
                    output[i] = input[i] + feedback * echo;
                }
                var tail = 0.0;
                for (var i = input.Length / 2; i < input.Length; i++) tail += output[i] * output[i];
                return tail;
            }

            // domain: frame[8]=-1..1
            // near: frame=0.01
            // edge: frame=0
            [Differentiable]
            public static double RmsLevelDb(double[] frame)
            {
                var meanSquare = 0.0;
                foreach (var s in frame) meanSquare += s * s;
                meanSquare /= frame.Length;
                return 10 * Math.Log10(meanSquare + 1e-12);
            }
        }
        """;

    public const string GameSource = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Corpus;

        public enum S24Easing { Linear, QuadIn, QuadOut, CubicInOut, SineInOut, ElasticOut }

        public static partial class S24Game
        {
            // domain: t=0..1 kind=0..5
            // near: t=0.4999 kind=3
            // edge: t=0.0000001 kind=5
            // throws: kind=9
            [Differentiable]
            public static double Ease(double t, int kind) => (S24Easing)kind switch
            {
                S24Easing.Linear => t,
                S24Easing.QuadIn => t * t,
                S24Easing.QuadOut => 1 - (1 - t) * (1 - t),
                S24Easing.CubicInOut => t < 0.5 ? 4 * t * t * t : 1 - Math.Pow(-2 * t + 2, 3) / 2,
                S24Easing.SineInOut => -(Math.Cos(Math.PI * t) - 1) / 2,
                S24Easing.ElasticOut => t is 0 or 1 ? t : Math.Pow(2, -10 * t) * Math.Sin((t * 10 - 0.75) * (2 * Math.PI / 3)) + 1,
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown easing."),
            };

            // domain: current=-5..5 target=-5..5 velocity=-1..1 smoothTime=0.1..1
            // near: smoothTime=0.1
            // edge: current=0 target=0 velocity=0 smoothTime=0.0001
            [Differentiable]
            public static float SmoothDamp(float current, float target, float velocity, float smoothTime)
            {
                // Unity's SmoothDamp, ten frames at 60 Hz.
                const float deltaTime = 1f / 60f;
                smoothTime = MathF.Max(0.0001f, smoothTime);
                for (var frame = 0; frame < 10; frame++)
                {
                    var omega = 2f / smoothTime;
                    var x = omega * deltaTime;
                    var exp = 1f / (1f + x + 0.48f * x * x + 0.235f * x * x * x);
                    var change = current - target;
                    var temp = (velocity + omega * change) * deltaTime;
                    velocity = (velocity - omega * temp) * exp;
                    current = target + (change + temp) * exp;
                }
                return current;
            }

            // domain: px=-3..3 py=-3..3 tx=-3..3 ty=-3..3 omega=2..10
            // near: px=1.001 py=1 tx=1 ty=1
            // edge: px=100 py=-100 tx=0 ty=0 omega=50
            [Differentiable]
            public static float SpringFollowDistance(float px, float py, float tx, float ty, float omega)
            {
                const float dt = 1f / 30f;
                var position = new Vector2(px, py);
                var target = new Vector2(tx, ty);
                var velocity = Vector2.Zero;
                for (var frame = 0; frame < 12; frame++)
                {
                    // Critically damped: x'' = -omega² (x - target) - 2 omega x'.
                    var acceleration = -omega * omega * (position - target) - 2f * omega * velocity;
                    velocity += dt * acceleration;
                    position += dt * velocity;
                }
                return Vector2.Distance(position, target) + 0.1f * velocity.Length();
            }

            // domain: x=-2..2 y=0.5..2 z=-2..2 stiffness=5..20
            // near: x=0.001 y=1 z=0.001
            // edge: x=0 y=0.0001 z=0 stiffness=20
            [Differentiable]
            public static float CameraBoomLag(float x, float y, float z, float stiffness)
            {
                var anchor = new Vector3(x, y, z);
                var camera = new Vector3(0f, 2f, -5f);
                var velocity = Vector3.Zero;
                const float dt = 0.02f;
                for (var frame = 0; frame < 15; frame++)
                {
                    var desired = anchor + new Vector3(0f, 1.5f, -4f);
                    var damping = 2f * MathF.Sqrt(stiffness);
                    velocity += dt * (stiffness * (desired - camera) - damping * velocity);
                    camera += dt * velocity;
                }
                return Vector3.DistanceSquared(camera, anchor);
            }

            // domain: dx=-3..3 dy=-1..1 dz=0.5..3
            // near: dx=0.0001 dz=1
            // edge: dx=-1 dy=0 dz=-0.0001
            [Differentiable]
            public static double OrbitCameraAngles(double dx, double dy, double dz)
            {
                var yaw = Math.Atan2(dx, dz);
                var pitch = Math.Atan2(dy, Math.Sqrt(dx * dx + dz * dz));
                return yaw * yaw + 0.5 * pitch;
            }

            // domain: a=-170..170 b=-170..170 t=0..1
            // near: a=10 b=-169
            // edge: a=179 b=-179 t=0.5
            [Differentiable]
            public static float LerpAngleDegrees(float a, float b, float t)
            {
                var delta = b - a;
                while (delta > 180f) delta -= 360f;
                while (delta < -180f) delta += 360f;
                return a + delta * Math.Clamp(t, 0f, 1f);
            }

            // domain: speed=5..30 angle=0.2..1.3
            // near: angle=0.7854
            // edge: speed=0.001 angle=1.57
            [Differentiable]
            public static float ProjectileApexAndRange(float speed, float angle)
            {
                var launcher = new S24Launcher();
                return launcher.ApexPlusRange(speed, angle);
            }

            // domain: current=-5..5 target=-5..5 sharpness=1..20 dt=0.005..0.05
            // near: sharpness=1 dt=0.005
            // edge: current=0 target=1000 sharpness=1000 dt=0.1
            [Differentiable]
            public static double FrameRateIndependentLerp(double current, double target, double sharpness, double dt)
            {
                // The blend factor 1 - e^{-k dt} makes the smoothing independent of the frame rate.
                var blend = 1 - Math.Exp(-sharpness * dt);
                return current + (target - current) * blend;
            }

            // domain: c1y=-1..1 c2y=-1..1 endX=1..3
            // near: c1y=0 c2y=0 endX=1
            // edge: c1y=5 c2y=-5 endX=0.001
            [Differentiable]
            public static float CubicBezierLength(float c1y, float c2y, float endX)
            {
                var p0 = Vector2.Zero;
                var p1 = new Vector2(endX / 3f, c1y);
                var p2 = new Vector2(2f * endX / 3f, c2y);
                var p3 = new Vector2(endX, 0f);
                var previous = p0;
                var length = 0f;
                const int segments = 16;
                for (var i = 1; i <= segments; i++)
                {
                    var t = i / (float)segments;
                    var u = 1f - t;
                    var point = u * u * u * p0 + 3f * u * u * t * p1 + 3f * u * t * t * p2 + t * t * t * p3;
                    length += Vector2.Distance(previous, point);
                    previous = point;
                }
                return length;
            }
        }

        public partial class S24Launcher
        {
            public float Gravity { get; set; } = 9.81f;
            public float LaunchHeight { get; init; } = 1.5f;

            // domain: speed=5..30 angle=0.2..1.3
            // near: angle=0.7854
            // edge: speed=0.001 angle=1.57
            [Differentiable]
            public float ApexPlusRange(float speed, float angle)
            {
                var (sin, cos) = MathF.SinCos(angle);
                var vy = speed * sin;
                var apex = LaunchHeight + vy * vy / (2f * Gravity);
                var flightTime = (vy + MathF.Sqrt(vy * vy + 2f * Gravity * LaunchHeight)) / Gravity;
                return apex + speed * cos * flightTime;
            }
        }
        """;
}
