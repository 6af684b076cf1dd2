namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 23's domain corpus, numerical methods, finance and physics: RK4 with a local right-hand side (a capturing
/// one and a static one returning a tuple), Simpson's and Gauss–Legendre rules, Newton iterations that
/// <c>break</c> at a tolerance, Horner with <c>foreach</c> and <c>Math.FusedMultiplyAdd</c>, Clenshaw; bond price,
/// duration and convexity over an array of a <c>readonly record struct</c>, SABR/Hagan with its at-the-money branch,
/// yield-curve interpolation by a hand-written binary search and by <c>Array.BinarySearch</c>, a binomial tree;
/// spring networks over an edge list of tuples, drag with <c>Math.CopySign</c>, orbital energy, Kepler's equation,
/// Lennard-Jones with <c>checked</c> index arithmetic. Test points as in <see cref="Session23DomainCorpus.RoboticsSource"/>.
/// </summary>
internal static partial class Session23DomainCorpus
{
    public const string NumericsSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S23Numerics
        {
            private static readonly double[] GaussNodes = { -0.9061798459386640, -0.5384693101056831, 0.0, 0.5384693101056831, 0.9061798459386640 };
            private static readonly double[] GaussWeights = { 0.2369268850561891, 0.4786286704993665, 0.5688888888888889, 0.4786286704993665, 0.2369268850561891 };

            // domain: y0=-1..1 k=0.5..2 h=0.05..0.2
            // near: k=0.5 h=0.05
            // edge: y0=0 k=20 h=0.2
            [Differentiable]
            public static double Rk4Decay(double y0, double k, double h)
            {
                double F(double t, double y) => -k * y + Math.Sin(t);
                var (t, y) = (0.0, y0);
                for (var step = 0; step < 10; step++)
                {
                    var k1 = F(t, y);
                    var k2 = F(t + h / 2, y + h / 2 * k1);
                    var k3 = F(t + h / 2, y + h / 2 * k2);
                    var k4 = F(t + h, y + h * k3);
                    y += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
                    t += h;
                }
                return y;
            }

            // domain: theta0=-1..1 omega0=-1..1 g=5..15
            // near: theta0=0.00001 omega0=0
            // edge: theta0=3.1 omega0=0 g=15
            [Differentiable]
            public static double Rk4PendulumEnergy(double theta0, double omega0, double g)
            {
                static (double, double) Rhs(double theta, double omega, double g) => (omega, -g * Math.Sin(theta));
                const double h = 0.02;
                var (theta, omega) = (theta0, omega0);
                for (var i = 0; i < 25; i++)
                {
                    var (a1, b1) = Rhs(theta, omega, g);
                    var (a2, b2) = Rhs(theta + 0.5 * h * a1, omega + 0.5 * h * b1, g);
                    var (a3, b3) = Rhs(theta + 0.5 * h * a2, omega + 0.5 * h * b2, g);
                    var (a4, b4) = Rhs(theta + h * a3, omega + h * b3, g);
                    theta += h / 6 * (a1 + 2 * a2 + 2 * a3 + a4);
                    omega += h / 6 * (b1 + 2 * b2 + 2 * b3 + b4);
                }
                return 0.5 * omega * omega + g * (1 - Math.Cos(theta));
            }

            // domain: a=-1..0 b=0.5..2 width=0.5..2
            // near: a=0 b=0.00001
            // edge: a=-5 b=5 width=0.1
            [Differentiable]
            public static double SimpsonGaussian(double a, double b, double width)
            {
                const int n = 10;
                var h = (b - a) / n;
                double F(double x) => Math.Exp(-x * x / (width * width));
                var sum = F(a) + F(b);
                for (var i = 1; i < n; i++)
                    sum += (i % 2 == 0 ? 2 : 4) * F(a + i * h);
                return sum * h / 3;
            }

            // domain: a=-1..1 b=1.5..3 p=0.5..3
            // near: p=1
            // edge: a=0 b=10 p=0.1
            [Differentiable]
            public static double GaussLegendreIntegral(double a, double b, double p)
            {
                var (mid, half) = ((a + b) / 2, (b - a) / 2);
                var total = 0.0;
                for (var i = 0; i < GaussNodes.Length; i++)
                {
                    var x = mid + half * GaussNodes[i];
                    total += GaussWeights[i] * Math.Exp(-p * x * x) * Math.Cos(x);
                }
                return half * total;
            }

            // domain: a=0.5..10
            // near: a=1
            // edge: a=0.01
            // throws: a=-1
            [Differentiable]
            public static double NewtonSquareRoot(double a)
            {
                if (a < 0) throw new ArgumentOutOfRangeException(nameof(a), "No real square root of a negative number.");
                const double tolerance = 1e-14;
                var x = Math.Max(a, 1.0);
                for (var i = 0; i < 100; i++)
                {
                    var next = 0.5 * (x + a / x);
                    if (Math.Abs(next - x) <= tolerance * next)
                    {
                        x = next;
                        break;
                    }
                    x = next;
                }
                return x;
            }

            // domain: c=0.5..3 x0=0.5..2
            // near: c=1 x0=1
            // edge: c=100 x0=0.5
            [Differentiable]
            public static double NewtonCubeRootWhile(double c, double x0)
            {
                var x = x0;
                var iterations = 0;
                while (iterations < 60)
                {
                    var step = (x * x * x - c) / (3 * x * x);
                    x -= step;
                    iterations = checked(iterations + 1);
                    if (Math.Abs(step) < 1e-13 * Math.Abs(x)) break;
                }
                return x;
            }

            // domain: x=-2..2 coefficients[5]=-1..1
            // near: x=0
            // edge: x=100 coefficients=1
            [Differentiable]
            public static double HornerForeach(double x, double[] coefficients)
            {
                var result = 0.0;
                foreach (var c in coefficients)
                    result = result * x + c;
                return result;
            }

            // domain: x=-2..2 coefficients[5]=-1..1
            // near: x=0.00001
            // edge: x=-100 coefficients=-1
            [Differentiable]
            public static double HornerFused(double x, ReadOnlySpan<double> coefficients)
            {
                var result = 0.0;
                for (var i = coefficients.Length - 1; i >= 0; i--)
                    result = Math.FusedMultiplyAdd(result, x, coefficients[i]);
                return result;
            }

            // domain: x=-1..1 c[6]=-1..1
            // near: x=0.99999
            // edge: x=1 c=1
            [Differentiable]
            public static double ClenshawChebyshev(double x, double[] c)
            {
                double b1 = 0, b2 = 0;
                for (var k = c.Length - 1; k >= 1; k--)
                    (b1, b2) = (2 * x * b1 - b2 + c[k], b1);
                return x * b1 - b2 + c[0];
            }

            // domain: ys[7]=-1..1 spacing=0.1..1
            // near: spacing=0.1
            // edge: ys=0 spacing=1e-8
            [Differentiable]
            public static double TrapezoidRule(ReadOnlySpan<double> ys, double spacing)
            {
                if (ys.Length < 2) return 0;
                var inner = 0.0;
                for (var i = 1; i < ys.Length - 1; i++) inner += ys[i];
                return spacing * (0.5 * (ys[0] + ys[^1]) + inner);
            }

            // domain: a=0.2..2
            // near: a=1
            // edge: a=0.01
            [Differentiable]
            public static double FixedPointCosine(double a)
            {
                // x = cos(a x) by damped fixed-point iteration, capped.
                var x = 0.5;
                var n = 0;
                do
                {
                    var next = 0.5 * x + 0.5 * Math.Cos(a * x);
                    var converged = Math.Abs(next - x) < 1e-14;
                    x = next;
                    if (converged) break;
                } while (++n < 200);
                return x;
            }

            // domain: x=0.5..2.5 h=0.05..0.2
            // near: h=0.05
            // edge: x=0 h=0.5
            [Differentiable]
            public static double RichardsonSecondDerivative(double x, double h)
            {
                static double F(double t) => Math.Sin(t) * Math.Exp(0.3 * t);
                double D(double step) => (F(x + step) - 2 * F(x) + F(x - step)) / (step * step);
                return (4 * D(h / 2) - D(h)) / 3;
            }
        }
        """;

    public const string FinanceSource = """
        // requires C# 10
        using System;
        using StaticGrad;

        namespace Corpus;

        public readonly record struct CashFlow(double Time, double Amount);

        public record struct Flow(double Time, double Amount);

        public static partial class S23Finance
        {
            private static readonly CashFlow[] Schedule =
            {
                new(0.5, 2.5), new(1.0, 2.5), new(1.5, 2.5), new(2.0, 2.5), new(2.5, 2.5), new(3.0, 102.5),
            };

            private static readonly double[] Tenors = { 0.25, 0.5, 1, 2, 3, 5, 7, 10 };

            // domain: yield=0.01..0.08
            // near: yield=0.0000001
            // edge: yield=-0.5
            [Differentiable]
            public static double BondPrice(double yield)
            {
                var price = 0.0;
                foreach (var cf in Schedule)
                    price += cf.Amount * Math.Exp(-yield * cf.Time);
                return price;
            }

            // domain: yield=0.01..0.08
            // near: yield=0.0000001
            // edge: yield=2
            [Differentiable]
            public static double DurationPlusConvexity(double yield)
            {
                double price = 0, weighted = 0, convexity = 0;
                foreach (var (time, amount) in Schedule)
                {
                    var pv = amount / Math.Pow(1 + yield, time);
                    price += pv;
                    weighted += time * pv;
                    convexity += time * (time + 1) * pv;
                }
                var duration = weighted / price;
                return duration + 0.5 * convexity / (price * (1 + yield) * (1 + yield)) * 0.01;
            }

            // domain: yield=0.01..0.08 coupons[5]=1..4
            // near: yield=0.0000001
            // edge: yield=0.5 coupons=0
            [Differentiable]
            public static double BondFromCouponArray(double yield, double[] coupons)
            {
                var flows = new CashFlow[coupons.Length];
                for (var i = 0; i < coupons.Length; i++)
                    flows[i] = new CashFlow(0.5 * (i + 1), coupons[i] + (i == coupons.Length - 1 ? 100 : 0));
                var price = 0.0;
                foreach (var flow in flows)
                    price += flow.Amount / Math.Pow(1 + yield / 2, 2 * flow.Time);
                return price;
            }

            // domain: amounts[4]=1..3 rate=0.01..0.1
            // near: rate=0.0000001
            // edge: amounts=0 rate=3
            [Differentiable]
            public static double PresentValueOfRecordFlows(double[] amounts, double rate)
            {
                // A mutable positional record: a local array of it, deconstructed through the Deconstruct C# writes.
                var flows = new Flow[amounts.Length];
                for (var i = 0; i < amounts.Length; i++)
                    flows[i] = new Flow(i + 1.0, amounts[i]);
                var pv = 0.0;
                foreach (var (time, amount) in flows)
                    pv += amount * Math.Exp(-rate * time);
                return pv;
            }

            // domain: f=0.02..0.05 k=0.02..0.05 t=0.5..3 alpha=0.05..0.3 rho=-0.5..0.5 nu=0.2..0.8
            // near: f=0.03 k=0.0301
            // edge: f=0.05 k=0.02 rho=-0.5
            // throws: f=-0.01
            [Differentiable]
            public static double SabrHaganVolatility(double f, double k, double t, double alpha, double rho, double nu)
            {
                const double beta = 0.5;
                if (f <= 0 || k <= 0) throw new ArgumentOutOfRangeException(nameof(f), "SABR needs a positive forward and strike.");
                var oneMinusBeta = 1 - beta;
                var fkPow = Math.Pow(f * k, oneMinusBeta / 2);
                var logFk = Math.Log(f / k);
                var correction = 1 + t * (oneMinusBeta * oneMinusBeta / 24 * alpha * alpha / (fkPow * fkPow)
                                          + 0.25 * rho * beta * nu * alpha / fkPow
                                          + (2 - 3 * rho * rho) / 24 * nu * nu);
                if (Math.Abs(logFk) < 1e-7)
                    return alpha / fkPow * correction; // at the money, z / x(z) → 1
                var z = nu / alpha * fkPow * logFk;
                var xz = Math.Log((Math.Sqrt(1 - 2 * rho * z + z * z) + z - rho) / (1 - rho));
                var denominator = fkPow * (1 + oneMinusBeta * oneMinusBeta / 24 * logFk * logFk
                                           + Math.Pow(oneMinusBeta, 4) / 1920 * Math.Pow(logFk, 4));
                return alpha / denominator * (z / xz) * correction;
            }

            // domain: t=0.3..9.5 zeroRates[8]=0.01..0.05
            // near: t=2.00001
            // edge: t=0.1 zeroRates=0.03
            [Differentiable]
            public static double DiscountFactorBinarySearch(double t, double[] zeroRates)
            {
                double rate;
                if (t <= Tenors[0]) rate = zeroRates[0];
                else if (t >= Tenors[^1]) rate = zeroRates[^1];
                else
                {
                    int lo = 0, hi = Tenors.Length - 1;
                    while (hi - lo > 1)
                    {
                        var mid = (lo + hi) >> 1;
                        if (Tenors[mid] <= t) lo = mid; else hi = mid;
                    }
                    var w = (t - Tenors[lo]) / (Tenors[hi] - Tenors[lo]);
                    rate = zeroRates[lo] + w * (zeroRates[hi] - zeroRates[lo]);
                }
                return Math.Exp(-rate * t);
            }

            // domain: t=0.3..9.5 zeroRates[8]=0.01..0.05
            // near: t=4.99999
            // edge: t=20 zeroRates=0.05
            [Differentiable]
            public static double DiscountFactorArrayBinarySearch(double t, double[] zeroRates)
            {
                var index = Array.BinarySearch(Tenors, t);
                if (index >= 0) return Math.Exp(-zeroRates[index] * t);
                var hi = ~index;
                if (hi == 0) return Math.Exp(-zeroRates[0] * t);
                if (hi == Tenors.Length) return Math.Exp(-zeroRates[^1] * t);
                var lo = hi - 1;
                var w = (t - Tenors[lo]) / (Tenors[hi] - Tenors[lo]);
                return Math.Exp(-(zeroRates[lo] * (1 - w) + zeroRates[hi] * w) * t);
            }

            // domain: t1=0.5..3 t2=4..9 zeroRates[8]=0.01..0.05
            // near: t1=1.00001
            // edge: t1=0.1 t2=12
            [Differentiable]
            public static double ForwardRate(double t1, double t2, double[] zeroRates)
            {
                double Zero(double t)
                {
                    var i = 1;
                    while (i < Tenors.Length - 1 && Tenors[i] < t) i++;
                    var w = Math.Clamp((t - Tenors[i - 1]) / (Tenors[i] - Tenors[i - 1]), 0.0, 1.0);
                    return zeroRates[i - 1] + w * (zeroRates[i] - zeroRates[i - 1]);
                }
                return (Zero(t2) * t2 - Zero(t1) * t1) / (t2 - t1);
            }

            // domain: discountFactors[6]=0.8..0.99
            // near: discountFactors=0.99
            // edge: discountFactors=1
            [Differentiable]
            public static double ParSwapRate(double[] discountFactors)
            {
                var annuity = 0.0;
                foreach (var df in discountFactors) annuity += 0.5 * df;
                return (1 - discountFactors[^1]) / annuity;
            }

            // domain: spot=80..120 strike=90..110 vol=0.1..0.4 rate=0..0.05
            // near: spot=100.001 strike=100
            // edge: spot=500 strike=100 vol=0.1 rate=0
            [Differentiable]
            public static double BinomialEuropeanCall(double spot, [NoGrad] double strike, double vol, double rate)
            {
                const int steps = 16;
                const double maturity = 1.0;
                var dt = maturity / steps;
                var up = Math.Exp(vol * Math.Sqrt(dt));
                var down = 1 / up;
                var p = (Math.Exp(rate * dt) - down) / (up - down);
                var discount = Math.Exp(-rate * dt);
                var values = new double[steps + 1];
                for (var j = 0; j <= steps; j++)
                    values[j] = Math.Max(spot * Math.Pow(up, j) * Math.Pow(down, steps - j) - strike, 0.0);
                for (var n = steps - 1; n >= 0; n--)
                    for (var j = 0; j <= n; j++)
                        values[j] = discount * (p * values[j + 1] + (1 - p) * values[j]);
                return values[0];
            }

            // domain: weights[3]=0.1..0.6 cov[3x3]=0.01..0.05
            // near: weights=0.333
            // edge: weights=0 weights[0]=1
            [Differentiable]
            public static double PortfolioVolatility(double[] weights, double[,] cov)
            {
                var variance = 0.0;
                for (var i = 0; i < weights.Length; i++)
                    for (var j = 0; j < weights.Length; j++)
                        variance += weights[i] * 0.5 * (cov[i, j] + cov[j, i]) * weights[j];
                return Math.Sqrt(variance);
            }

            // domain: prices[8]=90..110
            // near: prices=100 prices[3]=101
            // edge: prices=1000 prices[2]=0.1
            [Differentiable]
            public static double AnnualizedVolatility(double[] prices)
            {
                const int tradingDays = 252;
                var n = prices.Length - 1;
                var returns = new double[n];
                var mean = 0.0;
                for (var i = 0; i < n; i++)
                {
                    returns[i] = Math.Log(prices[i + 1] / prices[i]);
                    mean += returns[i] / n;
                }
                var variance = 0.0;
                foreach (var r in returns) variance += (r - mean) * (r - mean);
                return Math.Sqrt(variance / (n - 1) * tradingDays + 1e-16);
            }
        }
        """;

    public const string PhysicsSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S23Physics
        {
            private static readonly (int A, int B, double RestLength, double Stiffness)[] Springs =
            {
                (0, 1, 1.0, 10.0), (1, 2, 1.0, 10.0), (2, 3, 1.0, 8.0), (3, 0, 1.0, 8.0), (0, 2, 1.4, 5.0),
            };

            private static readonly (int, int)[] Bonds = { (0, 1), (1, 2), (2, 0) };

            // domain: positions[8]=-1.5..1.5
            // near: positions=0 positions[2]=1 positions[5]=1 positions[6]=1 positions[7]=1.00001
            // edge: positions=100 positions[0]=-100 positions[3]=101 positions[5]=103 positions[7]=106
            [Differentiable]
            public static double SpringNetworkEnergy(double[] positions)
            {
                var energy = 0.0;
                foreach (var (a, b, rest, k) in Springs)
                {
                    var dx = positions[2 * b] - positions[2 * a];
                    var dy = positions[2 * b + 1] - positions[2 * a + 1];
                    var stretch = Math.Sqrt(dx * dx + dy * dy) - rest;
                    energy += 0.5 * k * stretch * stretch;
                }
                return energy;
            }

            // domain: positions[6]=-1.5..1.5 stiffness=1..5
            // near: stiffness=1
            // edge: positions=0 positions[0]=2 positions[3]=0.05 stiffness=5
            [Differentiable]
            public static double SpringForceNorm(double[] positions, double stiffness)
            {
                var forces = new double[positions.Length];
                foreach (var (i, j) in Bonds)
                {
                    var dx = positions[2 * j] - positions[2 * i];
                    var dy = positions[2 * j + 1] - positions[2 * i + 1];
                    var length = Math.Sqrt(dx * dx + dy * dy);
                    var magnitude = stiffness * (length - 1.0) / length;
                    forces[2 * i] += magnitude * dx;
                    forces[2 * i + 1] += magnitude * dy;
                    forces[2 * j] -= magnitude * dx;
                    forces[2 * j + 1] -= magnitude * dy;
                }
                var norm = 0.0;
                foreach (var f in forces) norm += f * f;
                return norm;
            }

            // domain: v0=-10..10 cd=0.3..1.2 area=0.1..1
            // near: v0=0.0001
            // edge: v0=-20 cd=1.2 area=1
            [Differentiable]
            public static double DragDeceleration(double v0, double cd, double area)
            {
                const double rho = 1.225, mass = 2.0, dt = 0.05;
                var v = v0;
                for (var i = 0; i < 20; i++)
                {
                    var drag = -Math.CopySign(0.5 * rho * cd * area * v * v, v);
                    v += drag / mass * dt;
                }
                return v;
            }

            // domain: speed=10..30 angle=0.3..1.2 k=0.001..0.02
            // near: angle=0.785398
            // edge: speed=1 angle=0.01 k=0.02
            [Differentiable]
            public static double ProjectileRangeWithDrag(double speed, double angle, double k)
            {
                const double g = 9.81, dt = 0.01;
                var (x, y) = (0.0, 0.0);
                var (vx, vy) = (speed * Math.Cos(angle), speed * Math.Sin(angle));
                var (px, py) = (x, y);
                var steps = 0;
                while (y >= 0 && steps++ < 10_000)
                {
                    (px, py) = (x, y);
                    var v = Math.Sqrt(vx * vx + vy * vy);
                    vx -= k * v * vx * dt;
                    vy -= (g + k * v * vy) * dt;
                    x += vx * dt;
                    y += vy * dt;
                }
                // Interpolate the ground crossing between the last two positions.
                return py == y ? x : px + (x - px) * py / (py - y);
            }

            // domain: rx=0.8..1.5 ry=-0.5..0.5 vx=-0.3..0.3 vy=0.6..1.2 mu=0.8..1.2
            // near: vy=1.2 rx=0.8 ry=0 vx=0
            // edge: rx=1e3 ry=0 vx=0 vy=1e-3 mu=1
            // throws: vx=2 vy=2 mu=0.8
            [Differentiable]
            public static double OrbitalSemiMajorAxis(double rx, double ry, double vx, double vy, double mu)
            {
                var r = Math.Sqrt(rx * rx + ry * ry);
                var energy = 0.5 * (vx * vx + vy * vy) - mu / r;
                if (energy >= 0) throw new InvalidOperationException("The orbit is not bound.");
                return -mu / (2 * energy);
            }

            // domain: meanAnomaly=0.1..3 eccentricity=0..0.8
            // near: eccentricity=0.00001
            // edge: meanAnomaly=3.14159 eccentricity=0.95
            [Differentiable]
            public static double KeplerEccentricAnomaly(double meanAnomaly, double eccentricity)
            {
                var e = eccentricity < 0.8 ? meanAnomaly : Math.PI;
                for (var i = 0; i < 50; i++)
                {
                    var delta = (e - eccentricity * Math.Sin(e) - meanAnomaly) / (1 - eccentricity * Math.Cos(e));
                    e -= delta;
                    if (Math.Abs(delta) < 1e-14) break;
                }
                return e;
            }

            // domain: coordinates[9]=-1..1
            // near: coordinates=0 coordinates[0]=1.12 coordinates[4]=1.12 coordinates[8]=1.12
            // edge: coordinates=0 coordinates[0]=3 coordinates[4]=-3 coordinates[8]=9
            [Differentiable]
            public static double LennardJonesCluster(double[] coordinates)
            {
                const double epsilon = 1.0, sigma = 0.5;
                var atoms = coordinates.Length / 3;
                var energy = 0.0;
                for (var i = 0; i < atoms; i++)
                {
                    for (var j = i + 1; j < atoms; j++)
                    {
                        int a = checked(3 * i), b = checked(3 * j);
                        var (dx, dy, dz) = (coordinates[a] - coordinates[b], coordinates[a + 1] - coordinates[b + 1], coordinates[a + 2] - coordinates[b + 2]);
                        var r2 = dx * dx + dy * dy + dz * dz + 0.25;
                        var s6 = Math.Pow(sigma * sigma / r2, 3);
                        energy += 4 * epsilon * (s6 * s6 - s6);
                    }
                }
                return energy;
            }

            // domain: charges[4]=-1..1 spacing=0.5..2 cutoff=2..4
            // near: spacing=1 cutoff=3.0001
            // edge: spacing=10 cutoff=2
            [Differentiable]
            public static double CoulombChainWithCutoff(double[] charges, double spacing, [NoGrad] double cutoff)
            {
                var energy = 0.0;
                for (var i = 0; i < charges.Length; i++)
                {
                    for (var j = i + 1; j < charges.Length; j++)
                    {
                        var r = (j - i) * spacing;
                        if (r > cutoff) continue;
                        energy += charges[i] * charges[j] * (1 / r - 1 / cutoff);
                    }
                }
                return energy;
            }

            // domain: x0=-1..1 v0=-1..1 k=1..4 c=0.05..0.5
            // near: c=0.05 x0=0.00001 v0=0
            // edge: x0=0 v0=0
            [Differentiable]
            public static double VelocityVerletEnergy(double x0, double v0, double k, double c)
            {
                const double dt = 0.02, mass = 1.0;
                var x = x0;
                var v = v0;
                var a = (-k * x - c * v) / mass;
                for (var step = 0; step < 50; step++)
                {
                    x += v * dt + 0.5 * a * dt * dt;
                    var vHalf = v + 0.5 * a * dt;
                    var aNew = (-k * x - c * vHalf) / mass;
                    v = vHalf + 0.5 * aNew * dt;
                    a = aNew;
                }
                return 0.5 * mass * v * v + 0.5 * k * x * x;
            }

            // domain: m1=0.5..2 m2=0.5..2 u1=-2..2 u2=-2..2
            // near: u1=1 u2=0.99999
            // edge: m1=1e6 m2=1e-6
            [Differentiable]
            public static double ElasticCollisionKinetic(double m1, double m2, double u1, double u2)
            {
                var total = m1 + m2;
                var (v1, v2) = ((m1 - m2) / total * u1 + 2 * m2 / total * u2, 2 * m1 / total * u1 + (m2 - m1) / total * u2);
                return 0.5 * m1 * v1 * v1 + 3 * m2 * v2;
            }

            // domain: amplitude=0.05..2.5 length=0.5..2
            // near: amplitude=0.00001
            // edge: amplitude=3.1 length=0.5
            [Differentiable]
            public static double PendulumPeriod(double amplitude, double length)
            {
                // T = 2π√(L/g) · (1 + θ²/16 + 11θ⁴/3072 + 173θ⁶/737280 + …)
                const double g = 9.80665;
                var theta2 = amplitude * amplitude;
                var series = 1 + theta2 / 16 + 11 * theta2 * theta2 / 3072 + 173 * theta2 * theta2 * theta2 / 737280;
                return 2 * Math.PI * Math.Sqrt(length / g) * series;
            }

            // domain: speed=0.1..0.9 mass=0.5..2
            // near: speed=0.00001
            // edge: speed=0.999 mass=1
            // throws: speed=1.5
            [Differentiable]
            public static double RelativisticKineticEnergy(double speed, double mass)
            {
                const double c = 1.0;
                var beta2 = speed * speed / (c * c);
                if (beta2 >= 1) throw new ArgumentOutOfRangeException(nameof(speed), "Nothing massive reaches the speed of light.");
                var gamma = 1 / Math.Sqrt(1 - beta2);
                var energy = (gamma - 1) * mass * c * c;
                return double.IsFinite(energy) ? energy : double.MaxValue;
            }
        }
        """;
}
