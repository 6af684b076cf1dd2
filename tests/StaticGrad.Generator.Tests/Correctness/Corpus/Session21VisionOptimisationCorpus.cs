namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 21's domain corpus, computer vision, optimisation test functions and geodesy: pinhole projection with
/// <c>Matrix4x4</c>/<c>Vector4</c>/<c>Quaternion</c>, radial distortion, bilinear interpolation on <c>double[,]</c>, a
/// homography, Sobel gradient magnitude; Ackley, Rastrigin, Styblinski–Tang, Beale, Himmelblau, Rosenbrock;
/// haversine, initial bearing with <c>Math.Atan2</c> and an equirectangular distance.
/// </summary>
internal static partial class Session21DomainCorpus
{
    public const string VisionSource = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Corpus;

        public static partial class S21Vision
        {
            // domain: px=-1..1 py=-1..1 pz=3..6 focal=400..800
            [Differentiable]
            public static float PinholeProjectU(float px, float py, float pz, float focal)
            {
                var view = new Matrix4x4(
                    1f, 0f, 0f, 0f,
                    0f, 1f, 0f, 0f,
                    0f, 0f, 1f, 0f,
                    0.1f, -0.2f, 0.5f, 1f);
                var camera = Vector4.Transform(new Vector4(px, py, pz, 1f), view);
                float u = focal * camera.X / camera.Z + 320f;
                float v = focal * camera.Y / camera.Z + 240f;
                return u + 0.5f * v;
            }

            // domain: px=-1..1 py=-1..1 pz=3..6 angle=-0.5..0.5
            [Differentiable]
            public static float RotatedProjection(float px, float py, float pz, float angle)
            {
                var rotation = Quaternion.CreateFromAxisAngle(Vector3.Normalize(new Vector3(0.2f, 1f, 0.1f)), angle);
                var p = Vector3.Transform(new Vector3(px, py, pz), rotation);
                return p.X / p.Z + p.Y / p.Z;
            }

            // domain: x=-0.5..0.5 y=-0.5..0.5 k1=-0.2..0.2 k2=-0.05..0.05
            [Differentiable]
            public static double RadialDistortion(double x, double y, double k1, double k2)
            {
                double r2 = x * x + y * y;
                double factor = 1 + k1 * r2 + k2 * r2 * r2;
                double xd = x * factor, yd = y * factor;
                return xd * 500 + yd * 480;
            }

            // domain: image[4x4]=0..1 x=0.1..0.9 y=1.1..1.9
            [Differentiable]
            public static double BilinearSample(double[,] image, double x, double y)
            {
                int x0 = (int)Math.Floor(x);
                int y0 = (int)Math.Floor(y);
                int x1 = Math.Min(x0 + 1, image.GetLength(1) - 1);
                int y1 = Math.Min(y0 + 1, image.GetLength(0) - 1);
                double fx = x - x0, fy = y - y0;
                double top = image[y0, x0] * (1 - fx) + image[y0, x1] * fx;
                double bottom = image[y1, x0] * (1 - fx) + image[y1, x1] * fx;
                return top * (1 - fy) + bottom * fy;
            }

            // domain: h[9]=-1..1 x=0.5..2 y=0.5..2
            [Differentiable]
            public static double HomographyTransfer(double[] h, double x, double y)
            {
                double w = h[6] * x + h[7] * y + 3.0 + h[8];
                double u = (h[0] * x + h[1] * y + h[2]) / w;
                double v = (h[3] * x + h[4] * y + h[5]) / w;
                return u * u + v;
            }

            // domain: image[5x5]=0..1
            [Differentiable]
            public static double SobelGradientEnergy(double[,] image)
            {
                double energy = 0;
                for (int r = 1; r < image.GetLength(0) - 1; r++)
                {
                    for (int c = 1; c < image.GetLength(1) - 1; c++)
                    {
                        double gx = image[r - 1, c + 1] + 2 * image[r, c + 1] + image[r + 1, c + 1]
                                  - image[r - 1, c - 1] - 2 * image[r, c - 1] - image[r + 1, c - 1];
                        double gy = image[r + 1, c - 1] + 2 * image[r + 1, c] + image[r + 1, c + 1]
                                  - image[r - 1, c - 1] - 2 * image[r - 1, c] - image[r - 1, c + 1];
                        energy += Math.Sqrt(gx * gx + gy * gy + 1e-3);
                    }
                }
                return energy;
            }

            // domain: points[8]=-1..1 tx=-0.2..0.2 ty=-0.2..0.2 depth=3..5
            [Differentiable]
            public static double ReprojectionError(double[] points, double tx, double ty, double depth)
            {
                // points holds (x, y) pairs; observed pixels are a fixed pattern.
                double error = 0;
                for (int i = 0; i + 1 < points.Length; i += 2)
                {
                    double u = 500 * (points[i] + tx) / depth;
                    double v = 500 * (points[i + 1] + ty) / depth;
                    double du = u - 40 * i, dv = v - 10;
                    error += du * du + dv * dv;
                }
                return error / (points.Length / 2);
            }
        }
        """;

    public const string OptimisationSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S21Optimisation
        {
            // domain: x=0.3..2 y=0.3..2
            [Differentiable]
            public static double Ackley(double x, double y)
            {
                const double a = 20, b = 0.2, c = 2 * Math.PI;
                double term1 = -a * Math.Exp(-b * Math.Sqrt(0.5 * (x * x + y * y)));
                double term2 = -Math.Exp(0.5 * (Math.Cos(c * x) + Math.Cos(c * y)));
                return term1 + term2 + a + Math.E;
            }

            // domain: x[5]=-5..5
            [Differentiable]
            public static double Rastrigin(double[] x)
            {
                const double A = 10;
                double sum = A * x.Length;
                for (int i = 0; i < x.Length; i++)
                    sum += x[i] * x[i] - A * Math.Cos(2 * Math.PI * x[i]);
                return sum;
            }

            // domain: x[4]=-5..5
            [Differentiable]
            public static double StyblinskiTang(double[] x)
            {
                double sum = 0;
                foreach (var xi in x)
                    sum += Math.Pow(xi, 4) - 16 * Math.Pow(xi, 2) + 5 * xi;
                return sum / 2;
            }

            // domain: x=-4..4 y=-4..4
            [Differentiable]
            public static double Beale(double x, double y)
                => Math.Pow(1.5 - x + x * y, 2) + Math.Pow(2.25 - x + x * y * y, 2) + Math.Pow(2.625 - x + x * y * y * y, 2);

            // domain: x=-5..5 y=-5..5
            [Differentiable]
            public static double Himmelblau(double x, double y)
            {
                var a = x * x + y - 11;
                var b = x + y * y - 7;
                return a * a + b * b;
            }

            // domain: x[6]=-2..2
            [Differentiable]
            public static double Rosenbrock(double[] x)
            {
                double sum = 0;
                for (int i = 0; i < x.Length - 1; i++)
                    sum += 100 * Math.Pow(x[i + 1] - x[i] * x[i], 2) + Math.Pow(1 - x[i], 2);
                return sum;
            }

            // domain: x=-3..3 y=-3..3
            [Differentiable]
            public static float ThreeHumpCamel(float x, float y)
                => 2f * x * x - 1.05f * MathF.Pow(x, 4) + MathF.Pow(x, 6) / 6f + x * y + y * y;
        }
        """;

    public const string GeodesySource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S21Geodesy
        {
            private const double EarthRadiusKm = 6371.0088;
            private const double DegToRad = Math.PI / 180.0;

            // domain: lat1=10..50 lon1=-20..20 lat2=-40..0 lon2=30..80
            [Differentiable]
            public static double HaversineKm(double lat1, double lon1, double lat2, double lon2)
            {
                double dLat = (lat2 - lat1) * DegToRad;
                double dLon = (lon2 - lon1) * DegToRad;
                double a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
                         + Math.Cos(lat1 * DegToRad) * Math.Cos(lat2 * DegToRad) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
                double c = 2 * Math.Atan2(Math.Sqrt(a), Math.Sqrt(1 - a));
                return EarthRadiusKm * c;
            }

            // domain: lat1=10..50 lon1=-20..20 lat2=-40..0 lon2=30..80
            [Differentiable]
            public static double InitialBearingDegrees(double lat1, double lon1, double lat2, double lon2)
            {
                double phi1 = lat1 * DegToRad, phi2 = lat2 * DegToRad;
                double dLambda = (lon2 - lon1) * DegToRad;
                double y = Math.Sin(dLambda) * Math.Cos(phi2);
                double x = Math.Cos(phi1) * Math.Sin(phi2) - Math.Sin(phi1) * Math.Cos(phi2) * Math.Cos(dLambda);
                double theta = Math.Atan2(y, x);
                return (theta / DegToRad + 360) % 360;
            }

            // domain: lat1=40..50 lon1=0..5 lat2=40..50 lon2=5..10
            [Differentiable]
            public static double EquirectangularKm(double lat1, double lon1, double lat2, double lon2)
            {
                double x = (lon2 - lon1) * DegToRad * Math.Cos((lat1 + lat2) / 2 * DegToRad);
                double y = (lat2 - lat1) * DegToRad;
                return EarthRadiusKm * Math.Sqrt(x * x + y * y);
            }
        }
        """;
}
