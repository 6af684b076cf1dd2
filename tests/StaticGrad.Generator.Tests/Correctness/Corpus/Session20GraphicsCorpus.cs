namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 20's domain corpus, graphics and geometry: Phong and GGX shading terms with <c>Vector3</c> normalisation
/// and <c>Math.Max(0, dot)</c>, smoothstep with <c>Math.Clamp</c>, barycentric interpolation, a user vector record
/// struct with methods, signed distance functions chosen by a <c>switch</c> on a shape kind, and polygon area
/// with <c>foreach</c> over <c>(double x, double y)[]</c>.
/// </summary>
internal static partial class Session20DomainCorpus
{
    public const string GraphicsSource = """
        // requires C# 10
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Corpus;

        public enum S20ShapeKind { Circle, Box, Capsule }

        public readonly record struct Vec3d(double X, double Y, double Z)
        {
            public double Dot(Vec3d o) => X * o.X + Y * o.Y + Z * o.Z;
            public double Length => Math.Sqrt(X * X + Y * Y + Z * Z);
            public Vec3d Normalized() => new Vec3d(X / Length, Y / Length, Z / Length);
            public static Vec3d operator -(Vec3d a, Vec3d b) => new Vec3d(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
            public static Vec3d operator *(double s, Vec3d a) => new Vec3d(s * a.X, s * a.Y, s * a.Z);
        }

        public static partial class S20Graphics
        {
            private const float Shininess = 16f;

            // domain: nx=-0.3..0.3 ny=0.8..1.2 nz=-0.3..0.3 lx=0.2..0.6 ly=0.6..1 lz=-0.2..0.2
            [Differentiable]
            public static float PhongSpecular(float nx, float ny, float nz, float lx, float ly, float lz)
            {
                var n = Vector3.Normalize(new Vector3(nx, ny, nz));
                var l = Vector3.Normalize(new Vector3(lx, ly, lz));
                var view = Vector3.Normalize(new Vector3(0.1f, 1f, 0.3f));
                var r = Vector3.Reflect(-l, n);
                var diffuse = MathF.Max(0f, Vector3.Dot(n, l));
                var specular = MathF.Pow(MathF.Max(0f, Vector3.Dot(r, view)), Shininess);
                return 0.7f * diffuse + 0.3f * specular;
            }

            // domain: nx=-0.3..0.3 ny=0.8..1.2 nz=-0.3..0.3 roughness=0.2..0.8
            [Differentiable]
            public static double GgxDistance(double nx, double ny, double nz, double roughness)
            {
                var n = new Vec3d(nx, ny, nz).Normalized();
                var h = new Vec3d(0.2, 1.0, 0.1).Normalized();
                var nDotH = Math.Max(0.0, n.Dot(h));
                var a2 = roughness * roughness * roughness * roughness;
                var denominator = nDotH * nDotH * (a2 - 1) + 1;
                return a2 / (Math.PI * denominator * denominator);
            }

            // domain: cosTheta=0.1..1 f0=0.02..0.1 roughness=0.2..0.8
            [Differentiable]
            public static double SchlickSmith(double cosTheta, double f0, double roughness)
            {
                var fresnel = f0 + (1 - f0) * Math.Pow(1 - cosTheta, 5);
                var k = (roughness + 1) * (roughness + 1) / 8;
                var g1 = cosTheta / (cosTheta * (1 - k) + k);
                return fresnel * g1 * g1;
            }

            // domain: edge0=-1..0 edge1=1..2 x=-2..3
            [Differentiable]
            public static double Smoothstep(double edge0, double edge1, double x)
            {
                var t = Math.Clamp((x - edge0) / (edge1 - edge0), 0.0, 1.0);
                return t * t * (3 - 2 * t) + 0.01 * x;
            }

            // domain: px=0.2..0.4 py=0.2..0.4 a=-1..1 b=-1..1 c=-1..1
            [Differentiable]
            public static float BarycentricInterpolate(float px, float py, float a, float b, float c)
            {
                var v0 = new Vector2(0f, 0f);
                var v1 = new Vector2(1f, 0.1f);
                var v2 = new Vector2(0.2f, 1f);
                var p = new Vector2(px, py);
                var e0 = v1 - v0;
                var e1 = v2 - v0;
                var e2 = p - v0;
                var d00 = Vector2.Dot(e0, e0);
                var d01 = Vector2.Dot(e0, e1);
                var d11 = Vector2.Dot(e1, e1);
                var d20 = Vector2.Dot(e2, e0);
                var d21 = Vector2.Dot(e2, e1);
                var denominator = d00 * d11 - d01 * d01;
                var w1 = (d11 * d20 - d01 * d21) / denominator;
                var w2 = (d00 * d21 - d01 * d20) / denominator;
                var w0 = 1f - w1 - w2;
                return w0 * a + w1 * b + w2 * c;
            }

            // domain: r=0..2 g=0..2 b=0..2 exposure=0.5..2
            [Differentiable]
            public static double AcesTonemapLuminance(double r, double g, double b, double exposure)
            {
                static double Aces(double x) => Math.Clamp(x * (2.51 * x + 0.03) / (x * (2.43 * x + 0.59) + 0.14), 0.0, 1.0);

                return 0.2126 * Aces(r * exposure) + 0.7152 * Aces(g * exposure) + 0.0722 * Aces(b * exposure);
            }

            // domain: nx=-0.3..0.3 ny=0.8..1.2 nz=-0.3..0.3 albedo=0.2..0.9
            [Differentiable]
            public static double LambertRecord(double nx, double ny, double nz, double albedo)
            {
                var n = new Vec3d(nx, ny, nz).Normalized();
                var light = new Vec3d(0.3, 0.9, 0.2).Normalized();
                var toEye = new Vec3d(0, 1, 0) - 0.5 * n;
                return albedo / Math.PI * Math.Max(0, n.Dot(light)) + 0.1 * toEye.Length;
            }

            // domain: kind=0..2 px=-2..2 py=-2..2 size=0.5..1.5
            [Differentiable]
            public static double SignedDistance(int kind, double px, double py, double size)
            {
                switch ((S20ShapeKind)kind)
                {
                    case S20ShapeKind.Circle:
                        return Math.Sqrt(px * px + py * py) - size;
                    case S20ShapeKind.Box:
                    {
                        var qx = Math.Abs(px) - size;
                        var qy = Math.Abs(py) - 0.5 * size;
                        var outside = Math.Sqrt(Math.Max(qx, 0).Squared() + Math.Max(qy, 0).Squared());
                        return outside + Math.Min(Math.Max(qx, qy), 0);
                    }
                    case S20ShapeKind.Capsule:
                    {
                        var h = Math.Clamp(px / size, 0.0, 1.0);
                        var dx = px - size * h;
                        return Math.Sqrt(dx * dx + py * py) - 0.25 * size;
                    }
                    default:
                        throw new ArgumentOutOfRangeException(nameof(kind), $"Unknown shape kind {kind}.");
                }
            }

            // domain: kind=0..2 px=-2..2 py=-2..2 size=0.5..1.5
            [Differentiable]
            public static double SignedDistanceExpression(int kind, double px, double py, double size)
            {
                var shape = (S20ShapeKind)kind;
                var r = Math.Sqrt(px * px + py * py);
                return shape switch
                {
                    S20ShapeKind.Circle => r - size,
                    S20ShapeKind.Box => Math.Max(Math.Abs(px), Math.Abs(py)) - size,
                    _ => r - 0.5 * size + 0.1 * px,
                };
            }

            // domain: a=-1..1 b=-1..1 k=0.1..0.5
            [Differentiable]
            public static double SmoothMin(double a, double b, double k)
            {
                var h = Math.Max(k - Math.Abs(a - b), 0.0) / k;
                return Math.Min(a, b) - h * h * k * 0.25;
            }

            // domain: xy[10]=-1..1
            [Differentiable]
            public static double PolygonArea(double[] xy)
            {
                var n = xy.Length / 2;
                var points = new (double x, double y)[n];
                for (var i = 0; i < n; i++)
                {
                    var angle = 2 * Math.PI * i / n;
                    points[i] = (Math.Cos(angle) * (2 + xy[2 * i]), Math.Sin(angle) * (2 + xy[2 * i + 1]));
                }

                double twiceArea = 0;
                var previous = points[n - 1];
                foreach (var p in points)
                {
                    twiceArea += previous.x * p.y - p.x * previous.y;
                    previous = p;
                }

                return 0.5 * twiceArea;
            }

            // domain: px=-2..2 py=-2..2 ax=-1..0 bx=0.5..1
            [Differentiable]
            public static double PointSegmentDistance(double px, double py, double ax, double bx)
            {
                var abx = bx - ax;
                var aby = 0.5;
                var t = Math.Clamp(((px - ax) * abx + (py - 0) * aby) / (abx * abx + aby * aby), 0, 1);
                var dx = px - (ax + t * abx);
                var dy = py - t * aby;
                return Math.Sqrt(dx * dx + dy * dy + 1e-3);
            }

            // domain: ax=-1..1 ay=-1..1 az=-1..1 bx=-1..1 by=-1..1 bz=-1..1
            [Differentiable]
            public static float TriangleArea(float ax, float ay, float az, float bx, float by, float bz)
            {
                var origin = new Vector3(0.1f, 0.2f, 0.3f);
                var e1 = new Vector3(ax, ay, az) - origin;
                var e2 = new Vector3(bx, by, bz) - origin;
                return 0.5f * MathF.Sqrt(Vector3.Cross(e1, e2).LengthSquared() + 1e-2f);
            }

            // domain: p[3]=-1..1
            [Differentiable]
            public static double TorusDistance(double[] p)
            {
                const double major = 1.0, minor = 0.3;
                var q = Math.Sqrt(p[0] * p[0] + p[2] * p[2] + 1e-4) - major;
                return p is { Length: 3 } ? Math.Sqrt(q * q + p[1] * p[1] + 1e-4) - minor : throw new ArgumentException("need xyz", nameof(p));
            }
        }
        """;
}
