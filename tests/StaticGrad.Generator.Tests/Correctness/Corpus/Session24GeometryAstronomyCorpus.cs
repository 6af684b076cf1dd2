namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 24's domain corpus, geometry processing and astronomy: mesh energies over an <c>int[]</c> triangle index
/// table and a local <c>Vector3[]</c> of positions, triangle areas by <c>Vector3.Cross</c>, Laplacian smoothing,
/// edge-length springs over a table of a <c>readonly struct Edge</c>, a helper taking <c>in Vector3</c>; Kepler's
/// equation by Newton iterations that <c>break</c> at a tolerance (also in <c>while (true)</c>), true anomaly with
/// <c>Math.Atan2</c>, vis-viva with an optional gravitational parameter, Hohmann transfers with <c>const</c> locals,
/// Planck's law, altitude from equatorial coordinates. Test points as in <see cref="Session23DomainCorpus.RoboticsSource"/>.
/// </summary>
internal static partial class Session24DomainCorpus
{
    public const string GeometrySource = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Corpus;

        public readonly struct S24Edge
        {
            public S24Edge(int a, int b, double restLength)
            {
                A = a;
                B = b;
                RestLength = restLength;
            }

            public int A { get; }
            public int B { get; }
            public double RestLength { get; }
        }

        public static partial class S24Geometry
        {
            // A unit square split into two triangles, plus a fan to a raised centre vertex: 5 vertices, 4 triangles.
            private static readonly int[] Triangles = { 0, 1, 4, 1, 2, 4, 2, 3, 4, 3, 0, 4 };
            private static readonly S24Edge[] Edges =
            {
                new(0, 1, 1.0), new(1, 2, 1.0), new(2, 3, 1.0), new(3, 0, 1.0),
                new(0, 4, 0.8), new(1, 4, 0.8), new(2, 4, 0.8), new(3, 4, 0.8),
            };

            // domain: coords[15]=-0.2..1.2
            // near: coords[2]=0 coords[5]=0 coords[8]=0 coords[11]=0 coords[14]=0.0001
            // edge: coords[14]=0
            [Differentiable]
            public static float MeshSurfaceArea(float[] coords)
            {
                var positions = new Vector3[coords.Length / 3];
                for (var v = 0; v < positions.Length; v++)
                    positions[v] = new Vector3(coords[3 * v], coords[3 * v + 1], coords[3 * v + 2]);
                var area = 0f;
                for (var t = 0; t < Triangles.Length; t += 3)
                {
                    var a = positions[Triangles[t]];
                    var b = positions[Triangles[t + 1]];
                    var c = positions[Triangles[t + 2]];
                    area += 0.5f * Vector3.Cross(b - a, c - a).Length();
                }
                return area;
            }

            // domain: x[6]=-1..1 y[6]=-1..1
            // near: x=0.5 y=0.5
            // edge: x=0 y=0
            [Differentiable]
            public static double LaplacianSmoothingEnergy(double[] x, double[] y)
            {
                // A closed polyline: each vertex against the mean of its two neighbours.
                var n = x.Length;
                var energy = 0.0;
                for (var i = 0; i < n; i++)
                {
                    var prev = (i + n - 1) % n;
                    var next = (i + 1) % n;
                    var lx = x[i] - 0.5 * (x[prev] + x[next]);
                    var ly = y[i] - 0.5 * (y[prev] + y[next]);
                    energy += lx * lx + ly * ly;
                }
                return energy;
            }

            // domain: positions[15]=-0.2..1.2 stiffness=1..10
            // near: stiffness=1
            // edge: positions=0.5 stiffness=10
            [Differentiable]
            public static double EdgeSpringEnergy(double[] positions, double stiffness)
            {
                var energy = 0.0;
                foreach (var edge in Edges)
                {
                    var dx = positions[3 * edge.A] - positions[3 * edge.B];
                    var dy = positions[3 * edge.A + 1] - positions[3 * edge.B + 1];
                    var dz = positions[3 * edge.A + 2] - positions[3 * edge.B + 2];
                    var stretch = Math.Sqrt(dx * dx + dy * dy + dz * dz + 1e-12) - edge.RestLength;
                    energy += 0.5 * stiffness * stretch * stretch;
                }
                return energy;
            }

            // domain: ax=-1..0 ay=-1..0 bx=1..2 by=-1..0 cx=-0.5..0.5 cy=1..2
            // near: cx=0 cy=1
            // edge: ax=0 ay=0 bx=1 by=0 cx=0.5 cy=0.866
            // throws: ax=0 ay=0 bx=1 by=0 cx=2 cy=0
            [Differentiable]
            public static double TriangleAspectRatio(double ax, double ay, double bx, double by, double cx, double cy)
            {
                var ab = Math.Sqrt((bx - ax) * (bx - ax) + (by - ay) * (by - ay));
                var bc = Math.Sqrt((cx - bx) * (cx - bx) + (cy - by) * (cy - by));
                var ca = Math.Sqrt((ax - cx) * (ax - cx) + (ay - cy) * (ay - cy));
                var twiceArea = Math.Abs((bx - ax) * (cy - ay) - (cx - ax) * (by - ay));
                if (twiceArea < 1e-12) throw new InvalidOperationException("Degenerate triangle.");
                var longest = Math.Max(ab, Math.Max(bc, ca));
                // 1 for an equilateral triangle, growing as it degenerates.
                return longest * (ab + bc + ca) / (2 * Math.Sqrt(3) * twiceArea);
            }

            // domain: h=0.1..1 w=0.5..1.5
            // near: h=0.0001
            // edge: h=-1 w=0.001
            [Differentiable]
            public static float DihedralBendingEnergy(float h, float w)
            {
                // Two triangles sharing the edge (0,0,0)-(1,0,0); the far vertices at heights h and -h/2.
                var e = Vector3.UnitX;
                var n1 = Vector3.Normalize(Vector3.Cross(e, new Vector3(0.5f, w, h)));
                var n2 = Vector3.Normalize(Vector3.Cross(new Vector3(0.5f, -w, -0.5f * h), e));
                var cosine = Math.Clamp(Vector3.Dot(n1, n2), -0.9999f, 0.9999f);
                var angle = MathF.Acos(cosine);
                return angle * angle;
            }

            // domain: xs[5]=-1..1 ys[5]=-1..1
            // near: xs=0.2 xs[2]=0.3
            // edge: xs=0 ys=0
            [Differentiable]
            public static double PolygonCentroidOffset(double[] xs, double[] ys)
            {
                var n = xs.Length;
                double cx = 0, cy = 0, area = 0;
                for (var i = 0; i < n; i++)
                {
                    var j = checked((i + 1) % n);
                    var cross = xs[i] * ys[j] - xs[j] * ys[i];
                    area += cross;
                    cx += (xs[i] + xs[j]) * cross;
                    cy += (ys[i] + ys[j]) * cross;
                }
                // A degenerate polygon has no centroid: use the vertices' mean, as mesh tools do.
                if (Math.Abs(area) < 1e-9)
                {
                    double mx = 0, my = 0;
                    for (var i = 0; i < n; i++) { mx += xs[i]; my += ys[i]; }
                    return (mx * mx + my * my) / (n * n);
                }
                cx /= 3 * area;
                cy /= 3 * area;
                return cx * cx + cy * cy;
            }

            // domain: coords[9]=-1..1
            // near: coords=0.3
            // edge: coords=0
            [Differentiable]
            public static float TriangleAreaDistortion(float[] coords)
            {
                var a = new Vector3(coords[0], coords[1], coords[2]);
                var b = new Vector3(coords[3], coords[4], coords[5]);
                var c = new Vector3(coords[6], coords[7], coords[8]);
                const float restArea = 0.5f;
                var ratio = Area(a, b, c) / restArea;
                return (ratio - 1f) * (ratio - 1f) + 0.01f * Vector3.DistanceSquared(a, Vector3.Zero);
            }

            // domain: coords[9]=-1..1
            // near: coords=0.3 coords[0]=0.31
            // edge: coords=0 coords[3]=1 coords[7]=1
            [Differentiable]
            public static float TriangleAreaDistortionByValue(float[] coords)
            {
                // TriangleAreaDistortion's rewrite: the helper takes its vectors by value.
                var a = new Vector3(coords[0], coords[1], coords[2]);
                var b = new Vector3(coords[3], coords[4], coords[5]);
                var c = new Vector3(coords[6], coords[7], coords[8]);
                const float restArea = 0.5f;
                var ratio = AreaByValue(a, b, c) / restArea;
                return (ratio - 1f) * (ratio - 1f) + 0.01f * Vector3.DistanceSquared(a, Vector3.Zero);
            }

            [Differentiable]
            private static float AreaByValue(Vector3 a, Vector3 b, Vector3 c) =>
                0.5f * MathF.Sqrt(Vector3.Cross(b - a, c - a).LengthSquared() + 1e-12f);

            [Differentiable]
            private static float Area(in Vector3 a, in Vector3 b, in Vector3 c) =>
                0.5f * MathF.Sqrt(Vector3.Cross(b - a, c - a).LengthSquared() + 1e-12f);
        }
        """;

    public const string AstronomySource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S24Astronomy
        {
            private const double EarthMu = 398_600.4418; // km³/s²

            // domain: meanAnomaly=-3..3 e=0..0.9
            // near: e=0.0001
            // edge: meanAnomaly=0.0001 e=0.99
            // throws: e=1
            [Differentiable]
            public static double EccentricAnomaly(double meanAnomaly, double e)
            {
                if (e is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(e), e, "An ellipse has 0 <= e < 1.");
                var eccentric = e < 0.8 ? meanAnomaly : Math.PI * Math.Sign(meanAnomaly);
                for (var i = 0; i < 50; i++)
                {
                    var delta = (eccentric - e * Math.Sin(eccentric) - meanAnomaly) / (1 - e * Math.Cos(eccentric));
                    eccentric -= delta;
                    if (Math.Abs(delta) < 1e-13) break;
                }
                return eccentric;
            }

            // domain: meanAnomaly=-3..3 e=0..0.5
            // near: e=0.0001
            // edge: meanAnomaly=3.1 e=0.5
            // (Not M = 0: there E = M is already the fixed point, the loop breaks on its first trip and the derivative of
            // the path taken is 1, while any M ≠ 0 iterates to dE/dM = 1/(1 − e·cos E) = 2: differences see 2.)
            [Differentiable]
            public static double EccentricAnomalyFixedPoint(double meanAnomaly, double e)
            {
                // The textbook fixed point E = M + e sin E, its iterations counted in the loop condition.
                var eccentric = meanAnomaly;
                var n = 0;
                while (++n < 100)
                {
                    var next = meanAnomaly + e * Math.Sin(eccentric);
                    if (Math.Abs(next - eccentric) < 1e-15) break;
                    eccentric = next;
                }
                return eccentric;
            }

            // domain: meanAnomaly=-3..3 e=0..0.9
            // near: meanAnomaly=0.0001 e=0.5
            // edge: meanAnomaly=3.14 e=0.9
            [Differentiable]
            public static double TrueAnomaly(double meanAnomaly, double e)
            {
                var eccentric = meanAnomaly;
                var iterations = 0;
                while (true)
                {
                    var delta = (eccentric - e * Math.Sin(eccentric) - meanAnomaly) / (1 - e * Math.Cos(eccentric));
                    eccentric -= delta;
                    if (Math.Abs(delta) < 1e-14 || ++iterations >= 60) break;
                }
                var (sinE, cosE) = Math.SinCos(eccentric);
                return Math.Atan2(Math.Sqrt(1 - e * e) * sinE, cosE - e);
            }

            // domain: a=7000..42000 e=0..0.7 nu=-3..3
            // near: e=0.0001
            // edge: a=7000 e=0.99 nu=3.14159
            [Differentiable]
            public static double OrbitalRadius(double a, double e, double nu) => a * (1 - e * e) / (1 + e * Math.Cos(nu));

            // domain: r=7000..42000 a=7000..42000
            // near: r=7000 a=7000.01
            // edge: r=1e6 a=1e6
            [Differentiable]
            public static double VisVivaSpeed(double r, double a, double mu = EarthMu)
            {
                var squared = mu * (2 / r - 1 / a);
                // An unbound radius (r > 2a) has no real speed on that ellipse: report zero, as a mission planner would flag it.
                return squared > 0 ? Math.Sqrt(squared) : 0.0;
            }

            // domain: r1=6700..8000 r2=20000..42000
            // near: r1=6700 r2=42164
            // edge: r1=6999 r2=7000
            [Differentiable]
            public static double HohmannDeltaV(double r1, double r2)
            {
                const double mu = EarthMu;
                var transfer = (r1 + r2) / 2;
                var dv1 = Math.Sqrt(mu / r1) * (Math.Sqrt(2 * r2 / (r1 + r2)) - 1);
                var dv2 = Math.Sqrt(mu / r2) * (1 - Math.Sqrt(2 * r1 / (r1 + r2)));
                var transferTime = Math.PI * Math.Sqrt(transfer * transfer * transfer / mu);
                return Math.Abs(dv1) + Math.Abs(dv2) + 1e-6 * transferTime;
            }

            // domain: flux=1e-3..10 referenceFlux=0.5..2
            // near: flux=1
            // edge: flux=1e9 referenceFlux=1
            [Differentiable]
            public static double ApparentMagnitude(double flux, double referenceFlux) => -2.5 * Math.Log10(flux / referenceFlux);

            // domain: dec=-1..1 lat=-1..1 hourAngle=-3..3
            // near: dec=0.7 lat=0.7 hourAngle=0.0001
            // edge: dec=1.5707 lat=1.5707 hourAngle=0
            [Differentiable]
            public static double Altitude(double dec, double lat, double hourAngle)
            {
                var sinAlt = Math.Sin(dec) * Math.Sin(lat) + Math.Cos(dec) * Math.Cos(lat) * Math.Cos(hourAngle);
                return Math.Asin(Math.Clamp(sinAlt, -0.999999, 0.999999));
            }

            // domain: wavelength=0.3..3 temperature=3000..10000
            // near: wavelength=0.3 temperature=3000
            // edge: wavelength=0.1 temperature=1000
            [Differentiable]
            public static double PlanckRadiance(double wavelength, double temperature)
            {
                // wavelength in µm; 2hc² and hc/k in those units.
                const double c1 = 1.191042e8, c2 = 1.4387769e4;
                var x = c2 / (wavelength * temperature);
                if (x > 700) return 0.0; // e^x overflows: the radiance underflows to zero.
                var w5 = wavelength * wavelength * wavelength * wavelength * wavelength;
                return c1 / (w5 * (Math.Exp(x) - 1));
            }

            // domain: semiMajor=0.5..30 massSun=0.5..2
            // near: massSun=0.5
            // edge: semiMajor=0.001 massSun=100
            [Differentiable]
            public static double OrbitalPeriodYears(double semiMajor, double massSun) =>
                Math.Sqrt(semiMajor * semiMajor * semiMajor / massSun);

            // domain: distancePc=1..1000 absoluteMag=-5..10 extinction=0..2
            // near: distancePc=10
            // edge: distancePc=1e6 absoluteMag=-10 extinction=0
            [Differentiable]
            public static double DistanceModulusFlux(double distancePc, double absoluteMag, double extinction)
            {
                var apparent = absoluteMag + 5 * Math.Log10(distancePc / 10) + extinction;
                return Math.Pow(10, -0.4 * apparent);
            }
        }
        """;
}
