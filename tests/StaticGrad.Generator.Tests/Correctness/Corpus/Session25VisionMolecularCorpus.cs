namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 25's domain corpus, computer vision and molecular mechanics, written as a developer in the field writes
/// them: pinhole projection with Brown's radial distortion over a <c>static readonly Vector3[]</c> of world points and
/// over a local <c>Vector3[]</c>, a camera's intrinsics as a <c>readonly record struct</c> with a projecting method, a
/// homography residual over <c>double[,]</c>, photometric loss with bilinear interpolation by <c>Math.Floor</c> and
/// <c>(int)</c> casts, Sobel edges, Sampson's epipolar error over a table of named tuples; Lennard-Jones and Coulomb
/// energies over atom pairs with a cutoff <c>continue</c>, harmonic bonds and angles (<c>Math.Acos</c> of a clamped
/// dot), a torsion by <c>Math.Atan2</c>, an <c>Atom</c> record struct with a distance method. Test points as in
/// <see cref="Session23DomainCorpus.RoboticsSource"/>.
/// </summary>
internal static partial class Session25DomainCorpus
{
    public const string VisionSource = """
        // requires C# 10
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Corpus;

        public readonly record struct S25Intrinsics(double Fx, double Fy, double Cx, double Cy)
        {
            public (double U, double V) Project(double x, double y, double z) => (Fx * x / z + Cx, Fy * y / z + Cy);
            public double AspectRatio => Fy / Fx;
        }

        public static partial class S25Vision
        {
            private static readonly Vector3[] WorldPoints =
            {
                new(0.1f, 0.2f, 2.0f), new(-0.3f, 0.1f, 2.5f), new(0.4f, -0.2f, 3.0f), new(-0.2f, -0.4f, 1.8f), new(0.0f, 0.3f, 2.2f),
            };

            private static readonly Vector2[] Observed =
            {
                new(345.0f, 289.9f), new(260.1f, 260.0f), new(386.5f, 206.7f), new(264.8f, 129.6f), new(320.0f, 308.1f),
            };

            private static readonly (double X1, double Y1, double X2, double Y2)[] Matches =
            {
                (0.10, 0.20, 0.12, 0.19), (-0.30, 0.10, -0.28, 0.12), (0.40, -0.20, 0.43, -0.18), (-0.20, -0.40, -0.21, -0.37),
            };

            private static readonly double[] TargetU = { 0.55, 1.2, 2.1, 2.9 };
            private static readonly double[] TargetV = { 0.45, 1.4, 1.8, 2.7 };

            // domain: fx=400..600 fy=400..600 k1=-0.3..0.1 k2=-0.05..0.05
            // near: fx=500 fy=500 k1=0 k2=0
            // edge: fx=1e-3 fy=1e4 k1=-1 k2=1
            // throws: fx=-1
            [Differentiable]
            public static float ReprojectionError(float fx, float fy, float k1, float k2)
            {
                if (fx <= 0 || fy <= 0) throw new ArgumentOutOfRangeException(nameof(fx), "Focal lengths must be positive.");
                const float cx = 320f, cy = 240f;
                var error = 0f;
                for (var i = 0; i < WorldPoints.Length; i++)
                {
                    var p = WorldPoints[i];
                    var x = p.X / p.Z;
                    var y = p.Y / p.Z;
                    var r2 = x * x + y * y;
                    var distortion = 1 + k1 * r2 + k2 * r2 * r2;
                    var projected = new Vector2(fx * x * distortion + cx, fy * y * distortion + cy);
                    error += Vector2.DistanceSquared(projected, Observed[i]);
                }
                return error / WorldPoints.Length;
            }

            // The same error in double, which finite differences are taken of: the float sum's own rounding (f ≈ 10–120,
            // several roundings of ε·f against a step of 1e-3) exceeds the float check's bound at domain points, while
            // the float gradient agrees with this function's to 1e-5 relative (session 25, checked at three points).
            public static double ReprojectionError_FdReference(float fx, float fy, float k1, float k2, float fx0, float fy0, float k10, float k20)
            {
                const double cx = 320, cy = 240;
                var error = 0.0;
                for (var i = 0; i < WorldPoints.Length; i++)
                {
                    double x = (double)WorldPoints[i].X / WorldPoints[i].Z, y = (double)WorldPoints[i].Y / WorldPoints[i].Z;
                    var r2 = x * x + y * y;
                    var distortion = 1 + (double)k1 * r2 + (double)k2 * r2 * r2;
                    var du = fx * x * distortion + cx - Observed[i].X;
                    var dv = fy * y * distortion + cy - Observed[i].Y;
                    error += du * du + dv * dv;
                }
                return error / WorldPoints.Length;
            }

            // domain: coords[12]=-0.5..0.5 depth=2..4 focal=0.8..1.2 k1=-0.2..0.2
            // near: k1=0.0001
            // edge: coords=0 depth=1000 focal=1 k1=0
            [Differentiable]
            public static float ProjectedSpread(float[] coords, float depth, float focal, float k1)
            {
                var points = new Vector3[coords.Length / 3];
                for (var i = 0; i < points.Length; i++)
                    points[i] = new Vector3(coords[3 * i], coords[3 * i + 1], depth + coords[3 * i + 2]);
                var spread = 0f;
                foreach (var p in points)
                {
                    var normalized = new Vector2(p.X, p.Y) / p.Z;
                    var image = focal * (1 + k1 * normalized.LengthSquared()) * normalized;
                    spread += image.LengthSquared();
                }
                return spread;
            }

            // domain: fx=400..600 fy=400..600 x=-0.5..0.5 y=-0.5..0.5 z=1..5
            // near: z=1
            // edge: fx=1 fy=1e6 x=0 y=0 z=1e6
            // throws: z=0
            [Differentiable]
            public static double ProjectWithIntrinsics(double fx, double fy, double x, double y, double z)
            {
                if (z is <= 0) throw new ArgumentOutOfRangeException(nameof(z), z, "The point is behind the camera.");
                var camera = new S25Intrinsics(fx, fy, 320, 240);
                var (u, v) = camera.Project(x, y, z);
                return (u - 330) * (u - 330) + (v - 250) * (v - 250) + camera.AspectRatio;
            }

            // domain: h[3x3]=0.8..1.2
            // near: h[6]=0.0001 h[7]=0.0001
            // edge: h=1
            // throws: h=0
            [Differentiable]
            public static double HomographyResidual(double[,] h)
            {
                double residual = 0;
                for (var i = 0; i < TargetU.Length; i++)
                {
                    var x = 0.25 * i;
                    var y = 0.5 + 0.1 * i;
                    var w = h[2, 0] * x + h[2, 1] * y + h[2, 2];
                    if (Math.Abs(w) < 1e-12) throw new InvalidOperationException("The point maps to infinity.");
                    var u = (h[0, 0] * x + h[0, 1] * y + h[0, 2]) / w;
                    var v = (h[1, 0] * x + h[1, 1] * y + h[1, 2]) / w;
                    residual += (u - TargetU[i]) * (u - TargetU[i]) + (v - TargetV[i]) * (v - TargetV[i]);
                }
                return residual;
            }

            // domain: image[16]=0..1 u=0.2..2.3 v=0.2..2.3 template[4]=0..1
            // near: u=1.0001 v=0.4
            // edge: image=0.5 u=-3.5 v=7.5
            [Differentiable]
            public static double PhotometricLoss(double[] image, double u, double v, [NoGrad] double[] template)
            {
                const int width = 4, height = 4;
                double Sample(double x, double y)
                {
                    var x0 = Math.Clamp((int)Math.Floor(x), 0, width - 2);
                    var y0 = Math.Clamp((int)Math.Floor(y), 0, height - 2);
                    var ax = x - x0;
                    var ay = y - y0;
                    var top = (1 - ax) * image[y0 * width + x0] + ax * image[y0 * width + x0 + 1];
                    var bottom = (1 - ax) * image[(y0 + 1) * width + x0] + ax * image[(y0 + 1) * width + x0 + 1];
                    return (1 - ay) * top + ay * bottom;
                }
                var loss = 0.0;
                for (var dy = 0; dy < 2; dy++)
                {
                    for (var dx = 0; dx < 2; dx++)
                    {
                        var r = Sample(u + 0.5 * dx, v + 0.5 * dy) - template[dy * 2 + dx];
                        loss += r * r;
                    }
                }
                return loss;
            }

            // domain: img[5x5]=0..1
            // near: img=0.5 img[12]=0.51
            // edge: img=0
            [Differentiable]
            public static double SobelEdgeEnergy(double[,] img)
            {
                var energy = 0.0;
                for (var r = 1; r < img.GetLength(0) - 1; r++)
                {
                    for (var c = 1; c < img.GetLength(1) - 1; c++)
                    {
                        var gx = img[r - 1, c + 1] + 2 * img[r, c + 1] + img[r + 1, c + 1] - img[r - 1, c - 1] - 2 * img[r, c - 1] - img[r + 1, c - 1];
                        var gy = img[r + 1, c - 1] + 2 * img[r + 1, c] + img[r + 1, c + 1] - img[r - 1, c - 1] - 2 * img[r - 1, c] - img[r - 1, c + 1];
                        energy += Math.Sqrt(gx * gx + gy * gy + 1e-9);
                    }
                }
                return energy;
            }

            // domain: f[9]=-1..1
            // near: f=0.1 f[8]=0.0001
            // edge: f=0
            [Differentiable]
            public static double SampsonError(double[] f)
            {
                var total = 0.0;
                foreach (var (x1, y1, x2, y2) in Matches)
                {
                    var fx0 = f[0] * x1 + f[1] * y1 + f[2];
                    var fx1 = f[3] * x1 + f[4] * y1 + f[5];
                    var fx2 = f[6] * x1 + f[7] * y1 + f[8];
                    var ftx0 = f[0] * x2 + f[3] * y2 + f[6];
                    var ftx1 = f[1] * x2 + f[4] * y2 + f[7];
                    var algebraic = x2 * fx0 + y2 * fx1 + fx2;
                    var denominator = fx0 * fx0 + fx1 * fx1 + ftx0 * ftx0 + ftx1 * ftx1;
                    total += algebraic * algebraic / (denominator + 1e-9);
                }
                return total;
            }

            // domain: residuals[6]=-3..3
            // near: residuals=0.999
            // edge: residuals=1e8
            [Differentiable]
            public static double HuberReprojectionCost(params double[] residuals)
            {
                const double delta = 1.0;
                var cost = 0.0;
                foreach (var r in residuals)
                {
                    cost += Math.Abs(r) switch
                    {
                        <= delta => 0.5 * r * r,
                        var a => delta * (a - 0.5 * delta),
                    };
                }
                return cost;
            }

            // domain: disparity=1..64 focal=500..800 baseline=0.05..0.3
            // near: disparity=0.5
            // edge: disparity=1e-3 focal=1e4 baseline=1
            // throws: disparity=0
            [Differentiable]
            public static double StereoDepth(double disparity, double focal, double baseline)
            {
                if (disparity is <= 0 or double.NaN)
                    throw new ArgumentOutOfRangeException(nameof(disparity), "A match must have positive disparity.");
                var depth = focal * baseline / disparity;
                return depth > 100 ? 100 + Math.Log(depth - 99) : depth;
            }
        }
        """;

    public const string MolecularSource = """
        // requires C# 10
        using System;
        using StaticGrad;

        namespace Corpus;

        public readonly record struct S25Atom(double X, double Y, double Z, double Charge)
        {
            public double DistanceTo(S25Atom other)
            {
                var dx = X - other.X;
                var dy = Y - other.Y;
                var dz = Z - other.Z;
                return Math.Sqrt(dx * dx + dy * dy + dz * dz);
            }

            public double Distance(S25Atom other) =>
                Math.Sqrt((X - other.X) * (X - other.X) + (Y - other.Y) * (Y - other.Y) + (Z - other.Z) * (Z - other.Z));
        }

        public static partial class S25Molecular
        {
            // Four atoms on a stretched square; the parameters displace them.
            private static readonly S25Atom[] Reference =
            {
                new(0.0, 0.0, 0.0, 0.4), new(1.1, 0.0, 0.0, -0.4), new(1.1, 1.2, 0.1, 0.3), new(0.0, 1.2, -0.1, -0.3),
            };

            private static readonly (int A, int B)[] Bonds = { (0, 1), (1, 2), (2, 3) };
            private static readonly (int A, int Center, int B)[] Angles = { (0, 1, 2), (1, 2, 3) };

            // domain: displacement[12]=-0.2..0.2 sigma=0.9..1.1 epsilon=0.5..1.5
            // near: displacement=0 sigma=1
            // edge: displacement[3]=-0.6 sigma=0.3 epsilon=1e-3
            [Differentiable]
            public static double LennardJonesEnergy(double[] displacement, double sigma, double epsilon)
            {
                const double cutoff = 2.5;
                var energy = 0.0;
                for (var i = 0; i < Reference.Length; i++)
                {
                    for (var j = i + 1; j < Reference.Length; j++)
                    {
                        var dx = Reference[j].X + displacement[3 * j] - Reference[i].X - displacement[3 * i];
                        var dy = Reference[j].Y + displacement[3 * j + 1] - Reference[i].Y - displacement[3 * i + 1];
                        var dz = Reference[j].Z + displacement[3 * j + 2] - Reference[i].Z - displacement[3 * i + 2];
                        var r2 = dx * dx + dy * dy + dz * dz;
                        if (r2 > cutoff * cutoff * sigma * sigma) continue;
                        var s6 = Math.Pow(sigma * sigma / r2, 3);
                        energy += 4 * epsilon * (s6 * s6 - s6);
                    }
                }
                return energy;
            }

            // domain: displacement[12]=-0.2..0.2 dielectric=1..80
            // near: dielectric=1
            // edge: displacement=0 dielectric=1e6
            // throws: dielectric=0
            [Differentiable]
            public static double CoulombEnergy(double[] displacement, double dielectric = 1.0)
            {
                if (dielectric <= 0) throw new ArgumentOutOfRangeException(nameof(dielectric));
                const double coulombConstant = 332.0637;
                const double cutoff = 1.6;
                var energy = 0.0;
                for (var i = 0; i < Reference.Length; i++)
                {
                    var a = Reference[i] with { X = Reference[i].X + displacement[3 * i], Y = Reference[i].Y + displacement[3 * i + 1], Z = Reference[i].Z + displacement[3 * i + 2] };
                    for (var j = i + 1; j < Reference.Length; j++)
                    {
                        var b = new S25Atom(Reference[j].X + displacement[3 * j], Reference[j].Y + displacement[3 * j + 1], Reference[j].Z + displacement[3 * j + 2], Reference[j].Charge);
                        var r = a.Distance(b);
                        if (r > cutoff) continue;
                        energy += coulombConstant * a.Charge * b.Charge / (dielectric * r);
                    }
                }
                return energy;
            }

            // domain: coords[12]=-0.2..0.2 k=100..500 r0=0.9..1.2
            // near: coords=0 r0=1.1
            // edge: coords=0 k=1e5 r0=0
            [Differentiable]
            public static double HarmonicBondEnergy(double[] coords, double k, double r0)
            {
                var energy = 0.0;
                foreach (var (a, b) in Bonds)
                {
                    var dx = Reference[b].X + coords[3 * b] - Reference[a].X - coords[3 * a];
                    var dy = Reference[b].Y + coords[3 * b + 1] - Reference[a].Y - coords[3 * a + 1];
                    var dz = Reference[b].Z + coords[3 * b + 2] - Reference[a].Z - coords[3 * a + 2];
                    var stretch = Math.Sqrt(dx * dx + dy * dy + dz * dz) - r0;
                    energy += 0.5 * k * stretch * stretch;
                }
                return energy;
            }

            // domain: coords[12]=-0.2..0.2 k=50..100 theta0=1.5..2
            // near: coords=0 theta0=1.5708
            // edge: coords=0.01 k=1e-3 theta0=3.1
            [Differentiable]
            public static double HarmonicAngleEnergy(double[] coords, double k, double theta0)
            {
                double Coordinate(int atom, int axis) => axis switch
                {
                    0 => Reference[atom].X + coords[3 * atom],
                    1 => Reference[atom].Y + coords[3 * atom + 1],
                    _ => Reference[atom].Z + coords[3 * atom + 2],
                };
                var energy = 0.0;
                foreach (var (a, c, b) in Angles)
                {
                    double dot = 0, la = 0, lb = 0;
                    for (var axis = 0; axis < 3; axis++)
                    {
                        var u = Coordinate(a, axis) - Coordinate(c, axis);
                        var v = Coordinate(b, axis) - Coordinate(c, axis);
                        dot += u * v;
                        la += u * u;
                        lb += v * v;
                    }
                    var cosine = Math.Clamp(dot / Math.Sqrt(la * lb), -1.0, 1.0);
                    var theta = Math.Acos(cosine);
                    energy += k * (theta - theta0) * (theta - theta0);
                }
                return energy;
            }

            // domain: coords[12]=-0.2..0.2 barrier=1..5 phase=0..1
            // near: coords=0 phase=0
            // edge: coords=0 barrier=1e4 phase=3.14159
            [Differentiable]
            public static double TorsionEnergy(double[] coords, double barrier, double phase)
            {
                Span<double> p = stackalloc double[12];
                for (var i = 0; i < 4; i++)
                {
                    p[3 * i] = Reference[i].X + coords[3 * i];
                    p[3 * i + 1] = Reference[i].Y + coords[3 * i + 1];
                    p[3 * i + 2] = Reference[i].Z + coords[3 * i + 2];
                }
                double b1x = p[3] - p[0], b1y = p[4] - p[1], b1z = p[5] - p[2];
                double b2x = p[6] - p[3], b2y = p[7] - p[4], b2z = p[8] - p[5];
                double b3x = p[9] - p[6], b3y = p[10] - p[7], b3z = p[11] - p[8];
                var n1x = b1y * b2z - b1z * b2y;
                var n1y = b1z * b2x - b1x * b2z;
                var n1z = b1x * b2y - b1y * b2x;
                var n2x = b2y * b3z - b2z * b3y;
                var n2y = b2z * b3x - b2x * b3z;
                var n2z = b2x * b3y - b2y * b3x;
                var b2Length = Math.Sqrt(b2x * b2x + b2y * b2y + b2z * b2z);
                var m1x = n1y * b2z - n1z * b2y;
                var m1y = n1z * b2x - n1x * b2z;
                var m1z = n1x * b2y - n1y * b2x;
                var x = n1x * n2x + n1y * n2y + n1z * n2z;
                var y = (m1x * n2x + m1y * n2y + m1z * n2z) / b2Length;
                var phi = Math.Atan2(y, x);
                return barrier * (1 + Math.Cos(3 * phi - phase));
            }

            // domain: r=0.8..2.5 de=1..5 a=1..2.5 re=0.9..1.2
            // near: r=1 re=1
            // edge: r=50 de=1e-3 a=10 re=0.5
            // throws: r=0
            [Differentiable]
            public static double MorsePotential(double r, double de, double a, double re)
            {
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(r);
                var decay = 1 - Math.Exp(-a * (r - re));
                return de * decay * decay;
            }

            // domain: x1=-1..1 y1=-1..1 z1=-1..1 q1=-1..1 x2=2..3 y2=-1..1 z2=-1..1 q2=-1..1
            // near: q1=0 q2=0.0001
            // edge: x1=0 y1=0 z1=0 x2=1e3 y2=0 z2=0 q1=1 q2=1
            [Differentiable]
            public static double PairEnergy(double x1, double y1, double z1, double q1, double x2, double y2, double z2, double q2)
            {
                var a = new S25Atom(x1, y1, z1, q1);
                var b = new S25Atom(x2, y2, z2, q2);
                var r = a.DistanceTo(b);
                var (repulsion, electrostatic) = (Math.Pow(1 / r, 12), a.Charge * b.Charge / r);
                return repulsion + electrostatic;
            }

            // domain: x1=-1..1 y1=-1..1 z1=-1..1 q1=-1..1 x2=2..3 y2=-1..1 z2=-1..1 q2=-1..1
            // near: q1=0 q2=0.0001
            // edge: x1=0 y1=0 z1=0 x2=1e3 y2=0 z2=0 q1=1 q2=1
            [Differentiable]
            public static double PairEnergyExpressionBodied(double x1, double y1, double z1, double q1, double x2, double y2, double z2, double q2)
            {
                // PairEnergy's rewrite: the distance by the record struct's one-expression method.
                var a = new S25Atom(x1, y1, z1, q1);
                var b = new S25Atom(x2, y2, z2, q2);
                var r = a.Distance(b);
                var (repulsion, electrostatic) = (Math.Pow(1 / r, 12), a.Charge * b.Charge / r);
                return repulsion + electrostatic;
            }

            // domain: positions[12]=-0.1..0.1 box=3..5
            // near: positions=0 positions[0]=0.05 positions[3]=-0.04 positions[6]=0.05
            // edge: positions=0.05 positions[0]=0.3 positions[3]=0.25 box=1e3
            // throws: box=0.5
            [Differentiable]
            public static double PeriodicSoftSphereEnergy(double[] positions, double box)
            {
                if (box < 2) throw new ArgumentOutOfRangeException(nameof(box), box, "The box must hold twice the cutoff.");
                var n = positions.Length / 3;
                var energy = 0.0;
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        if (j <= i) continue;
                        var r2 = 0.0;
                        for (var axis = 0; axis < 3; axis++)
                        {
                            var d = Reference[j].X * (axis == 0 ? 1 : 0) + positions[3 * j + axis] - Reference[i].X * (axis == 0 ? 1 : 0) - positions[3 * i + axis];
                            d -= box * Math.Round(d / box);
                            r2 += d * d;
                        }
                        if (r2 >= 1.0) continue;
                        energy += (1 - Math.Sqrt(r2)) * (1 - Math.Sqrt(r2));
                    }
                }
                return energy;
            }
        }
        """;
}
