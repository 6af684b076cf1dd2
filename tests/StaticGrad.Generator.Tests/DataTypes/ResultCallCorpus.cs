namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Helpers that return a struct or a tuple, called from a [Differentiable] body as simulation and pricing code
/// calls them: a gravity force between two bodies, Black–Scholes returning (price, delta), an integrator step
/// returning the next state, an instance method returning a pair.
/// </summary>
internal static class ResultCallCorpus
{
    public const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace DataCorpus;

        public record struct Oscillator(double X, double V);

        public struct Hit
        {
            public double Distance;
            public double Shade;
            public int Steps;
        }

        public static partial class ResultCalls
        {
            public static object[] TwoBodyOrbit_Args() => new object[] { new Vector3(0f, 0f, 0f), new Vector3(1f, 0.3f, -0.2f), new Vector3(0.1f, 0.2f, 0f), 3 };

            [Differentiable]
            public static float TwoBodyOrbit(Vector3 planet, Vector3 sun, Vector3 velocity, int steps)
            {
                var v = velocity;
                var p = planet;
                for (var s = 0; s < steps; s++)
                {
                    var force = Gravity(p, sun, 1f, 2f);
                    v += 0.1f * force;
                    p += 0.1f * v;
                }

                return p.LengthSquared() + v.X;
            }

            [Differentiable]
            public static Vector3 Gravity(Vector3 from, Vector3 to, float massFrom, float massTo)
            {
                var r = to - from;
                var distanceSquared = r.LengthSquared() + 0.01f;
                var inverse = 1f / MathF.Sqrt(distanceSquared);
                return massFrom * massTo * inverse * inverse * inverse * r;
            }

            public static object[] HedgedBook_Args() => new object[] { 100.0, 0.25, 0.4 };

            [Differentiable]
            public static double HedgedBook(double spot, double volatility, double hedge)
            {
                var total = 0.0;
                for (var k = 0; k < 3; k++)
                {
                    var (price, delta) = BlackScholes(spot, 90.0 + 10.0 * k, 0.02, volatility, 1.0 + 0.5 * k);
                    total += price - hedge * delta * spot;
                }

                return total;
            }

            [Differentiable]
            public static (double Price, double Delta) BlackScholes(double spot, double strike, double rate, double volatility, double years)
            {
                var root = Math.Sqrt(years);
                var d1 = (Math.Log(spot / strike) + (rate + 0.5 * volatility * volatility) * years) / (volatility * root);
                var d2 = d1 - volatility * root;
                var nd1 = NormalCdf(d1);
                var price = spot * nd1 - strike * Math.Exp(-rate * years) * NormalCdf(d2);
                return (price, nd1);
            }

            [Differentiable]
            public static double NormalCdf(double x)
            {
                // The logistic approximation of the normal distribution function (|error| < 0.01), smooth everywhere.
                var z = 1.702 * x;
                return 1.0 / (1.0 + Math.Exp(-z));
            }

            public static object[] StrikeLadder_Args() => new object[] { 100.0, 95.0 };

            [Differentiable]
            public static double StrikeLadder(double spot, double strike)
            {
                var (low, lowDelta) = Quote(spot, strike);
                var (high, highDelta) = Quote(spot, strike * 1.1);
                return low - high + 0.5 * (lowDelta + highDelta);
            }

            [Differentiable]
            public static (double Price, double Delta) Quote(double spot, [NoGrad] double strike)
            {
                var moneyness = Math.Log(spot / strike);
                var delta = NormalCdf(4.0 * moneyness);
                return (spot * delta - strike * NormalCdf(4.0 * moneyness - 0.2), delta);
            }

            public static object[] Vega_Args() => new object[] { 105.0, 0.3 };

            [Differentiable]
            public static double Vega(double spot, double volatility)
            {
                var quote = BlackScholes(spot, 100.0, 0.01, volatility, 2.0);
                return quote.Price * quote.Delta + quote.Price;
            }

            public static object[] DampedEnergy_Args() => new object[] { 1.0, 0.2, 0.1 };

            [Differentiable]
            public static double DampedEnergy(double x0, double v0, double h)
            {
                var state = new Oscillator(x0, v0);
                for (var i = 0; i < 5; i++)
                {
                    state = Step(state, h);
                }

                return 0.5 * state.V * state.V + 0.5 * state.X * state.X;
            }

            [Differentiable]
            public static Oscillator Step(Oscillator s, double h)
            {
                var a = -s.X - 0.1 * s.V;
                var x = s.X + h * s.V;
                return new Oscillator(x, s.V + h * a);
            }

            public static object[] MarchShade_Args() => new object[] { 0.3, 1.2 };

            [Differentiable]
            public static double MarchShade(double height, double radius)
            {
                var hit = March(height, radius);
                return hit.Distance * hit.Shade + hit.Steps * 0.001 * hit.Distance;
            }

            [Differentiable]
            public static Hit March(double height, double radius)
            {
                var t = 0.0;
                var steps = 0;
                for (var i = 0; i < 4; i++)
                {
                    t += Math.Sqrt(t * t + height * height) - radius * 0.5;
                    steps++;
                }

                return new Hit { Distance = t, Shade = Math.Exp(-0.2 * t), Steps = steps };
            }
        }

        public partial class Desk
        {
            public double Rate { get; set; } = 0.03;

            public static object[] Carry_Args() => new object[] { 1.5, 0.7 };

            [Differentiable]
            public double Carry(double spot, double years)
            {
                var (value, slope) = Discount(spot, years);
                return value * value + slope;
            }

            [Differentiable]
            public (double Value, double Slope) Discount(double spot, double years)
            {
                var factor = Math.Exp(-Rate * years);
                var value = spot * factor;
                return (value, -Rate * value);
            }
        }
        """;
}
