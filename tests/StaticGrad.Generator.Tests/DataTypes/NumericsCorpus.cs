namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>System.Numerics as graphics and physics code uses it: vectors, quaternions, complex numbers.</summary>
internal static class NumericsCorpus
{
    public const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace DataCorpus;

        public static partial class Graphics
        {
            public static object[] RaySphere_Args() => new object[] { new Vector3(0.1f, 0.2f, -3f), new Vector3(0.05f, -0.02f, 1f), 1.0f };

            [Differentiable]
            public static float RaySphere(Vector3 origin, Vector3 direction, float radius)
            {
                var d = Vector3.Normalize(direction);
                var b = Vector3.Dot(origin, d);
                var c = Vector3.Dot(origin, origin) - radius * radius;
                var discriminant = b * b - c;
                return -b - MathF.Sqrt(discriminant);
            }

            public static object[] RootBlend_Args() => new object[] { new Vector3(0.3f, 0.9f, 0.2f), new Vector3(0.5f, 0.4f, 0.7f), 0.25f };

            /// <summary>Elementwise square roots of two colours, blended and clamped to the unit cube, as a tone-mapping step does.</summary>
            [Differentiable]
            public static float RootBlend(Vector3 a, Vector3 b, float t)
            {
                var blended = Vector3.Lerp(Vector3.SquareRoot(a), Vector3.SquareRoot(b + new Vector3(t)), t);
                var clamped = Vector3.Clamp(blended * 1.5f, Vector3.Zero, Vector3.One);
                return Vector3.Dot(clamped, new Vector3(0.2126f, 0.7152f, 0.0722f)) + Vector3.Abs(a - b).LengthSquared();
            }

            public static object[] Lambert_Args() => new object[] { new Vector3(0.3f, 0.9f, 0.2f), new Vector3(0.5f, 0.5f, 0.7f) };

            [Differentiable]
            public static float Lambert(Vector3 normal, Vector3 light)
            {
                var n = Vector3.Normalize(normal);
                var l = Vector3.Normalize(light);
                return MathF.Max(Vector3.Dot(n, l), 0f);
            }

            public static object[] Specular_Args() => new object[] { new Vector3(0.1f, 1f, 0.2f), new Vector3(0.4f, 0.8f, 0.3f), new Vector3(-0.2f, 0.9f, 0.5f), 8f };

            [Differentiable]
            public static float Specular(Vector3 normal, Vector3 light, Vector3 view, float shininess)
            {
                var n = Vector3.Normalize(normal);
                var r = Vector3.Reflect(-Vector3.Normalize(light), n);
                var cos = MathF.Max(Vector3.Dot(r, Vector3.Normalize(view)), 0f);
                return MathF.Pow(cos, shininess);
            }

            public static object[] Rotate_Args() => new object[] { Quaternion.Normalize(new Quaternion(0.1f, 0.7f, -0.2f, 0.6f)), new Vector3(1f, 2f, 0.5f) };

            [Differentiable]
            public static float Rotate(Quaternion q, Vector3 v)
            {
                var rotated = Vector3.Transform(v, Quaternion.Normalize(q));
                return rotated.X + 2f * rotated.Y - rotated.Z;
            }

            public static object[] Compose_Args() => new object[] { new Quaternion(0.1f, 0.2f, 0.3f, 0.9f), new Quaternion(-0.3f, 0.4f, 0.1f, 0.8f) };

            [Differentiable]
            public static float Compose(Quaternion a, Quaternion b)
            {
                var c = a * b;
                var d = Quaternion.Conjugate(c) * a;
                return c.W * d.X + c.Y - d.Z * d.W;
            }

            public static object[] AxisAngle_Args() => new object[] { 0.8f, new Vector3(0.3f, -0.5f, 1.2f) };

            [Differentiable]
            public static float AxisAngle(float angle, Vector3 point)
            {
                var q = Quaternion.CreateFromAxisAngle(Vector3.UnitZ, angle);
                var p = Vector3.Transform(point, q);
                return p.X * p.X + 3f * p.Y;
            }

            public static object[] Blend_Args() => new object[] { new Vector4(0.2f, 0.4f, 0.6f, 1f), new Vector4(0.9f, 0.1f, 0.3f, 0.5f), 0.3f };

            [Differentiable]
            public static float Blend(Vector4 a, Vector4 b, float t)
            {
                var c = Vector4.Lerp(a, b, t);
                var clamped = Vector4.Clamp(c * 1.5f, Vector4.Zero, Vector4.One);
                return clamped.X + clamped.Y * clamped.W + c.Z;
            }

            public static object[] Projected_Args() => new object[] { new Vector3(0.5f, -0.25f, 2f) };

            private static readonly Matrix4x4 s_view = Matrix4x4.CreateLookAt(new Vector3(0, 1, 5), Vector3.Zero, Vector3.UnitY);

            [Differentiable]
            public static float Projected(Vector3 p)
            {
                var q = Vector3.Transform(p, s_view);
                return q.X / -q.Z + q.Y * q.Y;
            }

            public static object[] Triangle_Args() => new object[] { new Vector3(0f, 0f, 0f), new Vector3(1f, 0.2f, 0f), new Vector3(0.3f, 1f, 0.4f) };

            [Differentiable]
            public static float Triangle(Vector3 a, Vector3 b, Vector3 c) => 0.5f * Vector3.Cross(b - a, c - a).Length();

            public static object[] Distances_Args() => new object[] { new Vector2(0.3f, 0.4f), new Vector2(-1f, 0.5f) };

            [Differentiable]
            public static float Distances(Vector2 a, Vector2 b) =>
                Vector2.Distance(a, b) + Vector2.DistanceSquared(a, b) + a.LengthSquared() + Vector2.Min(a, b).X * Vector2.Max(a, b).Y + Vector2.Abs(b - a).Y;
        }

        public static partial class Physics
        {
            public static object[] NBodyEnergy_Args() => new object[] { new Vector3(0f, 0f, 0f), new Vector3(1f, 0.5f, 0f), new Vector3(-0.5f, 1f, 0.3f), new Vector3(0.1f, 0.2f, 0.3f) };

            [Differentiable]
            public static float NBodyEnergy(Vector3 a, Vector3 b, Vector3 c, Vector3 velocity)
            {
                var potential = -1f / Vector3.Distance(a, b) - 1f / Vector3.Distance(b, c) - 1f / Vector3.Distance(a, c);
                return potential + 0.5f * velocity.LengthSquared();
            }

            public static object[] Projectile_Args() => new object[] { new Vector2(3f, 4f), 0.05f };

            [Differentiable]
            public static float Projectile(Vector2 velocity, float drag)
            {
                var position = Vector2.Zero;
                var v = velocity;
                var gravity = new Vector2(0f, -9.81f);
                for (var i = 0; i < 20; i++)
                {
                    var acceleration = gravity - drag * v.Length() * v;
                    v += 0.02f * acceleration;
                    position += 0.02f * v;
                }

                return position.X + position.Y;
            }

            public static object[] Damped_Args() => new object[] { new Vector3(1f, 0f, 0.5f), new Vector3(0f, 1f, 0f), 0.2f };

            [Differentiable]
            public static float Damped(Vector3 x, Vector3 v, float damping)
            {
                for (var i = 0; i < 8; i++)
                {
                    var a = -x - damping * v;
                    v = v + 0.1f * a;
                    x = x + 0.1f * v;
                }

                return x.LengthSquared();
            }
        }

        public static partial class Signals
        {
            public static object[] Transfer_Args() => new object[] { 0.7, 2.0, 0.3 };

            [Differentiable]
            public static double Transfer(double omega, double gain, double damping)
            {
                var s = new Complex(0, omega);
                var h = gain / (s * s + 2 * damping * s + 1);
                return Complex.Abs(h) + h.Phase;
            }

            public static object[] Rotation_Args() => new object[] { new Complex(0.6, -0.8), 0.4 };

            [Differentiable]
            public static double Rotation(Complex z, double theta)
            {
                var w = z * Complex.Exp(new Complex(0, theta));
                var l = Complex.Log(w * w);
                return w.Real * 2 + l.Imaginary + l.Real + Complex.Conjugate(w).Imaginary;
            }

            public static object[] Polar_Args() => new object[] { 1.5, 0.25 };

            [Differentiable]
            public static double Polar(double magnitude, double phase)
            {
                var z = Complex.FromPolarCoordinates(magnitude, phase);
                var q = (z - 1.0) / (z + 1.0);
                return q.Magnitude + q.Real;
            }
        }

        public static partial class Vectors
        {
            public static object[] Velocity_Args() => new object[] { new Vector3(1f, 2f, -0.5f), new Vector3(0.3f, -0.1f, 0.2f), 0.5f };

            [Differentiable]
            public static Vector3 Velocity(Vector3 position, Vector3 velocity, float dt) => position + dt * velocity - 0.5f * dt * dt * Vector3.UnitY;

            public static object[] Spin_Args() => new object[] { new Quaternion(0.2f, 0.1f, -0.3f, 0.9f), new Quaternion(0.0f, 0.4f, 0.1f, 0.8f) };

            [Differentiable]
            public static Quaternion Spin(Quaternion a, Quaternion b) => Quaternion.Normalize(a * b);

            public static object[] Impedance_Args() => new object[] { 2.0, 0.3, 5.0 };

            [Differentiable]
            public static Complex Impedance(double resistance, double inductance, double omega) =>
                1.0 / (new Complex(resistance, omega * inductance) + 1.0);
        }
        """;
}
