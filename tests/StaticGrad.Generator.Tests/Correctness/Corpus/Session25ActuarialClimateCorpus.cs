namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 25's domain corpus, actuarial science and climate/energy balance: Gompertz–Makeham survival, a life
/// annuity's present value by <c>foreach</c> over a <c>static readonly double[]</c> mortality table, a term
/// insurance's net premium, Lee–Carter log mortality, a reserve recursion with <c>const</c> locals, a loss ratio
/// with <c>??</c> on a configurable table; a zero-dimensional energy-balance model stepped over years with albedo
/// feedback by a <c>switch</c> on temperature ranges (relational patterns with <c>and</c>), Budyko's ice line with a
/// <c>switch</c> statement and <c>goto case</c>, a two-box ocean model, radiative forcing of CO₂ by an extension
/// method on <c>double</c>, degree-days with <c>Math.Max</c>. Test points as in <see cref="Session23DomainCorpus.RoboticsSource"/>.
/// </summary>
internal static partial class Session25DomainCorpus
{
    public const string ActuarialSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S25Actuarial
        {
            // One-year death probabilities q_x for ages 60–69 (an illustrative table).
            private static readonly double[] MortalityTable = { 0.0081, 0.0089, 0.0098, 0.0108, 0.0119, 0.0131, 0.0145, 0.0160, 0.0177, 0.0196 };

            private static readonly double[] LeeCarterA = { -4.8, -4.7, -4.6, -4.5 };
            private static readonly double[] LeeCarterB = { 0.30, 0.25, 0.25, 0.20 };

            // Credibility by years of experience; a portfolio may configure its own table.
            private static readonly double[] DefaultCredibility = { 0.2, 0.4, 0.55, 0.7, 0.8, 0.9 };
            private static readonly double[]? CredibilityOverride = null;

            // domain: logA=-9..-7.5 b=0.07..0.11 lambda=1e-4..1e-3 age=40..80
            // near: age=0.0001
            // edge: logA=-18 b=0.2 lambda=0 age=110
            // throws: age=-1
            [Differentiable]
            public static double GompertzMakehamSurvival(double logA, double b, double lambda, double age)
            {
                if (age < 0) throw new ArgumentOutOfRangeException(nameof(age), age, "An age cannot be negative.");
                // Fitted on log a, which keeps a positive (and the fit well scaled: a is of order 1e-4).
                var a = Math.Exp(logA);
                // S(x) = exp(−λx − a/b·(e^{bx} − 1)).
                var cumulativeHazard = lambda * age + a / b * (Math.Exp(b * age) - 1);
                return Math.Exp(-cumulativeHazard);
            }

            // domain: rate=0.01..0.06 mortalityShift=0.8..1.2
            // near: rate=0.0001
            // edge: rate=0.5 mortalityShift=0
            [Differentiable]
            public static double LifeAnnuityPresentValue(double rate, double mortalityShift = 1.0)
            {
                var v = 1 / (1 + rate);
                double survival = 1, discount = 1, value = 0;
                foreach (var q in MortalityTable)
                {
                    value += survival * discount;
                    survival *= 1 - Math.Min(q * mortalityShift, 1.0);
                    discount *= v;
                }
                return value;
            }

            // domain: rate=0.01..0.06 loading=0..0.3 shift=0.8..1.5
            // near: loading=0
            // edge: rate=1e-9 loading=5 shift=50
            [Differentiable]
            public static double TermInsuranceNetPremium(double rate, double loading, double shift)
            {
                double benefits = 0, annuity = 0, survival = 1, v = 1 / (1 + rate), discount = 1;
                for (var t = 0; t < MortalityTable.Length; t++)
                {
                    var q = Math.Clamp(MortalityTable[t] * shift, 0.0, 1.0);
                    annuity += survival * discount;
                    benefits += survival * q * discount * v;
                    survival *= 1 - q;
                    discount *= v;
                }
                return (1 + loading) * benefits / annuity;
            }

            // domain: kappa=-5..5 drift=-1..0
            // near: kappa=0
            // edge: kappa=40 drift=-10
            [Differentiable]
            public static double LeeCarterExpectedDeaths(double kappa, double drift)
            {
                var deaths = 0.0;
                for (var year = 0; year < 3; year++)
                {
                    var k = kappa + drift * year;
                    for (var x = 0; x < LeeCarterA.Length; x++)
                    {
                        var logMortality = LeeCarterA[x] + LeeCarterB[x] * k;
                        deaths += 1000 * Math.Exp(logMortality);
                    }
                }
                return deaths;
            }

            // domain: premium=0.5..2 rate=0.01..0.05
            // near: premium=1
            // edge: premium=0 rate=0.9
            // throws: rate=-1
            [Differentiable]
            public static double ProspectiveReserve(double premium, double rate)
            {
                if (rate <= -1) throw new ArgumentOutOfRangeException(nameof(rate), "Interest must exceed -100%.");
                const double benefit = 100.0;
                const int term = 8;
                var reserve = 0.0;
                // Thiele's recursion backwards: V_t = (V_{t+1} p + b q) v − P.
                for (var t = term - 1; t >= 0; t--)
                {
                    var q = MortalityTable[t];
                    reserve = (reserve * (1 - q) + benefit * q) / (1 + rate) - premium;
                }
                return reserve;
            }

            // domain: claims[5]=10..100 premiums[5]=50..150 expenseRatio=0.1..0.3
            // near: expenseRatio=0.2
            // edge: claims=0 premiums=1e-6 expenseRatio=0
            [Differentiable]
            public static double CombinedRatio(double[] claims, double[] premiums, double expenseRatio)
            {
                var weights = CredibilityOverride ?? DefaultCredibility;
                var credibility = weights[Math.Min(claims.Length, weights.Length) - 1];
                double incurred = 0, earned = 0;
                for (var i = 0; i < claims.Length; i++)
                {
                    incurred += claims[i];
                    earned += premiums[i];
                }
                var lossRatio = incurred / earned;
                return credibility * lossRatio + (1 - credibility) * 0.65 + expenseRatio;
            }

            // domain: claims[5]=10..100 premiums[5]=50..150 expenseRatio=0.1..0.3
            // near: expenseRatio=0.2
            // edge: claims=0 premiums=1e-6 expenseRatio=0
            [Differentiable]
            public static double CombinedRatioTableRead(double[] claims, double[] premiums, double expenseRatio)
            {
                // CombinedRatio's rewrite: the configured table's element read where it is needed, no local alias.
                var years = Math.Min(claims.Length, DefaultCredibility.Length) - 1;
                var credibility = CredibilityOverride != null ? CredibilityOverride[years] : DefaultCredibility[years];
                double incurred = 0, earned = 0;
                for (var i = 0; i < claims.Length; i++)
                {
                    incurred += claims[i];
                    earned += premiums[i];
                }
                return credibility * (incurred / earned) + (1 - credibility) * 0.65 + expenseRatio;
            }

            // domain: rate=0.01..0.06 mortalityShift=0.8..1.2
            // near: rate=0.0001
            // edge: rate=0.5 mortalityShift=0
            [Differentiable]
            public static double LifeAnnuityWithDefaultShift(double rate, double mortalityShift)
            {
                // LifeAnnuityPresentValue called with its optional argument left out and given.
                return LifeAnnuityPresentValue(rate) + 0.5 * LifeAnnuityPresentValue(rate, mortalityShift);
            }
        }
        """;

    public const string ClimateSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S25ClimateExtensions
        {
            // domain: co2=280..1200
            // near: co2=280
            // edge: co2=1e-3
            // throws: co2=0
            [Differentiable]
            public static double Co2Forcing(this double co2)
            {
                if (co2 <= 0) throw new ArgumentOutOfRangeException(nameof(co2), "A concentration must be positive.");
                const double preindustrial = 280.0;
                return 5.35 * Math.Log(co2 / preindustrial);
            }
        }

        public static partial class S25Climate
        {
            private const double SolarConstant = 1361.0;
            private const double StefanBoltzmann = 5.670374419e-8;

            // domain: emissivity=0.58..0.66 heatCapacity=5..15 co2=300..600
            // near: emissivity=0.6
            // edge: emissivity=0.99 heatCapacity=1e3 co2=280
            [Differentiable]
            public static double EnergyBalanceTemperature(double emissivity, double heatCapacity, double co2)
            {
                const int years = 30;
                const double secondsPerYear = 3.15576e7;
                var temperature = 288.0;
                var forcing = co2.Co2Forcing();
                for (var year = 0; year < years; year++)
                {
                    var albedo = Albedo(temperature);
                    var absorbed = SolarConstant / 4 * (1 - albedo);
                    var emitted = emissivity * StefanBoltzmann * Math.Pow(temperature, 4);
                    temperature += (absorbed - emitted + forcing) * secondsPerYear / (heatCapacity * 1e8);
                }
                return temperature;
            }

            // domain: temperature=240..300
            // near: temperature=263.2
            // edge: temperature=1000
            [Differentiable]
            public static double Albedo(double temperature) => temperature switch
            {
                < 250 => 0.62,
                >= 250 and < 280 => 0.62 - 0.32 * (temperature - 250) / 30,
                _ => 0.30,
            };

            // domain: insolation=300..400 a=190..210 b=1.8..2.2
            // near: insolation=257
            // edge: insolation=1e3 a=100 b=0.5
            [Differentiable]
            public static double BudykoIceLineTemperature(double insolation, double a, double b)
            {
                var state = 0;
                var albedo = 0.3;
                var temperature = (insolation * (1 - albedo) - a) / b;
                var steps = 0;
                while (steps++ < 4)
                {
                    switch (state)
                    {
                        case 0:
                            if (temperature < -10) goto case 1;
                            albedo = 0.3;
                            break;
                        case 1:
                            albedo = 0.6;
                            state = 1;
                            break;
                    }
                    temperature = (insolation * (1 - albedo) - a) / b;
                }
                return temperature;
            }

            // domain: insolation=300..400 a=190..210 b=1.8..2.2
            // near: insolation=257
            // edge: insolation=1e3 a=100 b=0.5
            [Differentiable]
            public static double BudykoIceLineTemperatureFlag(double insolation, double a, double b)
            {
                // BudykoIceLineTemperature's rewrite: the 'goto case 1' as a bool flag that stays set.
                var iceCovered = false;
                var albedo = 0.3;
                var temperature = (insolation * (1 - albedo) - a) / b;
                for (var step = 0; step < 4; step++)
                {
                    if (!iceCovered && temperature < -10) iceCovered = true;
                    albedo = iceCovered ? 0.6 : 0.3;
                    temperature = (insolation * (1 - albedo) - a) / b;
                }
                return temperature;
            }

            // domain: gamma=0.5..1 heatCapacityDeep=50..150 forcing=1..5
            // near: gamma=0.5
            // edge: gamma=0 heatCapacityDeep=1e6 forcing=0
            [Differentiable]
            public static double TwoBoxWarming(double gamma, double heatCapacityDeep, double forcing)
            {
                const double lambda = 1.2, heatCapacityMixed = 8.0, dt = 1.0;
                double surface = 0, deep = 0;
                for (var year = 0; year < 50; year++)
                {
                    var exchange = gamma * (surface - deep);
                    var dSurface = (forcing - lambda * surface - exchange) / heatCapacityMixed;
                    var dDeep = exchange / heatCapacityDeep;
                    (surface, deep) = (surface + dt * dSurface, deep + dt * dDeep);
                }
                return surface;
            }

            // domain: temperatures[12]=5..25 baseTemperature=15..20
            // near: temperatures=18 baseTemperature=18.0001
            // edge: temperatures=-40 baseTemperature=0
            [Differentiable]
            public static double CoolingDegreeDays(double[] temperatures, double baseTemperature = 18.0)
            {
                var total = 0.0;
                foreach (var t in temperatures.AsSpan())
                {
                    total += Math.Max(t - baseTemperature, 0) * 30.4;
                }
                return total;
            }

            // domain: latitude=-1.2..1.2 declination=-0.4..0.4
            // near: latitude=0.001 declination=0
            // edge: latitude=1.5 declination=0.4
            [Differentiable]
            public static double DailyInsolation(double latitude, double declination)
            {
                // Hour angle of sunrise; polar day and night clamp it.
                var cosH0 = Math.Clamp(-Math.Tan(latitude) * Math.Tan(declination), -1.0, 1.0);
                var h0 = Math.Acos(cosH0);
                return SolarConstant / Math.PI * (h0 * Math.Sin(latitude) * Math.Sin(declination) + Math.Cos(latitude) * Math.Cos(declination) * Math.Sin(h0));
            }
        }
        """;
}
