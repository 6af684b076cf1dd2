namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// User operators with more than one statement, marked [Differentiable] as a method is, used from [Differentiable]
/// bodies the way simulation and geometry code uses them: a spring force between two particles, a clamped
/// difference, a soft-normalised blend, a dot product written as <c>a * b</c>, a unary minus, compound assignment,
/// float and double structs, a mixed scalar operand on either side.
/// </summary>
internal static class OperatorCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace DataCorpus;

        public partial struct Body
        {
            public double X;
            public double Y;
            public double Mass;
            public int Id;

            public Body(double x, double y, double mass)
            {
                X = x;
                Y = y;
                Mass = mass;
            }

            [Differentiable]
            public static Body operator +(Body a, Body b)
            {
                var mass = a.Mass + b.Mass;
                var x = (a.X * a.Mass + b.X * b.Mass) / mass;
                var y = (a.Y * a.Mass + b.Y * b.Mass) / mass;
                return new Body(x, y, mass);
            }

            [Differentiable]
            public static Body operator -(Body a, Body b)
            {
                var dx = a.X - b.X;
                var dy = a.Y - b.Y;
                var r = Math.Sqrt(dx * dx + dy * dy + 1e-3);
                return new Body(dx / r, dy / r, a.Mass * b.Mass / r);
            }

            [Differentiable]
            public static Body operator *(double s, Body a)
            {
                var k = Math.Tanh(s);
                return new Body(k * a.X, k * a.Y, a.Mass);
            }

            [Differentiable]
            public static Body operator -(Body a)
            {
                var m = a.Mass;
                return new Body(-a.X, -a.Y, m);
            }

            [Differentiable]
            public static double operator *(Body a, Body b)
            {
                var d = a.X * b.X + a.Y * b.Y;
                return d * Math.Sqrt(a.Mass * b.Mass);
            }
        }

        public partial struct Vel
        {
            public float U;
            public float V;

            [Differentiable]
            public static Vel operator +(Vel a, Vel b)
            {
                var u = a.U + b.U;
                var v = a.V + b.V;
                var n = MathF.Sqrt(u * u + v * v + 1f);
                return new Vel { U = u / n, V = v / n };
            }

            [Differentiable]
            public static Vel operator *(Vel a, float s)
            {
                var g = s / (1f + s * s);
                return new Vel { U = a.U * g, V = a.V * g };
            }
        }

        public static partial class Operators
        {
            public static object[] Merge_Args() => new object[] { new Body(0.3, -0.2, 1.5), new Body(1.1, 0.4, 0.7) };

            [Differentiable]
            public static double Merge(Body a, Body b)
            {
                var c = a + b;
                return c.X * c.Y + c.Mass * c.X;
            }

            public static object[] Spring_Args() => new object[] { new Body(0.3, -0.2, 1.5), new Body(1.1, 0.4, 0.7), 0.8 };

            [Differentiable]
            public static double Spring(Body a, Body b, double stiffness)
            {
                var f = stiffness * (a - b);
                var g = -(b - a);
                return f.X * g.Y - f.Y * g.X + f.Mass + g * f;
            }

            public static object[] Chain_Args() => new object[] { new Body(0.5, 0.1, 1.0), new Body(-0.4, 0.9, 2.0), 3 };

            [Differentiable]
            public static double Chain(Body a, Body b, int steps)
            {
                var acc = a;
                for (var i = 0; i < steps; i++)
                {
                    acc += 0.5 * (b - acc);
                    b = -b;
                }

                return acc * a + acc.Mass;
            }

            public static object[] Drift_Args() => new object[] { new Vel { U = 0.4f, V = -0.3f }, new Vel { U = 0.2f, V = 0.9f }, 0.7f };

            [Differentiable]
            public static float Drift(Vel a, Vel b, float s)
            {
                var c = (a + b) * s;
                c += a * (s * s);
                return c.U * c.V + c.U;
            }

            public static object[] Blend_Args() => new object[] { new Body(0.3, -0.2, 1.5), new Body(1.1, 0.4, 0.7) };

            [Differentiable]
            public static Body Blend(Body a, Body b)
            {
                var m = a + b;
                return m - a;
            }
        }
        """;
}
