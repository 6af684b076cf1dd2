namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 23's domain corpus, robotics and computer graphics, written as a .NET developer in the field writes it:
/// forward kinematics with <c>Vector3</c>, <c>Quaternion</c> and <c>Matrix4x4</c>, joint limits with
/// <c>Math.Clamp</c>, odometry with tuple state, ray–sphere and ray–plane intersection with early returns, smootherstep
/// by relational patterns, Schlick/GGX/Cook–Torrance terms, signed-distance functions chosen by a <c>switch</c> on an
/// enum, sRGB decoding and bilinear texture sampling over <c>double[,]</c> with <c>checked</c> indices.
/// </summary>
/// <remarks>
/// Besides the domain drawn from, a method may name test points: <c>// near: x=1.0001</c> (next to a branch) and
/// <c>// edge: x=-3</c> (adversarial); parameters not named are drawn from the domain, <c>a=v</c> sets every element
/// of an array and <c>a[2]=v</c> one (Session23CorpusPointTests). <c>// throws: …</c> is a point where the method
/// throws: the backward must throw the same exception before writing any adjoint.
/// </remarks>
internal static partial class Session23DomainCorpus
{
    public const string RoboticsSource = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Corpus;

        public static partial class S23Robotics
        {
            private const double TargetX = 1.2, TargetY = 0.4;
            private static readonly double[] LinkLengths = { 0.9, 0.7, 0.4 };

            // domain: theta1=-1..1 theta2=0.2..2 l1=0.5..1.5 l2=0.5..1.5
            // near: theta2=0.2
            // edge: theta1=0 theta2=3.14159 l1=1 l2=1
            [Differentiable]
            public static double TwoLinkReachError(double theta1, double theta2, double l1, double l2)
            {
                var (x, y) = (l1 * Math.Cos(theta1) + l2 * Math.Cos(theta1 + theta2),
                              l1 * Math.Sin(theta1) + l2 * Math.Sin(theta1 + theta2));
                var (dx, dy) = (x - TargetX, y - TargetY);
                return dx * dx + dy * dy;
            }

            // domain: angles[3]=-1..1
            // near: angles[2]=0.001
            // edge: angles=0
            [Differentiable]
            public static double PlanarChainTipDistance(double[] angles)
            {
                double x = 0, y = 0, heading = 0;
                for (var i = 0; i < angles.Length; i++)
                {
                    heading += angles[i];
                    x += LinkLengths[i] * Math.Cos(heading);
                    y += LinkLengths[i] * Math.Sin(heading);
                }
                return Math.Sqrt(x * x + y * y);
            }

            // domain: yaw=-1..1 pitch=-0.7..0.7 roll=-1..1 reach=0.5..2
            // near: pitch=0.0001
            // edge: yaw=0 pitch=0 roll=0 reach=1
            [Differentiable]
            public static float QuaternionToolPointDistance(float yaw, float pitch, float roll, float reach)
            {
                var orientation = Quaternion.CreateFromYawPitchRoll(yaw, pitch, roll);
                var tool = Vector3.Transform(new Vector3(reach, 0f, 0f), orientation);
                var target = new Vector3(0.5f, 0.5f, 0.2f);
                return Vector3.Distance(tool, target);
            }

            // domain: angle=-2..2 ax=0.2..1 ay=0.2..1 az=0.2..1
            // near: angle=0.0001
            // edge: angle=3.14159 ax=1 ay=0.2 az=0.2
            [Differentiable]
            public static float AxisAngleRotatedHeight(float angle, float ax, float ay, float az)
            {
                var axis = Vector3.Normalize(new Vector3(ax, ay, az));
                var q = Quaternion.CreateFromAxisAngle(axis, angle);
                var p = Vector3.Transform(Vector3.UnitX, q);
                return p.Z + 0.5f * p.Y;
            }

            // domain: yaw=-1..1 pitch=-0.7..0.7 roll=-1..1
            // near: yaw=0.001 pitch=0.001 roll=0.001
            // edge: yaw=1.5 pitch=0.7 roll=-1
            [Differentiable]
            public static float OrientationErrorFromIdentity(float yaw, float pitch, float roll)
            {
                var q = Quaternion.CreateFromYawPitchRoll(yaw, pitch, roll);
                var d = Quaternion.Dot(q, Quaternion.Identity);
                return 1f - d * d;
            }

            // domain: theta1=-1..1 theta2=-1..1 length=0.3..1
            // near: theta2=0.0001
            // edge: theta1=0 theta2=0 length=1
            [Differentiable]
            public static float DenavitHartenbergTip(float theta1, float theta2, float length)
            {
                // Each joint: rotate about z, then translate along the rotated x axis.
                var joint1 = Matrix4x4.CreateTranslation(length, 0f, 0f) * Matrix4x4.CreateRotationZ(theta1);
                var joint2 = Matrix4x4.CreateTranslation(0.6f, 0f, 0f) * Matrix4x4.CreateRotationZ(theta2);
                var tip = Vector3.Transform(Vector3.Zero, joint2 * joint1);
                return tip.X + 0.5f * tip.Y;
            }

            // domain: angles[4]=-2..2 lower=-1.2..-0.8 upper=0.8..1.2
            // near: angles[0]=-0.80001 lower=-0.8
            // edge: angles=5 lower=-1 upper=1
            [Differentiable]
            public static double JointLimitPenalty(double[] angles, double lower, double upper)
            {
                const double weight = 10.0;
                var penalty = 0.0;
                foreach (var q in angles)
                {
                    var limited = Math.Clamp(q, lower, upper);
                    penalty += weight * (q - limited) * (q - limited) + 0.01 * limited * limited;
                }
                return penalty;
            }

            // domain: x=0.3..1.2 y=0.1..0.8 l1=0.8..1 l2=0.6..0.8
            // near: x=1.1 y=0.865 l1=0.8 l2=0.6
            // edge: x=2 y=2 l1=0.8 l2=0.6
            [Differentiable]
            public static double ElbowAngleFromTarget(double x, double y, double l1, double l2)
            {
                // Law of cosines; an unreachable target is clamped to the straight arm, as IK solvers do.
                var cosElbow = (x * x + y * y - l1 * l1 - l2 * l2) / (2 * l1 * l2);
                return Math.Acos(Math.Clamp(cosElbow, -0.999, 0.999));
            }

            // domain: left[6]=0.5..1.5 right[6]=0.5..1.5 wheelBase=0.3..0.6
            // near: left=1 right=1
            // edge: left=0 right=0 wheelBase=0.3
            [Differentiable]
            public static double DifferentialDriveGoalDistance(double[] left, double[] right, double wheelBase)
            {
                const double dt = 0.1;
                var (x, y, heading) = (0.0, 0.0, 0.0);
                for (var i = 0; i < left.Length; i++)
                {
                    var v = 0.5 * (left[i] + right[i]);
                    var omega = (right[i] - left[i]) / wheelBase;
                    x += v * Math.Cos(heading) * dt;
                    y += v * Math.Sin(heading) * dt;
                    heading += omega * dt;
                }
                var (ex, ey) = (x - 0.5, y - 0.1);
                return Math.Sqrt(ex * ex + ey * ey) + 0.1 * heading * heading;
            }

            // domain: kp=0.5..3 ki=0.1..1 kd=0.01..0.2
            // near: ki=0.1
            // edge: kp=10 ki=5 kd=0
            [Differentiable]
            public static double PidTrackingCost(double kp, double ki, double kd)
            {
                const double dt = 0.05, setpoint = 1.0, windup = 0.5;
                double position = 0, integral = 0, previousError = setpoint, cost = 0;
                for (var step = 0; step < 40; step++)
                {
                    var error = setpoint - position;
                    integral = Math.Clamp(integral + error * dt, -windup, windup);
                    var derivative = (error - previousError) / dt;
                    var u = kp * error + ki * integral + kd * derivative;
                    position += (u - position) * dt;
                    previousError = error;
                    cost += error * error * dt;
                }
                return cost;
            }

            // domain: theta1=-1..1 theta2=0.3..2.8 l1=0.5..1.5 l2=0.5..1.5
            // near: theta2=0.3
            // edge: theta2=3.1 l1=0.5 l2=0.5
            [Differentiable]
            public static double Manipulability(double theta1, double theta2, double l1, double l2)
            {
                // |det J| of the planar two-link arm; theta1 drops out, as it should.
                var j11 = -l1 * Math.Sin(theta1) - l2 * Math.Sin(theta1 + theta2);
                var j12 = -l2 * Math.Sin(theta1 + theta2);
                var j21 = l1 * Math.Cos(theta1) + l2 * Math.Cos(theta1 + theta2);
                var j22 = l2 * Math.Cos(theta1 + theta2);
                return Math.Abs(j11 * j22 - j12 * j21);
            }

            // domain: command=-0.5..1.5 maxForce=5..20
            // near: command=0.0001
            // edge: command=0.99999 maxForce=5
            [Differentiable]
            public static double GripperForce(double command, double maxForce) => command switch
            {
                <= 0 => 0.0,
                >= 1 => maxForce,
                _ => maxForce * command * command * (3 - 2 * command),
            };
        }
        """;

    public const string GraphicsSource = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Corpus;

        public enum S23Shape { Sphere, Box, Torus, Capsule }

        public static partial class S23Graphics
        {
            private const double Epsilon = 1e-9;

            // domain: ox=-0.5..0.5 oy=-0.5..0.5 oz=-1..1 radius=1..2
            // near: ox=0.999 oy=0 radius=1
            // edge: ox=5 oy=5 oz=0 radius=1
            [Differentiable]
            public static double RaySphereHitDistance(double ox, double oy, double oz, double radius)
            {
                // Ray along +z from (ox, oy, oz) against a sphere at (0.2, -0.1, 5).
                var (lx, ly, lz) = (ox - 0.2, oy + 0.1, oz - 5.0);
                var b = lz;
                var c = lx * lx + ly * ly + lz * lz - radius * radius;
                var discriminant = b * b - c;
                if (discriminant < 0) return -1.0;
                var root = Math.Sqrt(discriminant);
                var t = -b - root;
                if (t < 0) t = -b + root;
                if (t < 0) return -1.0;
                return t;
            }

            // domain: oy=0.5..2 dirY=-1..-0.2 dirX=-0.5..0.5
            // near: dirY=-0.2
            // edge: dirY=-0.001 dirX=0.01
            [Differentiable]
            public static double RayPlaneShadow(double oy, double dirY, double dirX)
            {
                // Ground plane y = 0: a ray parallel to it never hits, one pointing away neither.
                if (Math.Abs(dirY) < Epsilon) return 0;
                var t = -oy / dirY;
                if (t <= 0) return 0;
                var hitX = dirX * t;
                return Math.Exp(-0.5 * hitX * hitX) / (1 + t);
            }

            // domain: edge0=-0.5..0 edge1=1..1.5 x=-1..2
            // near: x=1.00001 edge1=1
            // edge: x=-100 edge0=0 edge1=1
            [Differentiable]
            public static double SmootherStep(double edge0, double edge1, double x)
            {
                var t = (x - edge0) / (edge1 - edge0);
                return t switch
                {
                    <= 0 => 0,
                    >= 1 => 1,
                    _ => t * t * t * (t * (t * 6 - 15) + 10),
                };
            }

            // domain: cosTheta=0.05..1 ior=1.2..2
            // near: cosTheta=0.99999
            // edge: cosTheta=0 ior=1
            [Differentiable]
            public static float SchlickFresnel(float cosTheta, float ior)
            {
                var r0 = (1f - ior) / (1f + ior);
                r0 *= r0;
                return r0 + (1f - r0) * MathF.Pow(1f - cosTheta, 5f);
            }

            // domain: roughness=0.1..0.9 lx=-0.5..0.5 ly=0.5..1 lz=-0.5..0.5
            // near: roughness=0.1
            // edge: roughness=1 lx=0 ly=1 lz=0
            [Differentiable]
            public static float CookTorranceSpecular(float roughness, float lx, float ly, float lz)
            {
                var n = Vector3.UnitY;
                var v = Vector3.Normalize(new Vector3(0.2f, 1f, 0.1f));
                var l = Vector3.Normalize(new Vector3(lx, ly, lz));
                var h = Vector3.Normalize(l + v);
                var nDotL = MathF.Max(Vector3.Dot(n, l), 1e-4f);
                var nDotV = MathF.Max(Vector3.Dot(n, v), 1e-4f);
                var nDotH = MathF.Max(Vector3.Dot(n, h), 0f);
                var alpha = roughness * roughness;
                var a2 = alpha * alpha;
                var denom = nDotH * nDotH * (a2 - 1f) + 1f;
                var distribution = a2 / (MathF.PI * denom * denom);
                static float SmithG1(float nDotX, float a2) => 2f * nDotX / (nDotX + MathF.Sqrt(a2 + (1f - a2) * nDotX * nDotX));
                var geometry = SmithG1(nDotL, a2) * SmithG1(nDotV, a2);
                var fresnel = 0.04f + 0.96f * MathF.Pow(1f - MathF.Max(Vector3.Dot(h, v), 0f), 5f);
                return distribution * geometry * fresnel / (4f * nDotL * nDotV);
            }

            // domain: shape=0..3 px=0.6..1 py=0.6..1 pz=0.6..1 size=0.3..0.5
            // near: shape=1 px=0.6 py=0.61 pz=0.62 size=0.5
            // edge: shape=3 px=0.1 py=10 pz=0 size=0.3
            // throws: shape=7
            [Differentiable]
            public static double SignedDistance(int shape, double px, double py, double pz, double size)
            {
                switch ((S23Shape)shape)
                {
                    case S23Shape.Sphere:
                        return Math.Sqrt(px * px + py * py + pz * pz) - size;
                    case S23Shape.Box:
                    {
                        var qx = Math.Abs(px) - size;
                        var qy = Math.Abs(py) - size;
                        var qz = Math.Abs(pz) - size;
                        var (ox, oy, oz) = (Math.Max(qx, 0), Math.Max(qy, 0), Math.Max(qz, 0));
                        return Math.Sqrt(ox * ox + oy * oy + oz * oz) + Math.Min(Math.Max(qx, Math.Max(qy, qz)), 0);
                    }
                    case S23Shape.Torus:
                    {
                        var ring = Math.Sqrt(px * px + pz * pz) - 2 * size;
                        return Math.Sqrt(ring * ring + py * py) - 0.5 * size;
                    }
                    case S23Shape.Capsule:
                    {
                        var h = Math.Clamp(py / (4 * size), 0.0, 1.0);
                        var dy = py - 4 * size * h;
                        return Math.Sqrt(px * px + dy * dy + pz * pz) - size;
                    }
                    default:
                        throw new ArgumentOutOfRangeException(nameof(shape), shape, "Unknown shape.");
                }
            }

            // domain: px=-1..1 py=-1..1 pz=-1..1 k=0.1..0.5
            // near: px=0.3 py=0.3 pz=0.3 k=0.1
            // edge: px=0 py=0 pz=0 k=0.5
            [Differentiable]
            public static double SmoothUnionScene(double px, double py, double pz, double k)
            {
                var sphere = Math.Sqrt((px - 0.3) * (px - 0.3) + py * py + pz * pz) - 0.5;
                var box = Math.Max(Math.Abs(px + 0.3), Math.Max(Math.Abs(py), Math.Abs(pz))) - 0.4;
                var h = Math.Clamp(0.5 + 0.5 * (box - sphere) / k, 0.0, 1.0);
                return box + (sphere - box) * h - k * h * (1.0 - h);
            }

            // domain: r=0..1 g=0..1 b=0..1
            // near: r=0.0404 g=0.0405 b=0.04
            // edge: r=0 g=1 b=0
            [Differentiable]
            public static double RelativeLuminance(double r, double g, double b)
            {
                static double ToLinear(double c) => c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
                return 0.2126 * ToLinear(r) + 0.7152 * ToLinear(g) + 0.0722 * ToLinear(b);
            }

            // domain: hdr[6]=0..4 exposure=-1..1
            // near: exposure=0
            // edge: hdr=0 exposure=3
            [Differentiable]
            public static float ReinhardMeanOutput(float[] hdr, float exposure)
            {
                var scale = MathF.Pow(2f, exposure);
                var sum = 0f;
                foreach (var value in hdr)
                {
                    var c = value * scale;
                    sum += c / (1f + c);
                }
                return sum / hdr.Length;
            }

            // domain: texture[4x4]=0..1 u=0.05..0.95 v=0.05..0.95
            // near: u=0.3334 v=0.6666
            // edge: u=0 v=1
            [Differentiable]
            public static double BilinearSample(double[,] texture, double u, double v)
            {
                int rows = texture.GetLength(0), cols = texture.GetLength(1);
                var x = u * (cols - 1);
                var y = v * (rows - 1);
                var i0 = Math.Clamp(checked((int)Math.Floor(y)), 0, rows - 2);
                var j0 = Math.Clamp(checked((int)Math.Floor(x)), 0, cols - 2);
                var fy = y - i0;
                var fx = x - j0;
                var top = texture[i0, j0] * (1 - fx) + texture[i0, j0 + 1] * fx;
                var bottom = texture[i0 + 1, j0] * (1 - fx) + texture[i0 + 1, j0 + 1] * fx;
                return top * (1 - fy) + bottom * fy;
            }

            // domain: cosI=0.8..1 eta=1.1..1.5
            // near: cosI=0.746 eta=1.5
            // edge: cosI=0.01 eta=1.5
            [Differentiable]
            public static double FresnelDielectric(double cosI, double eta)
            {
                var sinT2 = eta * eta * (1 - cosI * cosI);
                if (sinT2 >= 1) return 1.0; // total internal reflection
                var cosT = Math.Sqrt(1 - sinT2);
                var rs = (eta * cosI - cosT) / (eta * cosI + cosT);
                var rp = (cosI - eta * cosT) / (cosI + eta * cosT);
                return 0.5 * (rs * rs + rp * rp);
            }

            // domain: cosAngle=0.5..1 inner=0.9..0.95 outer=0.7..0.8
            // near: cosAngle=0.9499 inner=0.95
            // edge: cosAngle=0 inner=0.95 outer=0.8
            // throws: cosAngle=1.5 inner=0.9 outer=0.7
            [Differentiable]
            public static double SpotlightFalloff(double cosAngle, double inner, double outer)
            {
                if (cosAngle is < -1 or > 1)
                    throw new ArgumentOutOfRangeException(nameof(cosAngle), "A cosine lies in [-1, 1].");
                var t = Math.Clamp((cosAngle - outer) / (inner - outer), 0.0, 1.0);
                return t * t * (3 - 2 * t);
            }
        }
        """;
}
