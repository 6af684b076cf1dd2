namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Struct constructors that compute their members from their parameters, as users write them: a clamped temperature,
/// a polar point storing its radius and angle, a float colour normalised on construction; also nested in a loop.
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

        public static partial class Constructors
        {
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
