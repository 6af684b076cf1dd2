namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 24's domain corpus, mathematical biology and pharmacokinetics, written as a .NET developer in the field
/// writes it: logistic and Gompertz growth, Michaelis–Menten and Hill kinetics with guards that throw, SIR and SEIR
/// epidemics stepped by Euler and RK4 over a named tuple state, predator–prey with <c>while (true)</c> and
/// <c>break</c>, a population model's instance method reading properties; one- and two-compartment doses over a
/// dosing schedule (a <c>foreach</c> over an array, a <c>static readonly</c> table of tuples), an optional parameter
/// with a default, <c>params double[]</c>, <c>Span&lt;double&gt;</c> slicing. Test points as in
/// <see cref="Session23DomainCorpus.RoboticsSource"/>.
/// </summary>
internal static partial class Session24DomainCorpus
{
    public const string BiologySource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S24Biology
        {
            // domain: r=0.1..1 k=50..200 n0=1..20 t=0..20
            // near: t=0.0001
            // edge: r=5 k=1000 n0=0.001 t=50
            // throws: n0=0
            [Differentiable]
            public static double LogisticGrowth(double r, double k, double n0, double t)
            {
                if (n0 <= 0) throw new ArgumentOutOfRangeException(nameof(n0), "An initial population must be positive.");
                return k / (1 + (k - n0) / n0 * Math.Exp(-r * t));
            }

            // domain: a=50..150 b=1..5 c=0.1..1 t=0..20
            // near: t=0.0001
            // edge: a=100 b=0.001 c=3 t=0
            [Differentiable]
            public static double GompertzGrowth(double a, double b, double c, double t) => a * Math.Exp(-b * Math.Exp(-c * t));

            // domain: s=0.1..10 vmax=1..5 km=0.5..3
            // near: s=0.0001
            // edge: s=1e6 vmax=1 km=0.5
            // throws: km=0
            [Differentiable]
            public static double MichaelisMentenRate(double s, double vmax, double km)
            {
                if (km <= 0) throw new ArgumentException("The Michaelis constant must be positive.", nameof(km));
                return vmax * s / (km + s);
            }

            // domain: ligand=0.1..5 kd=0.5..2 n=1..4
            // near: ligand=1 kd=1 n=1
            // edge: ligand=100 kd=0.5 n=4
            // throws: ligand=-1
            [Differentiable]
            public static double HillOccupancy(double ligand, double kd, double n)
            {
                if (ligand < 0) throw new ArgumentOutOfRangeException(nameof(ligand), ligand, "A concentration cannot be negative.");
                var ln = Math.Pow(ligand, n);
                return ln / (Math.Pow(kd, n) + ln);
            }

            // domain: beta=0.2..0.6 gamma=0.05..0.2 days=10..40
            // near: beta=0.2 gamma=0.2
            // edge: beta=2 gamma=0.01 days=60
            [Differentiable]
            public static double SirFinalRecovered(double beta, double gamma, int days)
            {
                const double dt = 0.5;
                (double S, double I, double R) state = (0.99, 0.01, 0.0);
                for (var step = 0; step < days * 2; step++)
                {
                    var (s, i, r) = state;
                    var infections = beta * s * i;
                    var recoveries = gamma * i;
                    state = (s - dt * infections, i + dt * (infections - recoveries), r + dt * recoveries);
                }
                return state.R;
            }

            // domain: beta=0.3..0.8 sigma=0.1..0.5 gamma=0.05..0.3
            // near: beta=0.3 gamma=0.3
            // edge: beta=3 sigma=1 gamma=0.01
            [Differentiable]
            public static double SeirPeakInfected(double beta, double sigma, double gamma)
            {
                (double S, double E, double I, double R) Rates(double s, double e, double i, double r) =>
                    (-beta * s * i, beta * s * i - sigma * e, sigma * e - gamma * i, gamma * i);
                const double h = 0.5;
                double s = 0.999, e = 0.0, i = 0.001, r = 0.0, peak = i;
                for (var step = 0; step < 60; step++)
                {
                    var k1 = Rates(s, e, i, r);
                    var k2 = Rates(s + h / 2 * k1.S, e + h / 2 * k1.E, i + h / 2 * k1.I, r + h / 2 * k1.R);
                    var k3 = Rates(s + h / 2 * k2.S, e + h / 2 * k2.E, i + h / 2 * k2.I, r + h / 2 * k2.R);
                    var k4 = Rates(s + h * k3.S, e + h * k3.E, i + h * k3.I, r + h * k3.R);
                    s += h / 6 * (k1.S + 2 * k2.S + 2 * k3.S + k4.S);
                    e += h / 6 * (k1.E + 2 * k2.E + 2 * k3.E + k4.E);
                    i += h / 6 * (k1.I + 2 * k2.I + 2 * k3.I + k4.I);
                    r += h / 6 * (k1.R + 2 * k2.R + 2 * k3.R + k4.R);
                    peak = Math.Max(peak, i);
                }
                return peak;
            }

            // domain: alpha=0.8..1.2 beta=0.3..0.5 delta=0.2..0.4 gamma=0.8..1.2
            // near: alpha=1 beta=0.4 delta=0.3 gamma=1
            // edge: alpha=0.01 beta=0.01 delta=0.01 gamma=0.01
            [Differentiable]
            public static double LotkaVolterraPreyAtEnd(double alpha, double beta, double delta, double gamma)
            {
                const double dt = 0.05, tEnd = 3.0;
                double prey = 10, predators = 5, t = 0;
                while (true)
                {
                    if (t >= tEnd) break;
                    var dPrey = alpha * prey - beta * prey * predators;
                    var dPredators = delta * prey * predators - gamma * predators;
                    prey += dt * dPrey;
                    predators += dt * dPredators;
                    t += dt;
                }
                return prey + 0.1 * predators;
            }

            // domain: vmax=1..3 km=0.5..2 substrate[6]=0.1..5 rates[6]=0.2..2
            // near: km=0.5
            // edge: vmax=10 km=0.001 substrate=1 rates=0
            [Differentiable]
            public static double MichaelisMentenFitLoss(double vmax, double km, double[] substrate, [NoGrad] double[] rates)
            {
                var loss = 0.0;
                for (var j = 0; j < substrate.Length; j++)
                {
                    var predicted = vmax * substrate[j] / (km + substrate[j]);
                    var residual = predicted - rates[j];
                    loss += residual * residual;
                }
                return loss / substrate.Length;
            }

            // domain: abundances[5]=0.1..10
            // near: abundances[0]=0.0001
            // edge: abundances=1
            [Differentiable]
            public static double ShannonDiversity(double[] abundances)
            {
                var total = 0.0;
                foreach (var a in abundances) total += a;
                var h = 0.0;
                foreach (var a in abundances)
                {
                    if (a <= 0) continue;
                    var p = a / total;
                    h -= p * Math.Log(p);
                }
                return h;
            }

            // domain: prey=0.5..20 attack=0.1..1 handling=0.05..0.5
            // near: prey=0.0001
            // edge: prey=-1 attack=1 handling=0.5
            [Differentiable]
            public static double HollingTypeTwo(double prey, double attack, double handling) => prey switch
            {
                <= 0 => 0.0,
                _ => attack * prey / (1 + attack * handling * prey),
            };

            // domain: r=0.2..1 effort=0.05..0.5
            // near: effort=0.5
            // edge: r=0.01 effort=0.0001
            [Differentiable]
            public static double BevertonHoltStock(double r, double effort)
            {
                var model = new S24PopulationModel();
                return model.HarvestedStock(r, effort);
            }
        }

        public partial class S24PopulationModel
        {
            public double CarryingCapacity { get; } = 120.0;
            public double Catchability { get; set; } = 0.8;
            private readonly int _years = 15;

            // domain: r=0.2..1 effort=0.05..0.5
            // near: r=0.2 effort=0.3
            // edge: r=3 effort=0
            [Differentiable]
            public double HarvestedStock(double r, double effort)
            {
                var stock = CarryingCapacity / 2;
                for (var year = 0; year < _years; year++)
                {
                    var recruits = (1 + r) * stock / (1 + r * stock / CarryingCapacity);
                    stock = Math.Max(recruits - Catchability * effort * stock, 0.0);
                }
                return stock;
            }
        }
        """;

    public const string PharmacologySource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S24Pharmacology
        {
            private const double DosingInterval = 8.0;
            private static readonly (double Time, double Amount)[] Schedule = { (0.0, 500.0), (6.0, 250.0), (12.0, 250.0), (18.0, 250.0) };

            // domain: dose=100..500 ke=0.05..0.3 volume=10..50 t=0..24
            // near: t=0.0001
            // edge: dose=1 ke=2 volume=100 t=48
            // throws: volume=0
            [Differentiable]
            public static double OneCompartmentBolus(double dose, double ke, double volume, double t)
            {
                if (volume <= 0) throw new ArgumentOutOfRangeException(nameof(volume), "A volume of distribution must be positive.");
                return dose / volume * Math.Exp(-ke * t);
            }

            // domain: ka=0.8..2 ke=0.05..0.3 f=0.5..1 t=0.5..24
            // near: ka=0.3002 ke=0.3
            // edge: ka=0.2 ke=0.2 t=5
            [Differentiable]
            public static double OralBateman(double ka, double ke, double f, double t)
            {
                const double dose = 400, volume = 35;
                // At ka == ke the Bateman function is 0/0, and next to it the difference of exponentials cancels. Its
                // expansion in (ka - ke) to first order has the limit's value and the function's slope in ka and ke
                // (the limit ka t e^{-ke t} alone has the value but twice the slope at t = 2/ke).
                if (Math.Abs(ka - ke) < 1e-4)
                    return f * dose / volume * ka * t * Math.Exp(-ke * t) * (1 - (ka - ke) * t / 2);
                return f * dose * ka / (volume * (ka - ke)) * (Math.Exp(-ke * t) - Math.Exp(-ka * t));
            }

            // domain: doses[5]=50..300 ke=0.05..0.3 volume=20..60
            // near: doses[4]=0.0001
            // edge: doses=0 ke=3 volume=20
            [Differentiable]
            public static double TroughAfterSchedule(double[] doses, double ke, double volume)
            {
                var elapsedSinceDose = doses.Length * DosingInterval;
                var concentration = 0.0;
                foreach (var dose in doses)
                {
                    concentration += dose / volume * Math.Exp(-ke * elapsedSinceDose);
                    elapsedSinceDose -= DosingInterval;
                }
                return concentration;
            }

            // domain: k12=0.1..0.5 k21=0.05..0.3 k10=0.05..0.3
            // near: k12=0.1 k21=0.3
            // edge: k12=3 k21=0.001 k10=2
            [Differentiable]
            public static double TwoCompartmentAuc(double k12, double k21, double k10)
            {
                const double dt = 0.25, volume = 30.0;
                double central = 0, peripheral = 0, auc = 0, t = 0;
                foreach (var (time, amount) in Schedule)
                {
                    while (t < time)
                    {
                        var toPeripheral = k12 * central - k21 * peripheral;
                        central -= dt * (toPeripheral + k10 * central);
                        peripheral += dt * toPeripheral;
                        auc += dt * central / volume;
                        t += dt;
                    }
                    central += amount;
                }
                return auc;
            }

            // domain: concentrations[8]=0..20 dt=0.5..2
            // near: dt=0.5
            // edge: concentrations=0 dt=1
            [Differentiable]
            public static double AucTrapezoid(double[] concentrations, double dt)
            {
                // The inner samples count once, the two ends half.
                var inner = concentrations.AsSpan(1, concentrations.Length - 2);
                var sum = 0.5 * (concentrations[0] + concentrations[^1]);
                foreach (var value in inner) sum += value;
                return sum * dt;
            }

            // domain: concentrations[8]=0..20 dt=0.5..2
            // near: dt=0.5
            // edge: concentrations=0 dt=1
            [Differentiable]
            public static double AucTrapezoidIndexed(double[] concentrations, double dt)
            {
                // AucTrapezoid's rewrite: index the array instead of slicing a span of it.
                var sum = 0.5 * (concentrations[0] + concentrations[^1]);
                for (var i = 1; i < concentrations.Length - 1; i++) sum += concentrations[i];
                return sum * dt;
            }

            // domain: conc=0.1..20 emax=50..100 ec50=1..10 hill=0.5..3
            // near: conc=0.0001
            // edge: conc=1000 emax=100 ec50=1 hill=3
            [Differentiable]
            public static double EmaxEffect(double conc, double emax, double ec50, double hill = 1.0)
            {
                var c = Math.Pow(conc, hill);
                return emax * c / (Math.Pow(ec50, hill) + c);
            }

            // domain: age=20..80 weight=50..100 creatinine=0.6..2 female=0..1
            // near: age=20.0001
            // edge: age=90 weight=40 creatinine=5 female=1
            [Differentiable]
            public static double CockcroftGault(double age, double weight, double creatinine, bool female)
            {
                var clearance = (140 - age) * weight / (72 * creatinine);
                return female ? 0.85 * clearance : clearance;
            }

            // domain: target=5..20 volume=20..60 ke=0.05..0.3 maintenance[3]=50..200
            // near: ke=0.05
            // edge: target=0 volume=20 ke=2 maintenance=0
            [Differentiable]
            public static double LoadingDoseShortfall(double target, double volume, double ke, params double[] maintenance)
            {
                // Accumulation of the maintenance doses at steady state, against the loading dose the target needs.
                var accumulated = 0.0;
                for (var k = 0; k < maintenance.Length; k++)
                    accumulated += maintenance[k] * Math.Exp(-ke * DosingInterval * (maintenance.Length - k));
                var loading = target * volume;
                var gap = loading - accumulated;
                return gap * gap / (volume * volume);
            }

            // domain: mic=0.5..4 ke=0.05..0.3 dose=200..800
            // near: dose=200
            // edge: mic=100 ke=0.3 dose=10
            [Differentiable]
            public static double TimeAboveMic(double mic, double ke, double dose)
            {
                const double volume = 25;
                var peak = dose / volume;
                // Never above the MIC: no time counts.
                if (peak <= mic) return 0.0;
                var hours = Math.Log(peak / mic) / ke;
                return Math.Min(hours, DosingInterval) / DosingInterval;
            }
        }
        """;
}
