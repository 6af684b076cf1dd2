using StaticGrad.Benchmarks.Checking;

namespace StaticGrad.Benchmarks.Workloads.BlackScholes;

/// <summary>
/// The Greeks by every implementation. The option is a 4-vector (spot, volatility, rate, maturity) with the strike
/// beside it; each method returns the price and writes the gradient in that order (delta, vega, rho, −theta).
/// </summary>
public static class BlackScholesGradients
{
#if GENERATED_BLACKSCHOLES
    public const bool HasGenerated = true;
#else
    public const bool HasGenerated = false;
#endif

    /// <summary>The option priced by every implementation: S = 100, σ = 0.2, r = 3 %, T = 1.5 years.</summary>
    public static double[] DefaultOption() => [100.0, 0.2, 0.03, 1.5];

    public const double DefaultStrike = 105.0;

    /// <summary>Seeded standard normal samples, the Monte-Carlo estimate's [NoGrad] input.</summary>
    public static double[] Normals(int paths) => Gmm.GmmInstance.Normals(new Random(2026), paths);

    /// <summary>The closed-form Greeks: Φ(d1), S·φ(d1)·√T, K·T·e^{−rT}·Φ(d2), S·φ(d1)·σ/(2√T) + r·K·e^{−rT}·Φ(d2).</summary>
    public static double HandWritten(double[] option, double strike, Span<double> greeks)
    {
        double spot = option[0], volatility = option[1], rate = option[2], maturity = option[3];
        var sqrtMaturity = Math.Sqrt(maturity);
        var d1 = (Math.Log(spot / strike) + ((rate + (0.5 * volatility * volatility)) * maturity)) / (volatility * sqrtMaturity);
        var d2 = d1 - (volatility * sqrtMaturity);
        var cdf1 = BlackScholes.NormalCdf(d1);
        var cdf2 = BlackScholes.NormalCdf(d2);
        var spotDensity = spot * BlackScholes.NormalPdf(d1);
        var discountedStrike = strike * Math.Exp(-rate * maturity);
        greeks[0] = cdf1;
        greeks[1] = spotDensity * sqrtMaturity;
        greeks[2] = discountedStrike * maturity * cdf2;
        greeks[3] = (spotDensity * volatility / (2.0 * sqrtMaturity)) + (rate * discountedStrike * cdf2);
        return (spot * cdf1) - (discountedStrike * cdf2);
    }

#if GENERATED_BLACKSCHOLES
    public static double Generated(double[] option, double strike, Span<double> greeks)
    {
        double dSpot = 0, dVolatility = 0, dRate = 0, dMaturity = 0;
        var price = BlackScholes.CallPriceBackward(option[0], option[1], option[2], option[3], strike, ref dSpot, ref dVolatility, ref dRate, ref dMaturity);
        (greeks[0], greeks[1], greeks[2], greeks[3]) = (dSpot, dVolatility, dRate, dMaturity);
        return price;
    }
#endif

    public static double FiniteDifferences(double[] option, double strike, Span<double> greeks)
    {
        Checking.FiniteDifferences.Central(() => BlackScholes.CallPrice(option[0], option[1], option[2], option[3], strike), [option], greeks);
        return BlackScholes.CallPrice(option[0], option[1], option[2], option[3], strike);
    }

    /// <summary>
    /// Pathwise derivatives: on paths that finish in the money, ∂S_T/∂S = S_T/S, ∂S_T/∂σ = S_T·(√T·z − σT),
    /// ∂S_T/∂r = S_T·T, ∂S_T/∂T = S_T·(r − σ²/2 + σz/(2√T)); the discount adds −T·price and −r·price.
    /// </summary>
    public static double MonteCarloHandWritten(double[] option, double strike, double[] normals, Span<double> greeks)
    {
        double spot = option[0], volatility = option[1], rate = option[2], maturity = option[3];
        var sqrtMaturity = Math.Sqrt(maturity);
        var drift = (rate - (0.5 * volatility * volatility)) * maturity;
        var diffusion = volatility * sqrtMaturity;
        double payoff = 0, sumTerminal = 0, sumVolatility = 0, sumMaturity = 0;
        for (var i = 0; i < normals.Length; i++)
        {
            var z = normals[i];
            var terminal = spot * Math.Exp(drift + (diffusion * z));
            if (terminal > strike)
            {
                payoff += terminal - strike;
                sumTerminal += terminal;
                sumVolatility += terminal * ((sqrtMaturity * z) - (volatility * maturity));
                sumMaturity += terminal * (rate - (0.5 * volatility * volatility) + (0.5 * volatility * z / sqrtMaturity));
            }
        }

        var scale = Math.Exp(-rate * maturity) / normals.Length;
        var price = scale * payoff;
        greeks[0] = scale * sumTerminal / spot;
        greeks[1] = scale * sumVolatility;
        greeks[2] = (scale * sumTerminal * maturity) - (maturity * price);
        greeks[3] = (scale * sumMaturity) - (rate * price);
        return price;
    }

#if GENERATED_BLACKSCHOLES
    public static double MonteCarloGenerated(double[] option, double strike, double[] normals, Span<double> greeks)
    {
        double dSpot = 0, dVolatility = 0, dRate = 0, dMaturity = 0;
        var price = BlackScholes.MonteCarloCallPriceBackward(option[0], option[1], option[2], option[3], strike, normals, ref dSpot, ref dVolatility, ref dRate, ref dMaturity);
        (greeks[0], greeks[1], greeks[2], greeks[3]) = (dSpot, dVolatility, dRate, dMaturity);
        return price;
    }
#endif

    public static double MonteCarloFiniteDifferences(double[] option, double strike, double[] normals, Span<double> greeks)
    {
        Checking.FiniteDifferences.Central(() => BlackScholes.MonteCarloCallPrice(option[0], option[1], option[2], option[3], strike, normals), [option], greeks);
        return BlackScholes.MonteCarloCallPrice(option[0], option[1], option[2], option[3], strike, normals);
    }
}
