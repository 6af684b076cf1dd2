namespace StaticGrad.Benchmarks.Workloads.BlackScholes;

/// <summary>
/// European call prices: the Black–Scholes closed form and a Monte-Carlo estimate over fixed normal samples. The
/// Greeks are the gradient with respect to spot (delta), volatility (vega), rate (rho) and maturity (−theta);
/// the strike is a constant.
/// </summary>
public static partial class BlackScholes
{
#if GENERATED_BLACKSCHOLES
    [Differentiable]
#endif
    public static double CallPrice(double spot, double volatility, double rate, double maturity, [NoGrad] double strike)
    {
        var sqrtMaturity = Math.Sqrt(maturity);
        var d1 = (Math.Log(spot / strike) + ((rate + (0.5 * volatility * volatility)) * maturity)) / (volatility * sqrtMaturity);
        var d2 = d1 - (volatility * sqrtMaturity);
        return (spot * NormalCdf(d1)) - (strike * Math.Exp(-rate * maturity) * NormalCdf(d2));
    }

    /// <summary>
    /// Φ(x) by Hart's double-precision algorithm (as given by G. West, "Better approximations to cumulative normal
    /// functions", 2005): absolute error below 1e-14, no erf in .NET's Math.
    /// </summary>
#if GENERATED_BLACKSCHOLES
    [Differentiable]
#endif
    public static double NormalCdf(double x)
    {
        var z = Math.Abs(x);
        double tail;
        if (z > 37.0)
        {
            tail = 0.0;
        }
        else if (z < 7.07106781186547)
        {
            var numerator = (0.0352624965998911 * z) + 0.700383064443688;
            numerator = (numerator * z) + 6.37396220353165;
            numerator = (numerator * z) + 33.912866078383;
            numerator = (numerator * z) + 112.079291497871;
            numerator = (numerator * z) + 221.213596169931;
            numerator = (numerator * z) + 220.206867912376;
            var denominator = (0.0883883476483184 * z) + 1.75566716318264;
            denominator = (denominator * z) + 16.064177579207;
            denominator = (denominator * z) + 86.7807322029461;
            denominator = (denominator * z) + 296.564248779674;
            denominator = (denominator * z) + 637.333633378831;
            denominator = (denominator * z) + 793.826512519948;
            denominator = (denominator * z) + 440.413735824752;
            tail = Math.Exp(-0.5 * z * z) * numerator / denominator;
        }
        else
        {
            var fraction = z + 0.65;
            fraction = z + (4.0 / fraction);
            fraction = z + (3.0 / fraction);
            fraction = z + (2.0 / fraction);
            fraction = z + (1.0 / fraction);
            tail = Math.Exp(-0.5 * z * z) / fraction / 2.506628274631;
        }

        return x > 0.0 ? 1.0 - tail : tail;
    }

    /// <summary>The standard normal density φ(x).</summary>
    public static double NormalPdf(double x) => Math.Exp(-0.5 * x * x) / Math.Sqrt(2.0 * Math.PI);

    /// <summary>
    /// e^{−rT}·mean(max(S_T − K, 0)) with S_T = S·exp((r − σ²/2)T + σ√T·z) over the given standard normal samples
    /// (a [NoGrad] input, so the estimate is a deterministic function of the parameters).
    /// </summary>
#if GENERATED_BLACKSCHOLES
    [Differentiable]
#endif
    public static double MonteCarloCallPrice(double spot, double volatility, double rate, double maturity, [NoGrad] double strike, [NoGrad] double[] normals)
    {
        var drift = (rate - (0.5 * volatility * volatility)) * maturity;
        var diffusion = volatility * Math.Sqrt(maturity);
        var payoff = 0.0;
        for (var i = 0; i < normals.Length; i++)
        {
            var terminal = spot * Math.Exp(drift + (diffusion * normals[i]));
            if (terminal > strike)
            {
                payoff += terminal - strike;
            }
        }

        return Math.Exp(-rate * maturity) * payoff / normals.Length;
    }
}
