namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 25's domain corpus, traffic flow and optics: Greenshields' fundamental diagram, a Godunov (cell
/// transmission) LWR step over cells with periodic indices <c>(i + 1) % n</c>, Lax–Friedrichs with a fresh array per
/// step, BPR link travel times, the intelligent driver model with a guard that throws, a ramp queue that
/// <c>break</c>s when it empties; Snell's law through layers with a total-internal-reflection guard that
/// <c>return</c>s, Fresnel reflectance, thin lens and lensmaker with named tuples, thin-film interference, a Gaussian
/// beam, a Sellmeier index from a <c>static readonly</c> table of tuples. Test points as in
/// <see cref="Session23DomainCorpus.RoboticsSource"/>.
/// </summary>
internal static partial class Session25DomainCorpus
{
    public const string TrafficSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S25Traffic
        {
            private static readonly double[] FreeFlowMinutes = { 4.0, 6.5, 3.2, 8.0 };

            // domain: density=10..120 freeSpeed=80..120 jamDensity=140..180
            // near: density=70 jamDensity=140
            // edge: density=0 freeSpeed=1e3 jamDensity=1e-3
            // throws: jamDensity=0
            [Differentiable]
            public static double GreenshieldsFlux(double density, double freeSpeed, double jamDensity)
            {
                if (jamDensity <= 0) throw new ArgumentOutOfRangeException(nameof(jamDensity), jamDensity, "Jam density must be positive.");
                return freeSpeed * density * (1 - density / jamDensity);
            }

            // domain: density[8]=0.05..0.9 dt=0.1..0.4
            // near: density=0.5 density[0]=0.4999
            // edge: density=0 density[3]=0.95 dt=0.5
            [Differentiable]
            public static double GodunovLwrStep(double[] density, double dt)
            {
                // Unit free speed and jam density: f(ρ) = ρ(1 − ρ), critical density 1/2.
                static double Demand(double rho) => rho < 0.5 ? rho * (1 - rho) : 0.25;
                static double Supply(double rho) => rho > 0.5 ? rho * (1 - rho) : 0.25;
                var n = density.Length;
                var next = new double[n];
                for (var i = 0; i < n; i++)
                {
                    var outflow = Math.Min(Demand(density[i]), Supply(density[(i + 1) % n]));
                    var inflow = Math.Min(Demand(density[(i - 1 + n) % n]), Supply(density[i]));
                    next[i] = density[i] + dt * (inflow - outflow);
                }
                var weighted = 0.0;
                for (var i = 0; i < n; i++) weighted += (i + 1) * next[i] * next[i];
                return weighted;
            }

            // domain: rho[6]=0.1..0.9 cfl=0.2..0.8 steps=1..4
            // near: cfl=0.5
            // edge: rho=0.5 cfl=1 steps=0
            [Differentiable]
            public static double LaxFriedrichsEnergy(double[] rho, double cfl, int steps)
            {
                var n = rho.Length;
                var current = new double[n];
                for (var i = 0; i < n; i++) current[i] = rho[i];
                for (var s = 0; s < steps; s++)
                {
                    var updated = new double[n];
                    for (var i = 0; i < n; i++)
                    {
                        var left = current[(i - 1 + n) % n];
                        var right = current[(i + 1) % n];
                        var fluxLeft = left * (1 - left);
                        var fluxRight = right * (1 - right);
                        updated[i] = 0.5 * (left + right) - 0.5 * cfl * (fluxRight - fluxLeft);
                    }
                    current = updated;
                }
                var energy = 0.0;
                foreach (var c in current) energy += c * c;
                return energy;
            }

            // domain: rho[6]=0.1..0.9 cfl=0.2..0.8 steps=1..4
            // near: cfl=0.5
            // edge: rho=0.5 cfl=1 steps=0
            [Differentiable]
            public static double LaxFriedrichsEnergyCopied(double[] rho, double cfl, int steps)
            {
                // LaxFriedrichsEnergy's rewrite: the new values copied back instead of swapping the arrays.
                var n = rho.Length;
                var current = new double[n];
                var updated = new double[n];
                for (var i = 0; i < n; i++) current[i] = rho[i];
                for (var s = 0; s < steps; s++)
                {
                    for (var i = 0; i < n; i++)
                    {
                        var left = current[(i - 1 + n) % n];
                        var right = current[(i + 1) % n];
                        updated[i] = 0.5 * (left + right) - 0.5 * cfl * (right * (1 - right) - left * (1 - left));
                    }
                    for (var i = 0; i < n; i++) current[i] = updated[i];
                }
                var energy = 0.0;
                foreach (var c in current) energy += c * c;
                return energy;
            }

            // domain: flows[4]=500..2000 capacities[4]=1000..2500 alpha=0.1..0.2
            // near: flows=1000 capacities=1000
            // edge: flows=0 capacities=1 alpha=0
            [Differentiable]
            public static double BprTotalTravelTime(double[] flows, [NoGrad] double[] capacities, double alpha = 0.15)
            {
                const double beta = 4.0;
                var total = 0.0;
                for (var link = 0; link < flows.Length; link++)
                {
                    var ratio = flows[link] / capacities[link];
                    total += flows[link] * FreeFlowMinutes[link] * (1 + alpha * Math.Pow(ratio, beta));
                }
                return total;
            }

            // domain: gap=10..60 speed=10..30 leaderSpeed=10..30 desiredSpeed=25..35
            // near: speed=0.0001 leaderSpeed=0
            // edge: gap=1e4 speed=0.5 leaderSpeed=50 desiredSpeed=1
            // throws: gap=0
            [Differentiable]
            public static double IntelligentDriverAcceleration(double gap, double speed, double leaderSpeed, double desiredSpeed)
            {
                if (gap <= 0) throw new InvalidOperationException("The vehicles have collided.");
                const double maxAcceleration = 1.5, comfortableBraking = 2.0, headway = 1.5, minimumGap = 2.0;
                var approach = speed - leaderSpeed;
                var desiredGap = minimumGap + Math.Max(0, speed * headway + speed * approach / (2 * Math.Sqrt(maxAcceleration * comfortableBraking)));
                return maxAcceleration * (1 - Math.Pow(speed / desiredSpeed, 4) - (desiredGap / gap) * (desiredGap / gap));
            }

            // domain: arrivals[10]=5..15 meterRate=8..14
            // near: arrivals=10 meterRate=10.0001
            // edge: arrivals=0 meterRate=1e3
            [Differentiable]
            public static double RampQueueDelay(double[] arrivals, double meterRate)
            {
                var queue = 0.0;
                var delay = 0.0;
                var minute = 0;
                while (true)
                {
                    var inflow = minute < arrivals.Length ? arrivals[minute] : 0.0;
                    queue = Math.Max(queue + inflow - meterRate, 0.0);
                    delay += queue;
                    minute++;
                    if (minute >= arrivals.Length && queue <= 0) break;
                    if (minute > 100) break;
                }
                return delay;
            }
        }
        """;

    public const string OpticsSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S25Optics
        {
            // Sellmeier coefficients of BK7: (B, C in µm²).
            private static readonly (double B, double C)[] Bk7 = { (1.03961212, 0.00600069867), (0.231792344, 0.0200179144), (1.01046945, 103.560653) };

            // domain: incidence=0.05..0.5 indices[4]=1.3..1.7 thickness=0.5..2
            // near: indices[3]=0.79 incidence=0.9
            // edge: incidence=1.5 indices=1.0001 indices[2]=0.9 thickness=1e-6
            [Differentiable]
            public static double LateralShiftThroughLayers(double incidence, double[] indices, double thickness)
            {
                const double outsideIndex = 1.0;
                var invariant = outsideIndex * Math.Sin(incidence);
                var shift = 0.0;
                foreach (var n in indices)
                {
                    var sine = invariant / n;
                    // Total internal reflection: the ray never gets through this layer.
                    if (sine >= 1.0) return shift;
                    var cosine = Math.Sqrt(1 - sine * sine);
                    shift += thickness * sine / cosine;
                }
                return shift;
            }

            // domain: n1=1..1.5 n2=1.3..1.8 cosIncidence=0.3..1
            // near: n1=1.5 n2=1.3 cosIncidence=0.51
            // edge: n1=1.8 n2=1 cosIncidence=0.01
            [Differentiable]
            public static double FresnelReflectance(double n1, double n2, double cosIncidence)
            {
                var sinT2 = (n1 / n2) * (n1 / n2) * (1 - cosIncidence * cosIncidence);
                if (sinT2 > 1) return 1.0;
                var cosT = Math.Sqrt(1 - sinT2);
                var rs = (n1 * cosIncidence - n2 * cosT) / (n1 * cosIncidence + n2 * cosT);
                var rp = (n2 * cosIncidence - n1 * cosT) / (n2 * cosIncidence + n1 * cosT);
                return 0.5 * (rs * rs + rp * rp);
            }

            // domain: focal=0.05..0.2 objectDistance=0.3..2
            // near: objectDistance=0.21 focal=0.2
            // edge: focal=1e-3 objectDistance=1e3
            // throws: focal=0.5 objectDistance=0.5
            [Differentiable]
            public static double ThinLensMagnification(double focal, double objectDistance)
            {
                if (objectDistance == focal) throw new ArgumentException("An object at the focal point images at infinity.");
                var imageDistance = 1 / (1 / focal - 1 / objectDistance);
                return -imageDistance / objectDistance;
            }

            // domain: r1=0.05..0.2 r2=-0.2..-0.05 index=1.4..1.8 thickness=0..0.01
            // near: thickness=0
            // edge: r1=1e3 r2=-1e3 index=1.0001 thickness=0.01
            [Differentiable]
            public static double LensmakerPower(double r1, double r2, double index, double thickness)
            {
                (double Front, double Back) curvature = (1 / r1, 1 / r2);
                var (front, back) = curvature;
                return (index - 1) * (front - back + (index - 1) * thickness * front * back / index);
            }

            // domain: thickness=100..300 index=1.3..1.6 wavelength=400..700
            // near: thickness=0.0001
            // edge: thickness=1e5 index=1 wavelength=1e4
            // throws: wavelength=0
            [Differentiable]
            public static double ThinFilmReflectance(double thickness, double index, double wavelength)
            {
                if (!double.IsFinite(wavelength) || wavelength <= 0) throw new ArgumentOutOfRangeException(nameof(wavelength));
                var r = (index - 1) / (index + 1);
                var phase = 4 * Math.PI * index * thickness / wavelength;
                // Two-beam interference between the film's faces.
                return 2 * r * r * (1 - Math.Cos(phase));
            }

            // domain: waistMm=1..5 z=0..10 wavelengthNm=400..800
            // near: z=0
            // edge: waistMm=0.001 z=1e3 wavelengthNm=1e4
            [Differentiable]
            public static double GaussianBeamRadius(double waistMm, double z, double wavelengthNm)
            {
                var waist = waistMm * 1e-3;
                var wavelength = wavelengthNm * 1e-9;
                var rayleigh = Math.PI * waist * waist / wavelength;
                return waist * Math.Sqrt(1 + (z / rayleigh) * (z / rayleigh));
            }

            // domain: wavelengthMicrons=0.4..1.6
            // near: wavelengthMicrons=0.5876
            // edge: wavelengthMicrons=5
            [Differentiable]
            public static double SellmeierIndex(double wavelengthMicrons)
            {
                var l2 = wavelengthMicrons * wavelengthMicrons;
                var nSquared = 1.0;
                foreach (var (b, c) in Bk7) nSquared += b * l2 / (l2 - c);
                return Math.Sqrt(nSquared);
            }
        }
        """;
}
