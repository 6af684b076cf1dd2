namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 21's domain corpus, signal processing and chemistry: FIR and biquad filters over arrays, a DFT bin's
/// magnitude accumulated in <c>System.Numerics.Complex</c>, Hann windowing, pre-emphasis, autocorrelation, RK4 steps of
/// kinetic ODEs with a local function for the right-hand side, Michaelis–Menten, Arrhenius, Hill and oral-dose
/// pharmacokinetics with a multi-dose loop.
/// </summary>
internal static partial class Session21DomainCorpus
{
    public const string SignalSource = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Corpus;

        public static partial class S21Signal
        {
            // domain: signal[8]=-1..1 taps[3]=-1..1
            [Differentiable]
            public static double FirOutputEnergy(double[] signal, double[] taps)
            {
                double energy = 0;
                for (int n = taps.Length - 1; n < signal.Length; n++)
                {
                    double y = 0;
                    for (int k = 0; k < taps.Length; k++)
                        y += taps[k] * signal[n - k];
                    energy += y * y;
                }
                return energy;
            }

            // domain: x[10]=-1..1 b0=0.2..0.6 b1=-0.3..0.3 b2=0..0.3 a1=-0.5..0.5 a2=-0.3..0.3
            [Differentiable]
            public static double BiquadLastOutput(double[] x, double b0, double b1, double b2, double a1, double a2)
            {
                // Direct form I: two input and two output delays.
                double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
                double sumSquares = 0;
                foreach (var sample in x)
                {
                    var y = b0 * sample + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
                    x2 = x1;
                    x1 = sample;
                    y2 = y1;
                    y1 = y;
                    sumSquares += y * y;
                }
                return sumSquares + y1;
            }

            // domain: signal[8]=-1..1 bin=1..3
            [Differentiable]
            public static double DftMagnitude(double[] signal, int bin)
            {
                int n = signal.Length;
                Complex acc = Complex.Zero;
                for (int t = 0; t < n; t++)
                {
                    double angle = -2 * Math.PI * bin * t / n;
                    acc += signal[t] * new Complex(Math.Cos(angle), Math.Sin(angle));
                }
                return acc.Magnitude;
            }

            // domain: signal[8]=-1..1 bin=1..3
            [Differentiable]
            public static double DftPowerWithExp(double[] signal, int bin)
            {
                var sum = Complex.Zero;
                for (int t = 0; t < signal.Length; t++)
                    sum += signal[t] * Complex.Exp(-Complex.ImaginaryOne * 2.0 * Math.PI * bin * t / signal.Length);
                return sum.Real * sum.Real + sum.Imaginary * sum.Imaginary;
            }

            // domain: signal[9]=-1..1
            [Differentiable]
            public static double HannWindowedEnergy(double[] signal)
            {
                int n = signal.Length;
                double energy = 0;
                for (int i = 0; i < n; i++)
                {
                    double w = 0.5 * (1 - Math.Cos(2 * Math.PI * i / (n - 1)));
                    double v = w * signal[i];
                    energy += v * v;
                }
                return energy / n;
            }

            // domain: samples[6]=0.1..1
            [Differentiable]
            public static float RmsLevelDecibels(float[] samples)
            {
                float sum = 0f;
                for (int i = 0; i < samples.Length; i++)
                    sum += samples[i] * samples[i];
                float rms = MathF.Sqrt(sum / samples.Length);
                return 20f * MathF.Log10(rms + 1e-6f);
            }

            // domain: x[8]=-1..1 coefficient=0.9..0.99
            [Differentiable]
            public static double PreEmphasisEnergy(double[] x, double coefficient)
            {
                double energy = x[0] * x[0];
                for (int i = 1; i < x.Length; i++)
                {
                    double y = x[i] - coefficient * x[i - 1];
                    energy += y * y;
                }
                return energy;
            }

            // domain: x[8]=-1..1 lag=0..3
            [Differentiable]
            public static double NormalizedAutocorrelation(double[] x, int lag)
            {
                double mean = 0;
                foreach (var v in x) mean += v;
                mean /= x.Length;
                double num = 0, den = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    den += (x[i] - mean) * (x[i] - mean);
                    if (i + lag < x.Length)
                        num += (x[i] - mean) * (x[i + lag] - mean);
                }
                return num / den;
            }

            // domain: x[10]=-1..1 window=1..4
            [Differentiable]
            public static double MovingAverageRoughness(double[] x, int window)
            {
                var smoothed = new double[x.Length - window + 1];
                double running = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    running += x[i];
                    if (i >= window) running -= x[i - window];
                    if (i >= window - 1) smoothed[i - window + 1] = running / window;
                }
                double roughness = 0;
                for (int i = 1; i < smoothed.Length; i++)
                {
                    double d = smoothed[i] - smoothed[i - 1];
                    roughness += d * d;
                }
                return roughness;
            }
        }
        """;

    public const string ChemistrySource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S21Chemistry
        {
            private const double GasConstant = 8.314462618;

            // domain: k=0.1..2 c0=0.5..2 dt=0.01..0.1
            [Differentiable]
            public static double Rk4FirstOrderDecay(double k, double c0, double dt)
            {
                double Rate(double c) => -k * c;

                double conc = c0;
                for (int step = 0; step < 10; step++)
                {
                    double k1 = Rate(conc);
                    double k2 = Rate(conc + 0.5 * dt * k1);
                    double k3 = Rate(conc + 0.5 * dt * k2);
                    double k4 = Rate(conc + dt * k3);
                    conc += dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
                }
                return conc;
            }

            // domain: ka=0.5..2 ke=0.05..0.3 dose=50..150
            [Differentiable]
            public static double Rk4TwoCompartment(double ka, double ke, double dose)
            {
                (double Gut, double Plasma) Deriv(double gut, double plasma) => (-ka * gut, ka * gut - ke * plasma);

                double a = dose, c = 0;
                const double h = 0.25;
                for (int i = 0; i < 8; i++)
                {
                    var s1 = Deriv(a, c);
                    var s2 = Deriv(a + h / 2 * s1.Gut, c + h / 2 * s1.Plasma);
                    var s3 = Deriv(a + h / 2 * s2.Gut, c + h / 2 * s2.Plasma);
                    var s4 = Deriv(a + h * s3.Gut, c + h * s3.Plasma);
                    a += h / 6 * (s1.Gut + 2 * s2.Gut + 2 * s3.Gut + s4.Gut);
                    c += h / 6 * (s1.Plasma + 2 * s2.Plasma + 2 * s3.Plasma + s4.Plasma);
                }
                return c;
            }

            // domain: vmax=0.5..2 km=0.1..1 s=0.05..3
            [Differentiable]
            public static double MichaelisMenten(double vmax, double km, double s) => vmax * s / (km + s);

            // domain: preExponential=1e3..1e4 activationEnergy=2e4..6e4 temperature=280..360
            [Differentiable]
            public static double ArrheniusRate(double preExponential, double activationEnergy, double temperature)
            {
                return preExponential * Math.Exp(-activationEnergy / (GasConstant * temperature));
            }

            // domain: concentration=0.1..5 ec50=0.5..2 hill=0.8..3
            [Differentiable]
            public static double HillResponse(double concentration, double ec50, double hill)
            {
                double cn = Math.Pow(concentration, hill);
                return cn / (Math.Pow(ec50, hill) + cn);
            }

            // domain: dose=50..200 ka=0.8..2 ke=0.05..0.3 volume=10..40 time=0.5..12
            [Differentiable]
            public static double OralOneCompartment(double dose, double ka, double ke, double volume, double time)
            {
                const double bioavailability = 0.8;
                return bioavailability * dose * ka / (volume * (ka - ke)) * (Math.Exp(-ke * time) - Math.Exp(-ka * time));
            }

            // domain: dose=50..200 ke=0.05..0.3 volume=10..40 interval=4..8 doses=1..5
            [Differentiable]
            public static double MultiDoseTrough(double dose, double ke, double volume, double interval, int doses)
            {
                // IV boluses every `interval` hours; concentration just before the next dose.
                double t = doses * interval;
                double total = 0;
                for (int i = 0; i < doses; i++)
                {
                    double since = t - i * interval;
                    if (since <= 0) continue;
                    total += dose / volume * Math.Exp(-ke * since);
                }
                return total;
            }

            // domain: r=0.2..1 capacity=50..150 p0=5..20
            [Differentiable]
            public static double LogisticGrowthEuler(double r, double capacity, double p0)
            {
                const double dt = 0.1;
                double p = p0;
                double time = 0;
                while (time < 5.0)
                {
                    p += dt * r * p * (1 - p / capacity);
                    time += dt;
                }
                return p;
            }

            // domain: pKa=4..6 baseConc=0.05..0.5 acidConc=0.05..0.5
            [Differentiable]
            public static double HendersonHasselbalch(double pKa, double baseConc, double acidConc) => pKa + Math.Log10(baseConc / acidConc);

            // domain: k1=0.5..1.5 k2=0.1..0.5 a0=0.5..1.5
            [Differentiable]
            public static double ConsecutiveReactionIntermediate(double k1, double k2, double a0)
            {
                // A -> B -> C, explicit Euler; the peak-ish amount of B at t = 2.
                double a = a0, b = 0;
                const int steps = 40;
                const double dt = 2.0 / steps;
                for (int i = 0; i < steps; i++)
                {
                    double ra = k1 * a;
                    double rb = k2 * b;
                    a -= dt * ra;
                    b += dt * (ra - rb);
                }
                return b;
            }
        }
        """;
}
