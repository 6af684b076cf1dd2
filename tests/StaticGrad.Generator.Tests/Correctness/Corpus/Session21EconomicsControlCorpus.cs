namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 21's domain corpus, economics and control: CES and Cobb–Douglas utility, an annuity and a loan schedule
/// with loops and <c>Math.Pow</c> of an int exponent, Black–76 with a normal CDF helper, a piecewise tax with a
/// <c>switch</c> statement and <c>when</c> guards; a PID loop with a mutable struct state, an LQR cost over a horizon,
/// a scalar Kalman filter and a mass–spring–damper with tuple deconstruction.
/// </summary>
internal static partial class Session21DomainCorpus
{
    public const string EconomicsSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S21Economics
        {
            // domain: x=0.5..3 y=0.5..3 alpha=0.2..0.8 rho=0.2..0.8
            [Differentiable]
            public static double CesUtility(double x, double y, double alpha, double rho)
                => Math.Pow(alpha * Math.Pow(x, rho) + (1 - alpha) * Math.Pow(y, rho), 1 / rho);

            // domain: capital=1..10 labor=1..10 productivity=0.5..2
            [Differentiable]
            public static double CobbDouglas(double capital, double labor, double productivity)
            {
                const double alpha = 0.33;
                return productivity * Math.Pow(capital, alpha) * Math.Pow(labor, 1 - alpha);
            }

            // domain: payment=50..150 rate=0.01..0.1 periods=1..12
            [Differentiable]
            public static double AnnuityPresentValue(double payment, double rate, int periods)
            {
                double pv = 0;
                for (int t = 1; t <= periods; t++)
                    pv += payment / Math.Pow(1 + rate, t);
                return pv;
            }

            // domain: principal=1000..5000 annualRate=0.02..0.1 months=6..24
            [Differentiable]
            public static double TotalInterestPaid(double principal, double annualRate, int months)
            {
                double r = annualRate / 12;
                double payment = principal * r / (1 - Math.Pow(1 + r, -months));
                double balance = principal;
                double interest = 0;
                for (int m = 0; m < months; m++)
                {
                    double due = balance * r;
                    interest += due;
                    balance -= payment - due;
                }
                return interest;
            }

            // Not marked: the refusal says to mark it (Black76PutMarkedHelper calls the marked one).
            private static double NormCdf(double x) => NormCdfMarked(x);

            // domain: forward=80..120 strike=90..110 volatility=0.1..0.5 expiry=0.25..2 rate=0..0.05
            [Differentiable]
            public static double Black76Call(double forward, [NoGrad] double strike, double volatility, double expiry, double rate)
            {
                double sqrtT = Math.Sqrt(expiry);
                double d1 = (Math.Log(forward / strike) + 0.5 * volatility * volatility * expiry) / (volatility * sqrtT);
                double d2 = d1 - volatility * sqrtT;
                return Math.Exp(-rate * expiry) * (forward * NormCdfSmooth(d1) - strike * NormCdfSmooth(d2));
            }

            [Differentiable]
            private static double NormCdfSmooth(double x) => 0.5 * (1 + Math.Tanh(0.7978845608 * (x + 0.044715 * x * x * x)));

            // domain: forward=80..120 strike=90..110 volatility=0.1..0.5 expiry=0.25..2
            [Differentiable]
            public static double Black76PutAbramowitz(double forward, [NoGrad] double strike, double volatility, double expiry)
            {
                double stdDev = volatility * Math.Sqrt(expiry);
                double d1 = Math.Log(forward / strike) / stdDev + 0.5 * stdDev;
                double d2 = d1 - stdDev;
                return strike * NormCdf(-d2) - forward * NormCdf(-d1);
            }

            [Differentiable]
            private static double NormCdfMarked(double x)
            {
                // Abramowitz–Stegun 7.1.26 for erf, as found in many trading code bases.
                const double a1 = 0.254829592, a2 = -0.284496736, a3 = 1.421413741, a4 = -1.453152027, a5 = 1.061405429, p = 0.3275911;
                int sign = x < 0 ? -1 : 1;
                double z = Math.Abs(x) / Math.Sqrt(2.0);
                double t = 1.0 / (1.0 + p * z);
                double y = 1.0 - (((((a5 * t + a4) * t) + a3) * t + a2) * t + a1) * t * Math.Exp(-z * z);
                return 0.5 * (1.0 + sign * y);
            }

            // domain: forward=80..120 strike=90..110 volatility=0.1..0.5 expiry=0.25..2
            [Differentiable]
            public static double Black76PutMarkedHelper(double forward, [NoGrad] double strike, double volatility, double expiry)
            {
                double stdDev = volatility * Math.Sqrt(expiry);
                double d1 = Math.Log(forward / strike) / stdDev + 0.5 * stdDev;
                double d2 = d1 - stdDev;
                return strike * NormCdfMarked(-d2) - forward * NormCdfMarked(-d1);
            }

            // domain: price=1..5 scale=50..150 elasticity=1.2..2.5 unitCost=0.2..0.8
            [Differentiable]
            public static double ConstantElasticityProfit(double price, double scale, double elasticity, double unitCost)
            {
                double quantity = scale * Math.Pow(price, -elasticity);
                return (price - unitCost) * quantity;
            }

            // domain: income=5000..150000
            [Differentiable]
            public static double PiecewiseTax(double income)
            {
                double tax;
                switch (income)
                {
                    case var x when x <= 10000:
                        tax = 0.1 * x;
                        break;
                    case var x when x <= 40000:
                        tax = 1000 + 0.2 * (x - 10000);
                        break;
                    case > 100000:
                        tax = 19000 + 0.45 * (income - 100000);
                        break;
                    default:
                        tax = 7000 + 0.3 * (income - 40000);
                        break;
                }
                return tax;
            }

            // domain: consumption[5]=0.5..2 gamma=1.5..3 beta=0.9..0.99
            [Differentiable]
            public static double CrraLifetimeUtility(double[] consumption, double gamma, double beta)
            {
                double total = 0;
                double discount = 1;
                foreach (var c in consumption)
                {
                    total += discount * (Math.Pow(c, 1 - gamma) - 1) / (1 - gamma);
                    discount *= beta;
                }
                return total;
            }
        }
        """;

    public const string ControlSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public struct S21PidState
        {
            public double Integral;
            public double PreviousError;
        }

        public static partial class S21Control
        {
            // domain: kp=0.5..2 ki=0.05..0.5 kd=0.01..0.2 setpoint=0.5..1.5
            [Differentiable]
            public static double PidTrackingCost(double kp, double ki, double kd, double setpoint)
            {
                var state = new S21PidState();
                double position = 0, velocity = 0, cost = 0;
                const double dt = 0.05;
                for (int step = 0; step < 40; step++)
                {
                    double error = setpoint - position;
                    state.Integral += error * dt;
                    double derivative = (error - state.PreviousError) / dt;
                    state.PreviousError = error;
                    double u = kp * error + ki * state.Integral + kd * derivative;
                    velocity += dt * (u - 0.5 * velocity);
                    position += dt * velocity;
                    cost += error * error * dt;
                }
                return cost;
            }

            // domain: gains[2]=0.1..1 a=0.8..1.1 b=0.3..0.7
            [Differentiable]
            public static double LqrHorizonCost(double[] gains, double a, double b)
            {
                const double q = 1.0, r = 0.1;
                double position = 1.0, velocity = 0.0;
                double cost = 0;
                for (int k = 0; k < 20; k++)
                {
                    double u = -(gains[0] * position + gains[1] * velocity);
                    cost += q * (position * position + velocity * velocity) + r * u * u;
                    double nextPosition = a * position + 0.1 * velocity;
                    velocity = velocity + b * u * 0.1;
                    position = nextPosition;
                }
                return cost + 10 * position * position;
            }

            // domain: measurements[6]=-1..1 processNoise=0.01..0.1 measurementNoise=0.1..1
            [Differentiable]
            public static double ScalarKalmanEstimate(double[] measurements, double processNoise, double measurementNoise)
            {
                double estimate = 0, variance = 1;
                foreach (var z in measurements)
                {
                    variance += processNoise;
                    double gain = variance / (variance + measurementNoise);
                    estimate += gain * (z - estimate);
                    variance *= 1 - gain;
                }
                return estimate + variance;
            }

            // domain: stiffness=1..4 damping=0.1..0.8 x0=0.5..1.5
            [Differentiable]
            public static double MassSpringDamperEnergy(double stiffness, double damping, double x0)
            {
                double x = x0, v = 0;
                const double h = 0.02;
                for (int i = 0; i < 50; i++)
                    (x, v) = (x + h * v, v - h * (stiffness * x + damping * v));
                return 0.5 * v * v + 0.5 * stiffness * x * x;
            }

            // domain: controls[6]=-1..1 target=0.5..1.5
            [Differentiable]
            public static double MpcCostWithSaturation(double[] controls, double target)
            {
                const double limit = 5.0;
                double state = 0, cost = 0;
                for (int i = 0; i < controls.Length; i++)
                {
                    double u = Math.Clamp(controls[i], -limit, limit);
                    state = 0.9 * state + 0.5 * u;
                    double e = state - target;
                    cost += e * e + 0.01 * u * u;
                }
                return cost;
            }

            // domain: theta=-0.5..0.5 omega=-1..1 length=0.5..1.5
            [Differentiable]
            public static double PendulumEnergy(double theta, double omega, double length)
            {
                const double g = 9.81, mass = 1.0;
                double kinetic = 0.5 * mass * length * length * omega * omega;
                double potential = mass * g * length * (1 - Math.Cos(theta));
                return kinetic + potential;
            }

            // domain: tau=0.2..1 input[8]=-1..1
            [Differentiable]
            public static float FirstOrderLag(float tau, float[] input)
            {
                const float dt = 0.1f;
                float alpha = dt / (tau + dt);
                float y = 0f;
                float squared = 0f;
                for (int i = 0; i < input.Length; i++)
                {
                    y += alpha * (input[i] - y);
                    squared += y * y;
                }
                return squared;
            }
        }
        """;
}
