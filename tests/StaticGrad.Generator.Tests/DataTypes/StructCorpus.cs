namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>User structs as users write them: plain, readonly, record structs (positional too), nested, with members.</summary>
internal static class StructCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace DataCorpus;

        public struct Vec2
        {
            public double X;
            public double Y;

            public Vec2(double x, double y)
            {
                X = x;
                Y = y;
            }

            public double Norm => Math.Sqrt(X * X + Y * Y);

            public double Dot(Vec2 other) => X * other.X + Y * other.Y;

            public static Vec2 operator +(Vec2 a, Vec2 b) => new Vec2(a.X + b.X, a.Y + b.Y);

            public static Vec2 operator -(Vec2 a, Vec2 b) => new Vec2(a.X - b.X, a.Y - b.Y);

            public static Vec2 operator *(double s, Vec2 v) => new Vec2(s * v.X, s * v.Y);
        }

        public record struct Pose(double X, double Y, double Theta);

        public readonly record struct Material(double Roughness, double Metallic);

        public struct Particle
        {
            public Vec2 Position;
            public Vec2 Velocity;
            public double Mass;
            public int Id;
        }

        public readonly struct Interval
        {
            public double Low { get; init; }
            public double High { get; init; }
            public double Width => High - Low;
        }

        public struct OdeState
        {
            public double Position;
            public double Velocity;
        }

        public static partial class Structs
        {
            public static object[] Norm_Args() => new object[] { new Vec2(0.6, -1.2) };

            [Differentiable]
            public static double Norm(Vec2 v) => v.Norm;

            public static object[] SquaredDistance_Args() => new object[] { new Vec2(0.5, 1.5), new Vec2(-0.3, 0.2) };

            [Differentiable]
            public static double SquaredDistance(Vec2 a, Vec2 b)
            {
                var d = a - b;
                return d.Dot(d);
            }

            public static object[] PoseCost_Args() => new object[] { new Pose(1.0, 2.0, 0.3), 0.5 };

            [Differentiable]
            public static double PoseCost(Pose pose, double targetX)
            {
                var dx = pose.X + Math.Cos(pose.Theta) - targetX;
                var dy = pose.Y + Math.Sin(pose.Theta);
                return dx * dx + dy * dy;
            }

            public static object[] Shade_Args() => new object[] { new Material(0.4, 0.7), 0.8 };

            [Differentiable]
            public static double Shade(Material material, double cosTheta)
            {
                var f0 = 0.04 * (1 - material.Metallic) + material.Metallic;
                var schlick = f0 + (1 - f0) * Math.Pow(1 - cosTheta, 5);
                var alpha = material.Roughness * material.Roughness;
                var denominator = cosTheta * cosTheta * (alpha * alpha - 1) + 1;
                var ggx = alpha * alpha / (Math.PI * denominator * denominator);
                return schlick * ggx;
            }

            public static object[] KineticEnergy_Args() => new object[] { new Particle { Position = new Vec2(1, 2), Velocity = new Vec2(0.5, -0.25), Mass = 2.0, Id = 7 } };

            [Differentiable]
            public static double KineticEnergy(Particle p) => 0.5 * p.Mass * p.Velocity.Dot(p.Velocity) + p.Id * 0.0;

            public static object[] SpringStep_Args() => new object[] { new Particle { Position = new Vec2(1, 0.5), Velocity = new Vec2(0, 0.3), Mass = 1.5 }, 0.1 };

            [Differentiable]
            public static double SpringStep(Particle p, double dt)
            {
                var q = p;
                for (var step = 0; step < 5; step++)
                {
                    var force = -4.0 * q.Position;
                    q.Velocity = q.Velocity + (dt / q.Mass) * force;
                    q.Position = q.Position + dt * q.Velocity;
                }

                return q.Position.Dot(q.Position) + q.Velocity.Norm;
            }

            public static object[] IntervalLoss_Args() => new object[] { new Interval { Low = -0.5, High = 1.25 } };

            [Differentiable]
            public static double IntervalLoss(Interval interval) => interval.Width * interval.Width + interval.Low * interval.High;

            public static object[] Rk4_Args() => new object[] { new OdeState { Position = 1.0, Velocity = 0.0 }, 2.0 };

            [Differentiable]
            public static double Rk4(OdeState start, double omega)
            {
                var s = start;
                var h = 0.05;
                for (var i = 0; i < 10; i++)
                {
                    var k1 = new OdeState { Position = s.Velocity, Velocity = -omega * omega * s.Position };
                    var mid1 = new OdeState { Position = s.Position + 0.5 * h * k1.Position, Velocity = s.Velocity + 0.5 * h * k1.Velocity };
                    var k2 = new OdeState { Position = mid1.Velocity, Velocity = -omega * omega * mid1.Position };
                    var mid2 = new OdeState { Position = s.Position + 0.5 * h * k2.Position, Velocity = s.Velocity + 0.5 * h * k2.Velocity };
                    var k3 = new OdeState { Position = mid2.Velocity, Velocity = -omega * omega * mid2.Position };
                    var end = new OdeState { Position = s.Position + h * k3.Position, Velocity = s.Velocity + h * k3.Velocity };
                    var k4 = new OdeState { Position = end.Velocity, Velocity = -omega * omega * end.Position };
                    s.Position += h / 6 * (k1.Position + 2 * k2.Position + 2 * k3.Position + k4.Position);
                    s.Velocity += h / 6 * (k1.Velocity + 2 * k2.Velocity + 2 * k3.Velocity + k4.Velocity);
                }

                return s.Position;
            }

            public static object[] WithRotation_Args() => new object[] { new Pose(0.2, -0.4, 1.1) };

            [Differentiable]
            public static double WithRotation(Pose pose)
            {
                var turned = pose with { Theta = pose.Theta * 2 };
                var swapped = turned with { X = turned.Y, Y = turned.X };
                return swapped.X * Math.Sin(swapped.Theta) + swapped.Y * Math.Cos(swapped.Theta);
            }

            public static object[] Swap_Args() => new object[] { 0.7, -1.3 };

            [Differentiable]
            public static double Swap(double a, double b)
            {
                var v = new Vec2(a, b);
                for (var i = 0; i < 3; i++)
                {
                    v = new Vec2(v.Y, v.X * 0.5 + v.Y);
                }

                return v.X * v.Y;
            }

            public static object[] Conditional_Args() => new object[] { new Vec2(0.4, 0.9), new Vec2(1.1, -0.2) };

            [Differentiable]
            public static double Conditional(Vec2 a, Vec2 b)
            {
                var nearest = a.Norm < b.Norm ? a : b;
                Vec2 far = default;
                if (a.Norm >= b.Norm)
                {
                    far = a;
                }
                else
                {
                    far.X = b.X;
                    far.Y = b.Y;
                }

                return nearest.Dot(far) + 2.0 * far.X;
            }
        }

        public static partial class Tuples
        {
            public static object[] Rotate_Args() => new object[] { 0.6, -0.2, 0.9 };

            [Differentiable]
            public static double Rotate(double x, double y, double angle)
            {
                var (s, c) = Math.SinCos(angle);
                var (u, v) = (c * x - s * y, s * x + c * y);
                return u * u + 3 * v;
            }

            public static object[] Leapfrog_Args() => new object[] { 1.0, 0.0, 0.1 };

            [Differentiable]
            public static double Leapfrog(double x0, double v0, double h)
            {
                var x = x0;
                var v = v0;
                for (var i = 0; i < 10; i++)
                {
                    (x, v) = (x + h * v, v - h * x);
                }

                return x * x + v * v;
            }

            public static object[] PriceAndDelta_Args() => new object[] { 100.0, 95.0, 0.2, 0.5 };

            [Differentiable]
            public static (double Price, double Delta) PriceAndDelta(double spot, [NoGrad] double strike, double volatility, double time)
            {
                var sqrtT = Math.Sqrt(time);
                var d1 = (Math.Log(spot / strike) + 0.5 * volatility * volatility * time) / (volatility * sqrtT);
                var d2 = d1 - volatility * sqrtT;
                var nd1 = 0.5 * (1 + Erf(d1 / Math.Sqrt(2)));
                var nd2 = 0.5 * (1 + Erf(d2 / Math.Sqrt(2)));
                return (spot * nd1 - strike * nd2, nd1);
            }

            [Differentiable]
            public static double Erf(double x)
            {
                var t = 1 / (1 + 0.3275911 * Math.Abs(x));
                var y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
                return x >= 0 ? y : -y;
            }

            public static object[] Polar_Args() => new object[] { 1.2, -0.7 };

            [Differentiable]
            public static (double Radius, double Angle) Polar(double x, double y)
            {
                var pair = (Radius: Math.Sqrt(x * x + y * y), Angle: Math.Atan2(y, x));
                return pair;
            }

            public static object[] Midpoint_Args() => new object[] { new Vec2(0.2, 0.4), new Vec2(1.0, -0.6), 0.25 };

            [Differentiable]
            public static Vec2 Midpoint(Vec2 a, Vec2 b, double t) => new Vec2(a.X + t * (b.X - a.X), a.Y * (1 - t) + b.Y * t * t);

            public static object[] Integrate_Args() => new object[] { new Pose(0.0, 0.0, 0.3), 1.5, 0.2 };

            [Differentiable]
            public static Pose Integrate(Pose pose, double speed, double turnRate)
            {
                var p = pose;
                for (var i = 0; i < 4; i++)
                {
                    p = new Pose(p.X + 0.1 * speed * Math.Cos(p.Theta), p.Y + 0.1 * speed * Math.Sin(p.Theta), p.Theta + 0.1 * turnRate);
                }

                return p;
            }
        }
        """;
}
