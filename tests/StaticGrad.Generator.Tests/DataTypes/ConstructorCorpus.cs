namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Struct constructors that compute their members from their parameters, as users write them: a clamped temperature,
/// a polar point storing its radius and angle, a float colour normalised on construction; also nested in a loop.
/// Constructors that read the members they set: a puck (a particle) computing its kinetic energy from its own fields, a
/// float direction calling its own <c>Norm()</c>.
/// </summary>
internal static class ConstructorCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace DataCorpus;

        public struct Temperature
        {
            public double Kelvin;
            public Temperature(double celsius) { Kelvin = Math.Max(celsius, -273.15) + 273.15; }
        }

        public struct Polar
        {
            public double Radius;
            public double Angle;
            public int Quadrant;

            public Polar(double x, double y)
            {
                Radius = Math.Sqrt(x * x + y * y);
                Angle = Math.Atan2(y, x);
                Quadrant = x >= 0 ? (y >= 0 ? 1 : 4) : (y >= 0 ? 2 : 3);
            }
        }

        public readonly struct Rgb
        {
            public readonly float R;
            public readonly float G;
            public readonly float B;

            public Rgb(float r, float g, float b)
            {
                R = r / (r + g + b);
                G = g / (r + g + b);
                B = b;
            }
        }

        public struct Puck
        {
            public double Mass;
            public double Vx;
            public double Vy;
            public double Kinetic;

            public Puck(double mass, double vx, double vy)
            {
                Mass = mass;
                Vx = vx;
                Vy = vy;
                Kinetic = 0.5 * Mass * (Vx * Vx + Vy * Vy);
            }

            public double Speed => Math.Sqrt(Vx * Vx + Vy * Vy);
        }

        public struct Direction
        {
            public float X;
            public float Y;
            public float Length;
            public float Heading;

            public Direction(float x, float y)
            {
                X = x;
                Y = y;
                Length = this.Norm();
                Heading = MathF.Atan2(Y, X) + 0.1f * Length;
            }

            public float Norm() => MathF.Sqrt(X * X + Y * Y);
        }

        public static partial class Constructors
        {
            public static object[] Collide_Args() => new object[] { 1.5, 0.8, -0.4, 2.0 };

            /// <summary>Two particles whose constructors compute their kinetic energy from their own fields, in an elastic-collision energy balance.</summary>
            [Differentiable]
            public static double Collide(double mass, double vx, double vy, double other)
            {
                var a = new Puck(mass, vx, vy);
                var b = new Puck(other, -vy, vx * 0.5);
                var total = 0.0;
                for (var step = 0; step < 3; step++)
                {
                    var exchanged = new Puck(a.Mass, (a.Vx * a.Mass + b.Vx * b.Mass) / (a.Mass + b.Mass), a.Vy - 0.1 * step);
                    total += exchanged.Kinetic + 0.01 * exchanged.Speed;
                    a = exchanged;
                }

                return a.Kinetic + b.Kinetic + total;
            }

            public static object[] Steer_Args() => new object[] { 0.6f, 0.9f };

            /// <summary>A direction whose constructor calls its own <c>Norm()</c> and reads the members it just set.</summary>
            [Differentiable]
            public static float Steer(float x, float y)
            {
                var d = new Direction(x * y, y - x);
                var e = new Direction(d.Length, d.Heading);
                return d.Length * 0.5f + MathF.Cos(e.Heading) * e.Length;
            }

            public static object[] Heat_Args() => new object[] { 21.5, 0.3 };

            [Differentiable]
            public static double Heat(double celsius, double rate)
            {
                var t = new Temperature(celsius * rate);
                var p = new Polar(celsius * 0.1, rate);
                var s = 0.0;
                for (var i = 0; i < 3; i++)
                {
                    var q = new Polar(p.Radius + i, p.Angle * rate);
                    s += q.Radius * Math.Cos(q.Angle) * q.Quadrant;
                }

                return t.Kelvin * 0.01 + s;
            }

            public static object[] Shade_Args() => new object[] { 0.4f, 0.7f, 0.2f };

            [Differentiable]
            public static float Shade(float r, float g, float b)
            {
                var c = new Rgb(r * r, g, b + r);
                var d = new Rgb(c.G, c.R, c.B * g);
                return c.R * 0.3f + c.G * 0.6f + d.R * d.G + d.B;
            }
        }
        """;
}
