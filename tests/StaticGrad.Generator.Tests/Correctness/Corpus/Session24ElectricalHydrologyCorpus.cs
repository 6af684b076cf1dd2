namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 24's domain corpus, electrical engineering and hydrology/thermodynamics: RC and RLC transients with
/// their three damping regimes, the Shockley diode with its exponent clamped and solved with a series resistor by
/// Newton iterations, power into a complex impedance with <c>System.Numerics.Complex</c>, a Wheatstone bridge over
/// <c>params double[]</c>, a transformer's instance method over properties, RMS by <c>Math.FusedMultiplyAdd</c>;
/// Antoine's equation, Manning's formula, ideal-gas and van der Waals with <c>const</c> locals and a guard, the
/// Colebrook friction factor by fixed-point iterations behind a relational pattern, Horton infiltration, Muskingum
/// routing through a <c>ref</c> local. Test points as in <see cref="Session23DomainCorpus.RoboticsSource"/>.
/// </summary>
internal static partial class Session24DomainCorpus
{
    public const string ElectricalSource = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Corpus;

        public static partial class S24Electrical
        {
            private const double ThermalVoltage = 0.025852; // kT/q at 300 K

            // domain: vs=1..12 r=100..10000 microfarads=1..100 ms=0..100
            // near: ms=0.0001
            // edge: vs=5 r=1 microfarads=0.001 ms=1000
            [Differentiable]
            public static double RcChargeVoltage(double vs, double r, double microfarads, double ms) =>
                vs * (1 - Math.Exp(-ms * 1e-3 / (r * microfarads * 1e-6)));

            // domain: r=1..50 l=0.01..0.1 microfarads=10..100 ms=0..10
            // near: r=40.02 l=0.04 microfarads=100
            // edge: r=500 l=0.01 microfarads=100 ms=5
            [Differentiable]
            public static double RlcStepResponse(double r, double l, double microfarads, double ms)
            {
                // Capacitor voltage of a series RLC after a 1 V step; three regimes by the discriminant.
                var (c, t) = (microfarads * 1e-6, ms * 1e-3);
                var alpha = r / (2 * l);
                var omega0 = 1 / Math.Sqrt(l * c);
                var disc = alpha * alpha - omega0 * omega0;
                if (Math.Abs(disc) < 1e-9 * omega0 * omega0)
                    return 1 - (1 + alpha * t) * Math.Exp(-alpha * t);
                if (disc < 0)
                {
                    var wd = Math.Sqrt(-disc);
                    return 1 - Math.Exp(-alpha * t) * (Math.Cos(wd * t) + alpha / wd * Math.Sin(wd * t));
                }
                var s = Math.Sqrt(disc);
                var (s1, s2) = (-alpha + s, -alpha - s);
                return 1 + (s2 * Math.Exp(s1 * t) - s1 * Math.Exp(s2 * t)) / (s1 - s2);
            }

            // domain: v=0..0.7 isat=1e-12..1e-9 n=1..2
            // near: v=0.0001
            // edge: v=5 isat=1e-9 n=1
            [Differentiable]
            public static double ShockleyCurrent(double v, double isat, double n)
            {
                // Clamp the exponent as SPICE does, so a large forward bias does not overflow.
                var exponent = Math.Min(v / (n * ThermalVoltage), 40.0);
                return isat * (Math.Exp(exponent) - 1);
            }

            // domain: r=10..100 l=0.01..0.1 microfarads=10..100 omega=100..1000
            // near: l=0.1 microfarads=100 omega=316.2
            // edge: r=0.5 l=0.01 microfarads=100 omega=1000
            [Differentiable]
            public static double ImpedancePower(double r, double l, double microfarads, double omega)
            {
                var c = microfarads * 1e-6;
                var impedance = new Complex(r, omega * l - 1 / (omega * c));
                var current = new Complex(10.0, 0.0) / impedance;
                var magnitude = Complex.Abs(current);
                return 0.5 * magnitude * magnitude * r;
            }

            // domain: vSupply=5..12 vForward=1.8..3.3 current=0.005..0.02
            // near: current=0.005
            // edge: vSupply=3.31 vForward=3.3 current=0.02
            // throws: vSupply=2 vForward=3
            [Differentiable]
            public static double LedResistorPower(double vSupply, double vForward, double current)
            {
                if (vSupply <= vForward) throw new ArgumentException("The supply must exceed the LED's forward voltage.", nameof(vSupply));
                var resistor = (vSupply - vForward) / current;
                return current * current * resistor;
            }

            // domain: excitation=1..10 resistances[4]=100..200
            // near: resistances=150
            // edge: excitation=10 resistances[0]=1
            // throws: resistances[2]=-5
            [Differentiable]
            public static double WheatstoneOutput(double excitation, params double[] resistances)
            {
                if (resistances.Length != 4) throw new ArgumentException("A bridge has four arms.", nameof(resistances));
                foreach (var arm in resistances)
                {
                    if (arm <= 0) throw new ArgumentOutOfRangeException(nameof(resistances), arm, "A resistance must be positive.");
                }
                var left = resistances[1] / (resistances[0] + resistances[1]);
                var right = resistances[3] / (resistances[2] + resistances[3]);
                return excitation * (left - right);
            }

            // domain: load=0.1..1.5 powerFactor=0.7..1
            // near: load=1
            // edge: load=0.0001 powerFactor=0.1
            [Differentiable]
            public static double TransformerLosses(double load, double powerFactor) => new S24Transformer().Efficiency(load, powerFactor);

            // domain: vSource=1..5 resistor=100..1000
            // near: vSource=1
            // edge: vSource=0.0001 resistor=10
            [Differentiable]
            public static double DiodeOperatingPoint(double vSource, double resistor)
            {
                // Newton on f(v) = (vSource - v)/R - Is (e^{v/Vt} - 1), starting at 0.6 V.
                const double isat = 1e-12;
                var v = Math.Min(0.6, vSource);
                for (var iteration = 0; iteration < 100; iteration++)
                {
                    var exp = Math.Exp(Math.Min(v / ThermalVoltage, 40.0));
                    var f = (vSource - v) / resistor - isat * (exp - 1);
                    var df = -1 / resistor - isat * exp / ThermalVoltage;
                    var step = f / df;
                    v -= step;
                    if (Math.Abs(step) < 1e-12) break;
                }
                return v;
            }

            // domain: amplitude=0.5..2 phase=-3..3 offset=-0.5..0.5
            // near: offset=0.0001
            // edge: amplitude=0 phase=0 offset=0
            [Differentiable]
            public static double SampledRms(double amplitude, double phase, double offset)
            {
                const int samples = 32;
                var sumSquares = 0.0;
                for (var k = 0; k < samples; k++)
                {
                    var value = Math.FusedMultiplyAdd(amplitude, Math.Sin(2 * Math.PI * k / samples + phase), offset);
                    sumSquares = Math.FusedMultiplyAdd(value, value, sumSquares);
                }
                return Math.Sqrt(sumSquares / samples + 1e-15);
            }
        }

        public partial class S24Transformer
        {
            public double RatedPower { get; } = 10_000.0;
            public double CoreLoss { get; } = 60.0;
            public double FullLoadCopperLoss { get; set; } = 180.0;

            // domain: load=0.1..1.5 powerFactor=0.7..1
            // near: load=0.5774
            // edge: load=0.0001 powerFactor=0.1
            [Differentiable]
            public double Efficiency(double load, double powerFactor)
            {
                var output = load * RatedPower * powerFactor;
                var losses = CoreLoss + load * load * FullLoadCopperLoss;
                return output / (output + losses);
            }
        }
        """;

    public const string HydrologySource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S24Hydrology
        {
            // domain: a=7..9 b=1500..1800 c=200..240 t=20..100
            // near: t=100
            // edge: a=8 b=1700 c=230 t=-229
            [Differentiable]
            public static double AntoineVaporPressure(double a, double b, double c, double t) => Math.Pow(10, a - b / (c + t));

            // domain: n=0.01..0.05 width=2..20 depth=0.5..5 slopePerMille=0.1..10
            // near: depth=0.5
            // edge: n=0.01 width=100 depth=0.001 slopePerMille=100
            // throws: slopePerMille=-1
            [Differentiable]
            public static double ManningDischarge(double n, double width, double depth, double slopePerMille)
            {
                if (slopePerMille < 0) throw new ArgumentOutOfRangeException(nameof(slopePerMille), "Water does not flow uphill.");
                var slope = slopePerMille / 1000;
                var area = width * depth;
                var wettedPerimeter = width + 2 * depth;
                var hydraulicRadius = area / wettedPerimeter;
                return area / n * Math.Pow(hydraulicRadius, 2.0 / 3.0) * Math.Sqrt(slope);
            }

            // domain: moles=0.5..2 volume=0.5..5 temperature=250..400
            // near: volume=0.5
            // edge: moles=1 volume=0.05 temperature=100
            // throws: moles=1 volume=0.02
            [Differentiable]
            public static double VanDerWaalsPressure(double moles, double volume, double temperature)
            {
                const double gasConstant = 0.083145, a = 3.64, b = 0.04267; // L·bar/(mol·K), CO₂
                if (volume <= moles * b) throw new ArgumentOutOfRangeException(nameof(volume), "The volume is below the molecules' own volume.");
                return moles * gasConstant * temperature / (volume - moles * b) - a * moles * moles / (volume * volume);
            }

            // domain: p1=1..10 v1=1..5 v2=1..10
            // near: v2=1
            // edge: p1=1 v1=1 v2=1e6
            [Differentiable]
            public static double IsothermalWork(double p1, double v1, double v2) => p1 * v1 * Math.Log(v2 / v1);

            // domain: pressure=50..200 boilingAt1Atm=350..400 enthalpy=30000..45000
            // near: pressure=101.325
            // edge: pressure=0.01 boilingAt1Atm=350 enthalpy=45000
            [Differentiable]
            public static double ClausiusClapeyronBoilingPoint(double pressure, double boilingAt1Atm, double enthalpy)
            {
                const double gasConstant = 8.314, atmosphere = 101.325;
                var inverse = 1 / boilingAt1Atm - gasConstant / enthalpy * Math.Log(pressure / atmosphere);
                return 1 / inverse;
            }

            // domain: re=4000..1e6 roughness=1e-5..1e-2
            // near: re=4000
            // edge: re=1000 roughness=0.01
            [Differentiable]
            public static double DarcyFrictionFactor(double re, double roughness)
            {
                if (re is < 2300) return 64 / re; // laminar
                // Colebrook–White by fixed-point iteration on 1/√f, starting from Swamee–Jain.
                var x = -2 * Math.Log10(roughness / 3.7 + 5.74 / Math.Pow(re, 0.9));
                for (var i = 0; i < 30; i++)
                {
                    var next = -2 * Math.Log10(roughness / 3.7 + 2.51 * x / re);
                    if (Math.Abs(next - x) < 1e-12)
                    {
                        x = next;
                        break;
                    }
                    x = next;
                }
                return 1 / (x * x);
            }

            // domain: f0=50..100 fc=5..15 k=0.5..3 hours=0..6
            // near: hours=0.0001
            // edge: f0=10 fc=10 k=5 hours=100
            [Differentiable]
            public static double HortonCumulativeInfiltration(double f0, double fc, double k, double hours) =>
                fc * hours + (f0 - fc) / k * (1 - Math.Exp(-k * hours));

            // domain: inflow[10]=10..100 k=1..5 x=0.1..0.4
            // near: x=0.1
            // edge: inflow=0 inflow[0]=100 k=1 x=0.001
            [Differentiable]
            public static double MuskingumPeakOutflow(double[] inflow, double k, double x)
            {
                const double dt = 1.0;
                var denominator = 2 * k * (1 - x) + dt;
                var c0 = (dt - 2 * k * x) / denominator;
                var c1 = (dt + 2 * k * x) / denominator;
                var c2 = (2 * k * (1 - x) - dt) / denominator;
                var outflow = new double[inflow.Length];
                outflow[0] = inflow[0];
                var peak = outflow[0];
                for (var i = 1; i < inflow.Length; i++)
                {
                    ref var current = ref outflow[i];
                    current = c0 * inflow[i] + c1 * inflow[i - 1] + c2 * outflow[i - 1];
                    peak = Math.Max(peak, current);
                }
                return peak;
            }

            // domain: temperature=0..40 salinity=0..40
            // near: temperature=4
            // edge: temperature=-2 salinity=0
            [Differentiable]
            public static double SeawaterDensityApprox(double temperature, double salinity)
            {
                // A linearised equation of state around 4 °C fresh water, with a quadratic thermal term.
                const double rho0 = 999.975, alpha = 6.8e-6, beta = 0.78;
                var dt = temperature - 4.0;
                return rho0 * (1 - alpha * dt * dt) + beta * salinity;
            }

            // domain: rainfall[8]=0..30 curveNumber=60..95
            // near: rainfall=5.08 curveNumber=80
            // edge: rainfall=0 curveNumber=99
            // throws: curveNumber=120
            [Differentiable]
            public static double ScsRunoffTotal(double[] rainfall, double curveNumber)
            {
                if (curveNumber is <= 0 or > 100) throw new ArgumentOutOfRangeException(nameof(curveNumber), "A curve number lies in (0, 100].");
                var retention = 25400 / curveNumber - 254; // mm
                var initialAbstraction = 0.2 * retention;
                var total = 0.0;
                foreach (var p in rainfall)
                {
                    if (p <= initialAbstraction) continue;
                    var excess = p - initialAbstraction;
                    total += excess * excess / (excess + retention);
                }
                return total;
            }
        }
        """;
}
